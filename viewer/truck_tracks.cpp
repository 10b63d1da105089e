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
        bool anyInside = false;
        for (size_t i = 0; i < records.size(); ++i) {
            const logistics::TruckRecord& r = records[i];
            const bool inside = r.arrive_s <= t_s && !(r.leave_s <= t_s);
            anyInside = anyInside || inside;
            if (inside && !onRoad[i]) {
                // Queuing or checking in at the gate, served at the dock; anywhere else (held
                // behind a queue) where it last drove to.
                int node = -1;
                if (!(r.checkInEnd_s <= t_s))
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
