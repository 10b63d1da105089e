#include "engine/logistics/setup.h"

#include <algorithm>

#include "engine/core/error.h"

namespace parktwin::logistics {
namespace {

// A node given as a point id or as one end of a road; `key` names the scenario key.
int referencedNode(const std::string& point, const std::string& road, bool roadEnd,
                   const RoadGraph& graph, const std::string& file, const std::string& key) {
    if (!point.empty()) {
        const int node = graph.nodeOfPoint(point);
        if (node < 0)
            throw InputError(file, key,
                             "no gate or junction \"" + point + "\" on the truck road graph");
        if (graph.nodes()[node].blocked)
            throw InputError(file, key, "\"" + point + "\" is a barrier closed to trucks");
        return node;
    }
    for (const RoadLine& r : graph.roads())
        if (r.id == road && !r.line.empty()) {
            const int node = graph.nodeAt(roadEnd ? r.line.back() : r.line.front(), 0.01);
            if (node < 0)
                throw InputError(file, key, "road \"" + road + "\" is not drivable by trucks");
            return node;
        }
    throw InputError(file, key, "no road \"" + road + "\" in the park");
}

// The node a dock's trucks are loaded at: the node nearest the building or plot centroid
// that a gate reaches and from which some gate's exit can be reached (a node on a
// one-way trap or a private pocket is passed over for the next nearest).
int dockNode(const DockRef& ref, const ParkModel& park, const RoadGraph& graph,
             const std::vector<GateSpec>& gates, const std::string& file) {
    std::optional<Vec2> at;
    if (!ref.building.empty()) {
        for (const Building& b : park.buildings)
            if (b.id == ref.building)
                at = centroid(b.footprint.outer);
        if (!at)
            throw InputError(file, ref.where + ".building",
                             "no building \"" + ref.building + "\" in the park");
    } else {
        for (const auto* areas : {&park.boundary, &park.areas})
            for (const Area& a : *areas)
                if (a.id == ref.area && !a.parts.empty())
                    at = centroid(a.parts.front().outer);
        if (!at)
            throw InputError(file, ref.where + ".area", "no area \"" + ref.area + "\" in the park");
    }

    std::vector<std::pair<double, int>> candidates;
    for (size_t i = 0; i < graph.nodes().size(); ++i)
        if (!graph.nodes()[i].blocked && !graph.outLinks(static_cast<int>(i)).empty())
            candidates.emplace_back(length(graph.nodes()[i].position - *at), static_cast<int>(i));
    std::sort(candidates.begin(), candidates.end());
    constexpr size_t kTried = 20;
    for (size_t k = 0; k < std::min(kTried, candidates.size()); ++k) {
        const int node = candidates[k].second;
        const bool reached = std::any_of(gates.begin(), gates.end(), [&](const GateSpec& g) {
            return graph.route(g.node, node).has_value();
        });
        const bool leaves = std::any_of(gates.begin(), gates.end(), [&](const GateSpec& g) {
            return graph.route(node, g.exitNode < 0 ? g.node : g.exitNode).has_value();
        });
        if (reached && leaves)
            return node;
    }
    throw InputError(file, ref.where,
                     "none of the " + std::to_string(kTried) +
                         " road nodes nearest the dock can be reached from a gate and left "
                         "again");
}

} // namespace

SimConfig buildSimConfig(const LogisticsSpec& spec, const ParkModel& park,
                         const RoadGraph& graph, double arrivals_s, double dayStart_s) {
    SimConfig c;
    c.seed = spec.seed;
    c.arrivals_s = arrivals_s;
    c.drain_s = spec.drainHours * 3600;
    c.congestion = spec.congestion;
    c.backgroundVolumeRatio = spec.backgroundVolumeRatio;
    c.sampleInterval_s = spec.sampleMinutes * 60;
    c.idleLimit_s = spec.idleLimitMinutes * 60;
    c.dayStart_s = dayStart_s;
    for (const GateRef& ref : spec.gates) {
        GateSpec g;
        g.id = ref.id;
        g.node = referencedNode(ref.point, ref.road, ref.roadEnd, graph, spec.file,
                                ref.where + (ref.point.empty() ? ".road" : ".point"));
        if (!ref.exitPoint.empty() || !ref.exitRoad.empty())
            g.exitNode = referencedNode(ref.exitPoint, ref.exitRoad, ref.exitRoadEnd, graph,
                                        spec.file,
                                        ref.where + (ref.exitPoint.empty() ? ".exit_road"
                                                                           : ".exit_point"));
        g.lanes = ref.lanes;
        g.checkIn = ref.checkIn;
        g.hourlyRate_vehh = ref.hourlyRate_vehh;
        for (double m : ref.scheduleMinutes)
            g.schedule_s.push_back(m * 60);
        c.gates.push_back(std::move(g));
    }
    for (const DockRef& ref : spec.docks) {
        DockSpec d;
        d.id = ref.id;
        d.node = dockNode(ref, park, graph, c.gates, spec.file);
        d.bays = ref.bays;
        d.share = ref.share;
        d.service = ref.service;
        for (auto [open_s, close_s] : ref.shifts_s)
            d.shifts.push_back({open_s, close_s});
        c.docks.push_back(std::move(d));
    }
    return c;
}

} // namespace parktwin::logistics
