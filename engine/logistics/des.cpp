#include "engine/logistics/des.h"

#include <algorithm>

#include "engine/core/error.h"
#include "engine/core/log.h"

namespace parktwin::logistics {
namespace {

constexpr double kHour_s = 3600;
constexpr double kDay_s = 86400;

int hourOf(double t_s) { return static_cast<int>(std::floor(t_s / kHour_s)); }

// Seconds during which a dock's shifts are open in [0, end_s).
double openSeconds(const DockSpec& dock, double dayStart_s, double end_s) {
    if (dock.shifts.empty())
        return end_s;
    double open_s = 0;
    for (double day_s = -kDay_s - dayStart_s; day_s < end_s; day_s += kDay_s)
        for (const Shift& s : dock.shifts) {
            const double close_s = s.close_s >= s.open_s ? s.close_s : s.close_s + kDay_s;
            const double from_s = std::max(0.0, day_s + s.open_s);
            const double to_s = std::min(end_s, day_s + close_s);
            open_s += std::max(0.0, to_s - from_s);
        }
    return open_s;
}

} // namespace

Simulation::Simulation(const RoadGraph& graph, SimConfig config)
    : graph_(&graph), config_(std::move(config)), rng_(config_.seed) {
    if (config_.gates.empty() || config_.docks.empty())
        throw Error("logistics: a simulation needs at least one gate and one dock");
    const int nodeCount = static_cast<int>(graph.nodes().size());
    auto checkNode = [&](int node, const std::string& what) {
        if (node < 0 || node >= nodeCount)
            throw Error("logistics: " + what + " is not on the road graph");
    };
    for (const GateSpec& g : config_.gates) {
        checkNode(g.node, "gate " + g.id);
        if (g.exitNode != -1)
            checkNode(g.exitNode, "exit of gate " + g.id);
    }
    double totalShare = 0;
    for (const DockSpec& d : config_.docks) {
        checkNode(d.node, "dock " + d.id);
        if (d.bays < 1 || !(d.share >= 0))
            throw Error("logistics: dock " + d.id + " needs at least one bay and a share >= 0");
        totalShare += d.share;
    }
    if (!(totalShare > 0))
        throw Error("logistics: the docks' shares add up to zero");

    // A gate sends its trucks to the docks it reaches (a park may have separate road networks
    // behind separate gates); every gate must reach a dock and every dock be reached.
    reachable_.assign(config_.gates.size(), {});
    std::vector<bool> reached(config_.docks.size(), false);
    for (size_t gi = 0; gi < config_.gates.size(); ++gi)
        for (size_t di = 0; di < config_.docks.size(); ++di) {
            const GateSpec& g = config_.gates[gi];
            const DockSpec& d = config_.docks[di];
            auto in = graph.route(g.node, d.node);
            if (!in)
                continue;
            reachable_[gi].push_back(static_cast<int>(di));
            reached[di] = true;
            routes_[{g.node, d.node}] = std::move(*in);
            const int exit = g.exitNode < 0 ? g.node : g.exitNode;
            if (auto out = graph.route(d.node, exit))
                routes_[{d.node, exit}] = std::move(*out);
        }
    for (size_t di = 0; di < reached.size(); ++di)
        if (!reached[di])
            throw Error("logistics: dock " + config_.docks[di].id +
                        " cannot be reached from any gate");
    for (size_t gi = 0; gi < reachable_.size(); ++gi) {
        double share = 0;
        for (int di : reachable_[gi])
            share += config_.docks[di].share;
        if (!(share > 0))
            throw Error("logistics: gate " + config_.gates[gi].id +
                        " reaches no dock with a share above zero");
    }
    exitGate_.assign(config_.docks.size(), std::vector<int>(config_.gates.size(), -1));
    for (size_t d = 0; d < config_.docks.size(); ++d)
        for (size_t g = 0; g < config_.gates.size(); ++g) {
            exitGate_[d][g] = exitGateFor(static_cast<int>(d), static_cast<int>(g));
            const bool served = std::find(reachable_[g].begin(), reachable_[g].end(),
                                          static_cast<int>(d)) != reachable_[g].end();
            if (served && exitGate_[d][g] < 0)
                throw Error("logistics: no gate can be reached from dock " +
                            config_.docks[d].id);
        }

    gates_.resize(config_.gates.size());
    docks_.resize(config_.docks.size());
    links_.resize(graph.links().size());

    for (size_t g = 0; g < config_.gates.size(); ++g) {
        for (double t : config_.gates[g].schedule_s)
            if (t >= 0 && t < config_.arrivals_s) {
                schedule(t, EventKind::Arrival, -static_cast<int>(g) - 1);
                ++pendingArrivals_;
            }
        scheduleNextArrival(static_cast<int>(g), 0);
    }
    const double horizon_s = config_.arrivals_s + config_.drain_s;
    for (size_t d = 0; d < config_.docks.size(); ++d)
        for (double day_s = -kDay_s; day_s < horizon_s + kDay_s; day_s += kDay_s)
            for (const Shift& s : config_.docks[d].shifts) {
                const double t = day_s + s.open_s - config_.dayStart_s;
                if (t > 0 && t < horizon_s)
                    schedule(t, EventKind::DockOpens, static_cast<int>(d));
            }
    schedule(0, EventKind::Sample, 0);
}

int Simulation::exitNode(int gate) const {
    const GateSpec& g = config_.gates[gate];
    return g.exitNode < 0 ? g.node : g.exitNode;
}

// Trucks leave by the gate they came in through, or else by the quickest one they can reach.
int Simulation::exitGateFor(int dock, int entryGate) const {
    const int dockNode = config_.docks[dock].node;
    if (routes_.count({dockNode, exitNode(entryGate)}))
        return entryGate;
    int best = -1;
    double bestTime = INFINITY;
    for (size_t g = 0; g < config_.gates.size(); ++g) {
        auto it = routes_.find({dockNode, exitNode(static_cast<int>(g))});
        if (it != routes_.end() && it->second.time_s < bestTime) {
            bestTime = it->second.time_s;
            best = static_cast<int>(g);
        }
    }
    return best;
}

void Simulation::schedule(double t_s, EventKind kind, int subject) {
    events_.push(Event{t_s, seq_++, kind, subject});
}

void Simulation::runUntil(double t_s) {
    while (!events_.empty() && events_.top().time_s <= t_s) {
        Event e = events_.top();
        events_.pop();
        now_s_ = e.time_s;
        handle(e);
    }
    now_s_ = std::max(now_s_, std::min(t_s, config_.arrivals_s + config_.drain_s));
}

void Simulation::runToEnd() {
    const double limit_s = config_.arrivals_s + config_.drain_s;
    while (!events_.empty() && events_.top().time_s <= limit_s) {
        if (inPark_ == 0 && pendingArrivals_ == 0)
            break;
        Event e = events_.top();
        events_.pop();
        now_s_ = e.time_s;
        handle(e);
    }
}

void Simulation::handle(const Event& e) {
    switch (e.kind) {
    case EventKind::Arrival:
        --pendingArrivals_;
        if (e.subject >= 0) {
            onArrival(e.subject);
            scheduleNextArrival(e.subject, now_s_);
        } else {
            onArrival(-e.subject - 1);
        }
        break;
    case EventKind::CheckInDone:
        onCheckInDone(e.subject);
        break;
    case EventKind::LinkExit:
        onLinkExit(e.subject);
        break;
    case EventKind::ServiceDone:
        onServiceDone(e.subject);
        break;
    case EventKind::DockOpens:
        startServices(e.subject);
        break;
    case EventKind::Sample:
        sampleQueues();
        schedule(now_s_ + config_.sampleInterval_s, EventKind::Sample, 0);
        break;
    }
}

// A Poisson process whose rate changes by the hour of the local day, by thinning (Lewis and
// Shedler 1979): candidates at the peak rate, each kept with probability rate(t) / peak.
void Simulation::scheduleNextArrival(int gate, double after_s) {
    const auto& rates = config_.gates[gate].hourlyRate_vehh;
    const double peak_vehh = *std::max_element(rates.begin(), rates.end());
    if (!(peak_vehh > 0))
        return;
    double t = after_s;
    while (true) {
        t += rng_.exponential(kHour_s / peak_vehh);
        if (t >= config_.arrivals_s)
            return;
        const int hour = static_cast<int>(std::fmod(config_.dayStart_s + t, kDay_s) / kHour_s);
        if (rng_.uniform() * peak_vehh < rates[std::clamp(hour, 0, 23)])
            break;
    }
    schedule(t, EventKind::Arrival, gate);
    ++pendingArrivals_;
}

int Simulation::chooseDock(int gate) {
    const std::vector<int>& docks = reachable_[gate];
    double share = 0;
    for (int d : docks)
        share += config_.docks[d].share;
    double pick = rng_.uniform() * share;
    for (int d : docks) {
        pick -= config_.docks[d].share;
        if (pick < 0)
            return d;
    }
    return docks.back();
}

void Simulation::setInPark(int delta) {
    inParkIntegral_ += inPark_ * (now_s_ - inParkSince_s_);
    inParkSince_s_ = now_s_;
    inPark_ += delta;
}

void Simulation::addIdle(const std::string& place, double from_s, double to_s) {
    to_s = std::min(to_s, from_s + config_.idleLimit_s);
    while (from_s < to_s) {
        const int hour = hourOf(from_s);
        const double end_s = std::min(to_s, (hour + 1) * kHour_s);
        idle_[{place, hour}] += end_s - from_s;
        from_s = end_s;
    }
}

void Simulation::onArrival(int gate) {
    TruckRecord t;
    t.gate = gate;
    t.arrive_s = now_s_;
    t.dock = chooseDock(gate);
    t.checkIn_s = config_.gates[gate].checkIn.sample(rng_);
    t.service_s = config_.docks[t.dock].service.sample(rng_);
    trucks_.push_back(t);
    moving_.emplace_back();
    setInPark(+1);
    gates_[gate].queue.push_back(static_cast<int>(trucks_.size()) - 1);
    startCheckIns(gate);
}

void Simulation::startCheckIns(int gate) {
    GateState& g = gates_[gate];
    while (g.busy < config_.gates[gate].lanes && g.head < g.queue.size()) {
        const int truck = g.queue[g.head++];
        ++g.busy;
        trucks_[truck].checkInStart_s = now_s_;
        addIdle("gate:" + config_.gates[gate].id, trucks_[truck].arrive_s, now_s_);
        schedule(now_s_ + trucks_[truck].checkIn_s, EventKind::CheckInDone, truck);
    }
}

void Simulation::onCheckInDone(int truck) {
    TruckRecord& t = trucks_[truck];
    t.checkInEnd_s = now_s_;
    --gates_[t.gate].busy;
    startCheckIns(t.gate);

    Moving& m = moving_[truck];
    m.route = routes_.at({config_.gates[t.gate].node, config_.docks[t.dock].node}).links;
    m.next = 0;
    m.outbound = false;
    enterNextLink(truck);
}

double Simulation::linkTime_s(int link) {
    const GraphLink& l = graph_->links()[link];
    const double free_s = l.freeFlowTime_s();
    if (!config_.congestion)
        return free_s;
    auto& recent = links_[link].recentEntries_s;
    while (!recent.empty() && recent.front() <= now_s_ - kHour_s)
        recent.pop_front();
    const double volume_pcuh = recent.size() * config_.truckPce +
                               config_.backgroundVolumeRatio * l.capacity_vehh;
    const double ratio = volume_pcuh / l.capacity_vehh;
    return free_s * (1 + config_.bprAlpha * std::pow(ratio, config_.bprBeta));
}

void Simulation::enterNextLink(int truck) {
    Moving& m = moving_[truck];
    TruckRecord& t = trucks_[truck];
    if (m.next == m.route.size()) {
        if (m.outbound)
            leavePark(truck);
        else
            arriveAtDock(truck);
        return;
    }
    const int link = m.route[m.next];
    const GraphLink& l = graph_->links()[link];
    LinkState& ls = links_[link];

    // A link filled by another dock's queue holds the truck until that queue moves up.
    const bool joinsQueueHere =
        !m.outbound && std::any_of(docks_[t.dock].occupied.begin(), docks_[t.dock].occupied.end(),
                                   [&](const auto& o) { return o.first == link; });
    if (!joinsQueueHere && ls.queued_m >= l.length_m * l.lanes - 1e-9) {
        if (std::isnan(m.blockedSince_s))
            m.blockedSince_s = now_s_;
        ls.waiting.push_back(truck);
        return;
    }
    if (!std::isnan(m.blockedSince_s)) {
        t.blocked_s += now_s_ - m.blockedSince_s;
        m.blockedSince_s = NAN;
    }
    const double time_s = linkTime_s(link);
    ls.recentEntries_s.push_back(now_s_);
    m.linkEnter_s = now_s_;
    m.linkExit_s = now_s_ + time_s;
    schedule(m.linkExit_s, EventKind::LinkExit, truck);
}

void Simulation::onLinkExit(int truck) {
    Moving& m = moving_[truck];
    const int link = m.route[m.next];
    LinkHour& h = linkHours_[{link, hourOf(m.linkEnter_s)}];
    h.link = link;
    h.hour = hourOf(m.linkEnter_s);
    ++h.trucks;
    h.travel_s += now_s_ - m.linkEnter_s;
    trucks_[truck].distance_m += graph_->links()[link].length_m;
    m.linkExit_s = NAN;
    ++m.next;
    enterNextLink(truck);
}

void Simulation::arriveAtDock(int truck) {
    TruckRecord& t = trucks_[truck];
    t.atDock_s = now_s_;
    DockState& d = docks_[t.dock];
    d.queue.push_back(truck);
    d.maxQueue = std::max(d.maxQueue, static_cast<int>(d.queue.size() - d.head));
    startServices(t.dock);
    placeDockQueue(t.dock);
}

bool Simulation::dockOpen(int dock, double t_s) const {
    const auto& shifts = config_.docks[dock].shifts;
    if (shifts.empty())
        return true;
    const double tod_s = std::fmod(config_.dayStart_s + t_s, kDay_s);
    return std::any_of(shifts.begin(), shifts.end(), [&](const Shift& s) {
        return s.open_s <= s.close_s ? tod_s >= s.open_s && tod_s < s.close_s
                                     : tod_s >= s.open_s || tod_s < s.close_s;
    });
}

void Simulation::startServices(int dock) {
    DockState& d = docks_[dock];
    bool started = false;
    while (d.busy < config_.docks[dock].bays && d.head < d.queue.size() && dockOpen(dock, now_s_)) {
        const int truck = d.queue[d.head++];
        ++d.busy;
        TruckRecord& t = trucks_[truck];
        t.serviceStart_s = now_s_;
        d.busy_s += openSeconds(config_.docks[dock], config_.dayStart_s, now_s_ + t.service_s) -
                    openSeconds(config_.docks[dock], config_.dayStart_s, now_s_);
        addIdle("dock:" + config_.docks[dock].id, t.atDock_s, now_s_);
        schedule(now_s_ + t.service_s, EventKind::ServiceDone, truck);
        started = true;
    }
    if (started)
        placeDockQueue(dock);
}

void Simulation::onServiceDone(int truck) {
    TruckRecord& t = trucks_[truck];
    t.serviceEnd_s = now_s_;
    --docks_[t.dock].busy;

    Moving& m = moving_[truck];
    const int exitGate = exitGate_[t.dock][t.gate];
    m.route = routes_.at({config_.docks[t.dock].node, exitNode(exitGate)}).links;
    m.next = 0;
    m.outbound = true;
    enterNextLink(truck);
    startServices(t.dock);
}

void Simulation::leavePark(int truck) {
    trucks_[truck].leave_s = now_s_;
    setInPark(-1);
}

TruckOnLink Simulation::queueSpot(int truck, size_t place) const {
    const std::vector<int>& route = moving_[truck].route;
    double back_m = double(place + 1) * config_.truckSpacing_m;
    for (auto it = route.rbegin(); it != route.rend(); ++it) {
        const GraphLink& l = graph_->links()[*it];
        if (back_m <= l.length_m || std::next(it) == route.rend())
            return {truck, *it, std::max(0.0, l.length_m - back_m)};
        back_m -= l.length_m;
    }
    return {truck, -1, 0}; // a dock at its gate: no road to stand on
}

std::vector<TruckOnLink> Simulation::trucksQueued() const {
    std::vector<TruckOnLink> out;
    for (const DockState& d : docks_)
        for (size_t k = d.head; k < d.queue.size(); ++k)
            if (const TruckOnLink spot = queueSpot(d.queue[k], k - d.head); spot.link >= 0)
                out.push_back(spot);
    return out;
}

// Lays the dock's waiting trucks back along their own routes, one spacing apart, and frees
// the trucks held on links the queue no longer fills.
void Simulation::placeDockQueue(int dock) {
    DockState& d = docks_[dock];
    std::vector<int> touched;
    for (auto [link, metres] : d.occupied) {
        links_[link].queued_m -= metres;
        touched.push_back(link);
    }
    d.occupied.clear();

    const double spacing_m = config_.truckSpacing_m;
    for (size_t k = d.head; k < d.queue.size(); ++k) {
        const TruckOnLink spot = queueSpot(d.queue[k], k - d.head);
        if (spot.link < 0)
            continue;
        d.occupied.emplace_back(spot.link, spacing_m);
        links_[spot.link].queued_m += spacing_m;
    }

    for (int link : touched) {
        LinkState& ls = links_[link];
        const GraphLink& l = graph_->links()[link];
        if (ls.waiting.empty() || ls.queued_m >= l.length_m * l.lanes - 1e-9)
            continue;
        std::vector<int> released;
        released.swap(ls.waiting);
        for (int truck : released)
            enterNextLink(truck);
    }
}

void Simulation::sampleQueues() {
    for (size_t g = 0; g < gates_.size(); ++g) {
        const int n = static_cast<int>(gates_[g].queue.size() - gates_[g].head);
        samples_.push_back({now_s_, "gate:" + config_.gates[g].id, n,
                            n * config_.truckSpacing_m, 0});
    }
    for (size_t di = 0; di < docks_.size(); ++di) {
        const DockState& d = docks_[di];
        const int n = static_cast<int>(d.queue.size() - d.head);
        double spill_m = 0;
        if (n > 0) {
            const auto& route = moving_[d.queue[d.head]].route;
            const double first_m = route.empty() ? 0 : graph_->links()[route.back()].length_m;
            spill_m = std::max(0.0, n * config_.truckSpacing_m - first_m);
        }
        samples_.push_back({now_s_, "dock:" + config_.docks[di].id, n,
                            n * config_.truckSpacing_m, spill_m});
    }
}

void Simulation::setDockBays(const std::string& dockId, int bays) {
    for (size_t d = 0; d < config_.docks.size(); ++d)
        if (config_.docks[d].id == dockId) {
            config_.docks[d].bays = std::max(1, bays);
            startServices(static_cast<int>(d));
            return;
        }
    throw Error("logistics: no dock \"" + dockId + "\"");
}

std::vector<TruckOnLink> Simulation::trucksOnLinks() const {
    std::vector<TruckOnLink> out;
    for (size_t i = 0; i < moving_.size(); ++i) {
        const Moving& m = moving_[i];
        if (std::isnan(m.linkExit_s) || m.next >= m.route.size())
            continue;
        const int link = m.route[m.next];
        const double span_s = m.linkExit_s - m.linkEnter_s;
        const double fraction = span_s > 0 ? (now_s_ - m.linkEnter_s) / span_s : 1;
        out.push_back({static_cast<int>(i), link,
                       std::clamp(fraction, 0.0, 1.0) * graph_->links()[link].length_m});
    }
    return out;
}

std::vector<LinkHour> Simulation::linkHours() const {
    std::vector<LinkHour> out;
    for (const auto& [key, h] : linkHours_)
        out.push_back(h);
    return out;
}

std::vector<IdleHour> Simulation::idleHours() const {
    std::vector<IdleHour> out;
    for (const auto& [key, idle_s] : idle_)
        out.push_back({key.first, key.second, idle_s});
    return out;
}

SimKpis Simulation::kpis() const {
    SimKpis k;
    k.end_s = now_s_;
    k.arrived = static_cast<int>(trucks_.size());
    k.throughputPerHour.assign(static_cast<size_t>(std::ceil(k.end_s / kHour_s)), 0);
    double timeInPark_s = 0;
    double turnaround_s = 0, gateWait_s = 0, dockWait_s = 0, idle_s = 0;
    int checkedIn = 0, served = 0;
    std::vector<DockKpi> docks(config_.docks.size());
    for (const TruckRecord& t : trucks_) {
        timeInPark_s += (t.done() ? t.leave_s : k.end_s) - t.arrive_s;
        if (!std::isnan(t.checkInStart_s)) {
            gateWait_s += t.checkInStart_s - t.arrive_s;
            ++checkedIn;
        }
        if (!std::isnan(t.serviceStart_s)) {
            dockWait_s += t.serviceStart_s - t.atDock_s;
            ++served;
            ++docks[t.dock].served;
            docks[t.dock].meanWait_s += t.serviceStart_s - t.atDock_s;
        }
        k.vehicleKm += t.distance_m / 1000;
        if (t.done()) {
            ++k.completed;
            turnaround_s += t.leave_s - t.arrive_s;
            const int hour = hourOf(t.leave_s);
            if (hour >= 0 && hour < static_cast<int>(k.throughputPerHour.size()))
                ++k.throughputPerHour[hour];
        }
    }
    for (const auto& [key, s] : idle_)
        idle_s += s;
    k.idleHours = idle_s / kHour_s;
    k.meanTurnaround_s = k.completed ? turnaround_s / k.completed : NAN;
    k.meanGateWait_s = checkedIn ? gateWait_s / checkedIn : NAN;
    k.meanDockWait_s = served ? dockWait_s / served : NAN;
    k.meanWait_s = k.meanGateWait_s + k.meanDockWait_s;
    for (size_t d = 0; d < docks.size(); ++d) {
        docks[d].id = config_.docks[d].id;
        docks[d].meanWait_s = docks[d].served ? docks[d].meanWait_s / docks[d].served : NAN;
        docks[d].maxQueue = docks_[d].maxQueue;
        const double open_s = openSeconds(config_.docks[d], config_.dayStart_s, k.end_s);
        docks[d].utilisation =
            open_s > 0 ? docks_[d].busy_s / (config_.docks[d].bays * open_s) : NAN;
    }
    k.docks = std::move(docks);
    const double integral = inParkIntegral_ + inPark_ * (now_s_ - inParkSince_s_);
    k.littleL = k.end_s > 0 ? integral / k.end_s : 0;
    k.littleLambdaW = k.end_s > 0 ? timeInPark_s / k.end_s : 0;
    return k;
}

} // namespace parktwin::logistics
