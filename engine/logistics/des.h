#pragma once
// Discrete-event simulation of trucks in a park: arrivals at the gates, check-in, travel over
// the road graph with volume-delay, queues and service at docks, and the way out.
//
// Queues are FIFO. A dock's waiting trucks stand on the inbound direction of the roads
// leading to it, one truck length apart, spilling back upstream along their own routes; a
// link full of queued trucks holds up other trucks that need it. A truck whose service ends
// gives its bay up at once and leaves on the outbound direction, so a queue never waits for
// the trucks it blocks: docks at the ends of dead-end spurs cannot lock up. Routes are the
// free-flow shortest-time routes; congestion lengthens travel on them but does not re-route.

#include <array>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "engine/logistics/random.h"
#include "engine/logistics/road_graph.h"

namespace parktwin::logistics {

struct GateSpec {
    std::string id;
    int node = -1;                  ///< graph node where trucks enter
    int exitNode = -1;              ///< graph node where they leave; -1: the same node
    int lanes = 1;                  ///< check-in lanes served in parallel
    Distribution checkIn;           ///< check-in time per truck
    std::array<double, 24> hourlyRate_vehh{}; ///< Poisson arrivals per hour of the local day
    std::vector<double> schedule_s; ///< fixed arrivals, seconds after the run's start
};

/// A time window of the local day during which a dock serves, seconds after midnight.
struct Shift {
    double open_s = 0;
    double close_s = 86400;
};

struct DockSpec {
    std::string id;
    int node = -1;  ///< graph node where trucks are loaded
    int bays = 1;   ///< trucks served at once
    Distribution service;
    double share = 1;         ///< relative share of the trucks of the gates that reach it
    std::vector<Shift> shifts; ///< empty: always open; services start only inside a shift
};

struct SimConfig {
    std::vector<GateSpec> gates;
    std::vector<DockSpec> docks;
    double arrivals_s = 86400; ///< arrivals are generated in [0, arrivals_s)
    double drain_s = 86400;    ///< after that, how long trucks inside may still take to leave
    std::uint64_t seed = 1;
    bool congestion = true;
    /// BPR volume-delay: t = t0 (1 + alpha (v/c)^beta), Bureau of Public Roads (1964),
    /// Traffic Assignment Manual; v is the flow of the last hour in passenger-car units.
    double bprAlpha = 0.15;
    double bprBeta = 4;
    /// Passenger-car equivalent of a truck on level terrain, HCM 2010 exhibit 11-10.
    double truckPce = 1.5;
    /// Flow already on every link as a fraction of its capacity (other traffic).
    double backgroundVolumeRatio = 0;
    /// Road length a queued truck takes: a 16.5 m articulated truck (the EU maximum,
    /// Directive 96/53/EC) plus a 2.5 m gap.
    double truckSpacing_m = 19;
    /// Engines are switched off after this long standing in one queue (an anti-idling rule);
    /// infinity keeps them idling for the whole wait.
    double idleLimit_s = std::numeric_limits<double>::infinity();
    double sampleInterval_s = 300; ///< queue time-series step
    double dayStart_s = 0;         ///< seconds after local midnight at which the run starts
};

/// One truck's history, seconds after the run's start (NaN for steps not reached).
struct TruckRecord {
    int gate = -1;
    int dock = -1;
    double arrive_s = NAN;
    double checkInStart_s = NAN;
    double checkInEnd_s = NAN;
    double atDock_s = NAN;
    double serviceStart_s = NAN;
    double serviceEnd_s = NAN;
    double leave_s = NAN;
    double checkIn_s = 0; ///< drawn on arrival, like the service time
    double service_s = 0; ///< drawn on arrival, so what-if branches share it
    double distance_m = 0;
    double blocked_s = 0; ///< held behind spilled-back queues
    bool done() const { return !std::isnan(leave_s); }
};

struct QueueSample {
    double time_s = 0;
    std::string place; ///< "gate:<id>" or "dock:<id>"
    int trucks = 0;
    double length_m = 0;
    double spillBack_m = 0; ///< queue length beyond the link it starts on
};

/// A truck driving along a link at the simulation's current time.
struct TruckOnLink {
    int truck = -1;
    int link = -1;
    double distance_m = 0; ///< from the link's start, assuming a steady speed on the link
};

/// Hourly traffic on one link, for emissions.
struct LinkHour {
    int link = -1;
    int hour = 0;          ///< hour index from the run's start
    int trucks = 0;        ///< trucks that entered the link
    double travel_s = 0;   ///< their summed time on it
};

/// Hourly idling at a gate or dock.
struct IdleHour {
    std::string place;
    int hour = 0;
    double idle_s = 0;
};

struct DockKpi {
    std::string id;
    int served = 0;
    double utilisation = 0; ///< bay-time busy inside the shifts over open bay-time
    double meanWait_s = 0;
    int maxQueue = 0;
};

struct SimKpis {
    int arrived = 0;
    int completed = 0;
    double end_s = 0;
    std::vector<int> throughputPerHour; ///< trucks leaving in each hour from the start
    double meanTurnaround_s = 0;
    double meanWait_s = 0;       ///< check-in queue plus dock queue
    double meanGateWait_s = 0;
    double meanDockWait_s = 0;
    double vehicleKm = 0;
    double idleHours = 0;        ///< engine hours of trucks standing in queues
    std::vector<DockKpi> docks;
    /// Little's law, L = lambda W: L the time-average of trucks in the park over [0, end],
    /// lambda W the summed time in the park of the trucks' own timestamps over end.
    double littleL = 0;
    double littleLambdaW = 0;
};

class Simulation {
public:
    /// Checks the configuration against the graph (every dock reachable from a gate and back
    /// out to one, every gate reaching a dock); throws Error naming the gate or dock that is
    /// not. Each truck goes to one of the docks its gate reaches, by their shares.
    Simulation(const RoadGraph& graph, SimConfig config);

