#include "viewer/truck_tracks.h"

#include "engine/core/error.h"
#include "engine/logistics/placement.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>

namespace parktwin::viewer {

std::vector<TruckTrack> recordTruckTracks(logistics::Simulation sim, UtcTime start, double step_s) {
    if (!(step_s > 0))
        throw Error("truck tracks: the sampling step must be positive, not " +
                    std::to_string(step_s));
    const logistics::SimConfig& config = sim.config();
    const double end_s = config.arrivals_s + config.drain_s;
    // Trucks waiting at a gate stand in line outside it, one spacing apart, on the straight
    // line opposite the first road into the park; those checking in stand at the gate, one
    // lane width apart across that line.
    struct GateLine {
        Vec2 at, out, across;
        bool known = false;
    };
    std::vector<GateLine> gateLines(config.gates.size());
    for (size_t g = 0; g < config.gates.size(); ++g) {
        GateLine& line = gateLines[g];
        const int node = config.gates[g].node;
        if (node < 0)
            continue;
        line.at = sim.graph().nodes()[size_t(node)].position;
        for (const logistics::GraphLink& l : sim.graph().links()) {
            if (l.from != node || l.shape.size() < 2)
                continue;
            const Vec2 inward = l.shape[1] - l.shape[0];
            if (length(inward) <= 0)
                continue;
            line.out = inward * (-1.0 / length(inward));
            line.across = Vec2{-line.out.y, line.out.x};
            line.known = true;
            break;
        }
    }
    const double laneWidth_m = 3.5;
    std::vector<TruckTrack> tracks;
    std::vector<std::optional<Vec2>> reached;
    std::vector<char> onRoad;
    for (long step = long(std::ceil(sim.now_s() / step_s));; ++step) {
        const double t_s = std::min(double(step) * step_s, end_s);
        sim.runUntil(t_s);
        const std::vector<logistics::TruckRecord>& records = sim.trucks();
        while (tracks.size() < records.size())
            tracks.push_back({"truck-" + std::to_string(tracks.size() + 1), {}});
        reached.resize(records.size());
        onRoad.assign(records.size(), 0);
        const UtcTime at = start + std::chrono::seconds(std::llround(t_s));
        for (const logistics::TruckOnLink& m : sim.trucksOnLinks()) {
            const logistics::TruckPose pose =
                logistics::pointOnLink(sim.graph(), m.link, m.distance_m);
            reached[m.truck] = Vec2{pose.position.x, pose.position.y};
            onRoad[m.truck] = 1;
        }
        // Trucks in a dock's queue stand one after the other back along the road.
        for (const logistics::TruckOnLink& q : sim.trucksQueued()) {
            const logistics::TruckPose pose =
                logistics::pointOnLink(sim.graph(), q.link, q.distance_m);
            reached[q.truck] = Vec2{pose.position.x, pose.position.y};
            onRoad[q.truck] = 1;
        }
        // Gate lines: waiting in order of arrival, checking in in order of starting.
        std::vector<std::vector<std::pair<double, size_t>>> waiting(config.gates.size()),
            checking(config.gates.size());
        for (size_t i = 0; i < records.size(); ++i) {
            const logistics::TruckRecord& r = records[i];
            if (r.gate < 0 || !(r.arrive_s <= t_s) || r.checkInEnd_s <= t_s)
                continue;
            if (r.checkInStart_s <= t_s)
                checking[size_t(r.gate)].push_back({r.checkInStart_s, i});
            else
                waiting[size_t(r.gate)].push_back({r.arrive_s, i});
        }
        std::vector<std::optional<Vec2>> atGate(records.size());
        for (size_t g = 0; g < config.gates.size(); ++g) {
            const GateLine& line = gateLines[g];
            if (!line.known)
                continue;
            std::sort(waiting[g].begin(), waiting[g].end());
            std::sort(checking[g].begin(), checking[g].end());
            for (size_t k = 0; k < checking[g].size(); ++k)
                atGate[checking[g][k].second] =
                    line.at + line.across * (laneWidth_m * double(k));
            for (size_t k = 0; k < waiting[g].size(); ++k)
                atGate[waiting[g][k].second] =
                    line.at + line.out * (config.truckSpacing_m * double(k + 1));
        }
        bool anyInside = false;
        for (size_t i = 0; i < records.size(); ++i) {
            const logistics::TruckRecord& r = records[i];
            const bool inside = r.arrive_s <= t_s && !(r.leave_s <= t_s);
            anyInside = anyInside || inside;
            if (inside && !onRoad[i]) {
                // In the gate's line or checking in there, served at the dock; anywhere else
                // (held behind a queue) where it last drove to.
                int node = -1;
                if (atGate[i])
                    reached[i] = atGate[i];
                else if (!(r.checkInEnd_s <= t_s))
                    node = config.gates[size_t(r.gate)].node;
                else if (r.atDock_s <= t_s && !(r.serviceEnd_s <= t_s))
                    node = config.docks[size_t(r.dock)].node;
                if (node >= 0)
                    reached[i] = sim.graph().nodes()[size_t(node)].position;
            }
            if ((onRoad[i] || inside) && reached[i])
                tracks[i].samples.push_back({at, *reached[i]});
        }
        const bool moreToCome =
            std::any_of(records.begin(), records.end(), [](const auto& r) { return !r.done(); });
        if (t_s >= end_s || (t_s >= config.arrivals_s && !anyInside && !moreToCome))
            break;
    }
    return tracks;
}

} // namespace parktwin::viewer