    /// Runs events up to time t_s (seconds after the start).
    void runUntil(double t_s);
    /// Runs until every truck has left or the drain limit is reached.
    void runToEnd();

    double now_s() const { return now_s_; }

    /// A what-if change: the number of bays of a dock from now on.
    void setDockBays(const std::string& dockId, int bays);

    const std::vector<TruckRecord>& trucks() const { return trucks_; }
    const std::vector<QueueSample>& queueSeries() const { return samples_; }
    std::vector<LinkHour> linkHours() const;
    std::vector<IdleHour> idleHours() const;
    SimKpis kpis() const;
    /// The trucks driving on links now (not those queuing, being served or held), for
    /// drawing them with placeOnLink.
    std::vector<TruckOnLink> trucksOnLinks() const;
    /// The trucks waiting in dock queues now, where the queue lays them: the n-th behind the
    /// bays stands n truck spacings back from the dock along its own route.
    std::vector<TruckOnLink> trucksQueued() const;
    const SimConfig& config() const { return config_; }
    const RoadGraph& graph() const { return *graph_; }

    /// The random engine's state (saved with the pending events by copying the Simulation).
    std::string rngState() const { return rng_.state(); }

private:
    enum class EventKind { Arrival, CheckInDone, LinkExit, ServiceDone, DockOpens, Sample };
    struct Event {
        double time_s;
        std::uint64_t seq;
        EventKind kind;
        int subject; ///< gate, truck or dock index
        bool operator>(const Event& o) const {
            return time_s != o.time_s ? time_s > o.time_s : seq > o.seq;
        }
    };
    struct Moving {
        std::vector<int> route;
        size_t next = 0;
        bool outbound = false;
        double linkEnter_s = 0;
        double linkExit_s = NAN; ///< scheduled end of the current link; NaN when not driving
        double blockedSince_s = NAN;
    };
    struct GateState {
        std::vector<int> queue;
        size_t head = 0;
        int busy = 0;
    };
    struct DockState {
        std::vector<int> queue;
        size_t head = 0;
        int busy = 0;
        double busy_s = 0;
        double busySince_s = 0;
        int maxQueue = 0;
        std::vector<std::pair<int, double>> occupied; ///< (link, metres) of its queue
    };
    struct LinkState {
        std::deque<double> recentEntries_s;
        double queued_m = 0;
        std::vector<int> waiting; ///< trucks held until the queue on the link shortens
    };

    /// Where a truck `place` trucks behind the head of its dock's queue stands; link -1 when
    /// its route has no road.
    TruckOnLink queueSpot(int truck, size_t place) const;
    void schedule(double t_s, EventKind kind, int subject);
    void handle(const Event& e);
    void onArrival(int gate);
    void scheduleNextArrival(int gate, double after_s);
    void startCheckIns(int gate);
    void onCheckInDone(int truck);
    void enterNextLink(int truck);
    void onLinkExit(int truck);
    void arriveAtDock(int truck);
    void startServices(int dock);
    void onServiceDone(int truck);
    void leavePark(int truck);
    void sampleQueues();
    void placeDockQueue(int dock);
    bool dockOpen(int dock, double t_s) const;
    double nextOpening_s(int dock, double t_s) const;
    double linkTime_s(int link);
    int chooseDock(int gate);
    int exitGateFor(int dock, int entryGate) const;
    int exitNode(int gate) const;
    void setInPark(int delta);
    void addIdle(const std::string& place, double from_s, double to_s);

    const RoadGraph* graph_;
    SimConfig config_;
    Rng rng_;
    double now_s_ = 0;
    std::uint64_t seq_ = 0;
    std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
    std::vector<TruckRecord> trucks_;
    std::vector<Moving> moving_;
    std::vector<GateState> gates_;
    std::vector<DockState> docks_;
    std::vector<LinkState> links_;
    std::map<std::pair<int, int>, Route> routes_; ///< by (from node, to node)
    std::vector<std::vector<int>> exitGate_;      ///< [dock][entry gate]
    std::vector<std::vector<int>> reachable_;     ///< docks each gate reaches
    std::vector<QueueSample> samples_;
    std::map<std::pair<int, int>, LinkHour> linkHours_;
    std::map<std::pair<std::string, int>, double> idle_;
    int pendingArrivals_ = 0;
    int inPark_ = 0;
    double inParkIntegral_ = 0;
    double inParkSince_s_ = 0;
};

} // namespace parktwin::logistics
