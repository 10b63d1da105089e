#include "engine/logistics/road_graph.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <unordered_map>

#include "engine/core/log.h"

namespace parktwin::logistics {

OneWay parseOneWay(const std::string& value) {
    if (value == "yes" || value == "true" || value == "1")
        return OneWay::Forward;
    if (value == "-1" || value == "reverse")
        return OneWay::Backward;
    return OneWay::No;
}

double parseMaxspeed_kmh(const std::string& value) {
    const char* begin = value.data();
    const char* end = begin + value.size();
    while (begin < end && *begin == ' ')
        ++begin;
    double number = 0;
    auto [rest, error] = std::from_chars(begin, end, number);
    if (error != std::errc() || rest == begin || !(number > 0))
        return NAN;
    std::string unit(rest, end);
    unit.erase(std::remove(unit.begin(), unit.end(), ' '), unit.end());
    if (unit.empty() || unit == "km/h" || unit == "kmh" || unit == "kph")
        return number;
    if (unit == "mph")
        return number * 1.609344; // international mile
    if (unit == "knots")
        return number * 1.852;
    return NAN;
}

namespace {

TruckAccess accessValue(const std::string& value) {
    if (value == "no" || value == "agricultural" || value == "forestry" || value == "emergency")
        return TruckAccess::No;
    if (value == "private" || value == "destination" || value == "delivery" ||
        value == "customers" || value == "permit")
        return TruckAccess::Destination;
    return TruckAccess::Yes;
}

} // namespace

TruckAccess truckAccess(const std::map<std::string, std::string>& tags, TruckAccess fallback) {
    // Most specific first: a heavy goods vehicle is a goods vehicle is a motor vehicle is a
    // vehicle (OSM wiki, Key:access, "Transport mode restrictions").
    for (const char* key : {"hgv", "goods", "motor_vehicle", "vehicle", "access"}) {
        auto it = tags.find(key);
        if (it != tags.end() && !it->second.empty())
            return accessValue(it->second);
    }
    return fallback;
}

TruckAccess barrierDefaultAccess(const std::string& kind) {
    if (kind == "gate" || kind == "lift_gate" || kind == "swing_gate" || kind == "toll_booth" ||
        kind == "border_control" || kind == "entrance" || kind == "sliding_gate" ||
        kind == "cattle_grid" || kind == "height_restrictor")
        return TruckAccess::Yes;
    return TruckAccess::No; // bollard, block, kerb, jersey_barrier, fence, wall, "yes", ...
}

std::optional<RoadClassProfile> roadClassProfile(const std::string& highway) {
    // Speeds: motorways at 80 km/h, the legal maximum of heavy goods vehicles on motorways in
    // Germany (StVO section 3(3)) and of large trucks on Japanese expressways (Road Traffic
    // Act enforcement order art. 27, to 2024); trunk and primary roads at 60 km/h, the
    // general-road maximum in Japan (enforcement order art. 11). Lower classes take the urban
    // speeds trucks keep in mixed districts (assumed: 40 km/h tertiary, 30 km/h minor roads,
    // 20 km/h service roads and ramps' curves at 50 km/h). A maxspeed tag overrides them.
    // Capacities: 2,000 veh/h/lane uninterrupted (motorways), 900 veh/h/lane on signalised
    // roads, half of the Highway Capacity Manual's base saturation flow of 1,900 per lane at
    // a green ratio of about 0.5 (HCM 2010, ch. 18); 600 on minor and service roads (assumed).
    static const std::map<std::string, RoadClassProfile> profiles = {
        {"motorway", {80, 2000, 2}},      {"motorway_link", {50, 1500, 1}},
        {"trunk", {60, 1800, 2}},         {"trunk_link", {40, 1200, 1}},
        {"primary", {60, 900, 2}},        {"primary_link", {40, 900, 1}},
        {"secondary", {50, 900, 1}},      {"secondary_link", {40, 900, 1}},
        {"tertiary", {40, 900, 1}},       {"tertiary_link", {30, 900, 1}},
        {"unclassified", {30, 600, 1}},   {"residential", {30, 600, 1}},
        {"living_street", {10, 300, 1}},  {"service", {20, 600, 1}},
        {"road", {30, 600, 1}},
    };
    auto it = profiles.find(highway);
    if (it == profiles.end())
        return std::nullopt;
    return it->second;
}

namespace {

struct VertexKey {
    std::int64_t x;
    std::int64_t y;
    bool operator==(const VertexKey&) const = default;
};

struct VertexKeyHash {
    size_t operator()(const VertexKey& k) const {
        return std::hash<std::int64_t>()(k.x * 1000003 ^ k.y);
    }
};

VertexKey keyOf(Vec2 p, double snap_m) {
    return {std::llround(p.x / snap_m), std::llround(p.y / snap_m)};
}

double polylineLength(const std::vector<Vec2>& shape) {
    double sum = 0;
    for (size_t i = 1; i < shape.size(); ++i)
        sum += length(shape[i] - shape[i - 1]);
    return sum;
}

} // namespace

RoadGraph::RoadGraph(std::vector<RoadLine> roads, const std::vector<RoadPoint>& points,
                     const GraphOptions& options)
    : roads_(std::move(roads)), options_(options) {
    auto drivable = [](const RoadLine& r) {
        return r.line.size() >= 2 && roadClassProfile(r.highway) && r.access != TruckAccess::No;
    };

    // How many times each vertex is used by drivable roads: a vertex used twice is a junction.
    std::unordered_map<VertexKey, int, VertexKeyHash> uses;
    for (const RoadLine& r : roads_) {
        if (!drivable(r))
            continue;
        for (Vec2 p : r.line)
            ++uses[keyOf(p, options_.snap_m)];
    }
    std::unordered_map<VertexKey, const RoadPoint*, VertexKeyHash> pointAt;
    for (const RoadPoint& pt : points) {
        VertexKey k = keyOf(pt.position, options_.snap_m);
        if (uses.count(k))
            pointAt[k] = &pt;
    }

    std::unordered_map<VertexKey, int, VertexKeyHash> nodeOf;
    auto nodeFor = [&](Vec2 p, VertexKey k) {
        auto [it, inserted] = nodeOf.try_emplace(k, static_cast<int>(nodes_.size()));
        if (inserted) {
            GraphNode n;
            n.position = p;
            if (auto pit = pointAt.find(k); pit != pointAt.end()) {
                const RoadPoint& pt = *pit->second;
                n.pointId = pt.id;
                n.kind = pt.kind;
                n.name = pt.name;
                n.blocked = pt.barrier && pt.access == TruckAccess::No;
                n.destinationOnly = pt.barrier && pt.access == TruckAccess::Destination;
                pointNode_[pt.id] = it->second;
                stats_.barriersOnRoads += pt.barrier ? 1 : 0;
                stats_.blockedBarriers += n.blocked ? 1 : 0;
            }
            nodes_.push_back(std::move(n));
        }
        return it->second;
    };

    for (size_t ri = 0; ri < roads_.size(); ++ri) {
        const RoadLine& r = roads_[ri];
        if (!drivable(r)) {
            ++stats_.roadsSkipped;
            continue;
        }
        std::vector<int> nodeAtVertex(r.line.size(), -1);
        for (size_t v = 0; v < r.line.size(); ++v) {
            VertexKey k = keyOf(r.line[v], options_.snap_m);
            bool end = v == 0 || v + 1 == r.line.size();
            if (end || uses[k] > 1 || pointAt.count(k))
                nodeAtVertex[v] = nodeFor(r.line[v], k);
        }
        addLinks(static_cast<int>(ri), nodeAtVertex);
        ++stats_.roadsUsed;
    }

    out_.assign(nodes_.size(), {});
    in_.assign(nodes_.size(), {});
    for (size_t li = 0; li < links_.size(); ++li) {
        const GraphLink& l = links_[li];
        out_[l.from].push_back(static_cast<int>(li));
        in_[l.to].push_back(static_cast<int>(li));
    }
    log::get("logistics")
        .info("road graph: {} nodes, {} links from {} roads ({} not drivable by trucks); "
              "{} barriers on roads, {} closed to trucks",
              nodes_.size(), links_.size(), stats_.roadsUsed, stats_.roadsSkipped,
              stats_.barriersOnRoads, stats_.blockedBarriers);
}

void RoadGraph::addLinks(int road, const std::vector<int>& nodeAtVertex) {
    const RoadLine& r = roads_[road];
    const RoadClassProfile profile = *roadClassProfile(r.highway);
    double speed_kmh = std::isfinite(r.maxspeed_kmh) ? r.maxspeed_kmh : profile.speed_kmh;
    speed_kmh = std::min(speed_kmh, options_.truckMaxSpeed_kmh);
    // OSM's lanes counts both directions on a two-way road.
    int lanes = r.lanes > 0 ? (r.oneway == OneWay::No ? std::max(1, r.lanes / 2) : r.lanes)
                            : profile.defaultLanes;

    size_t start = 0;
    for (size_t v = 1; v < r.line.size(); ++v) {
        if (nodeAtVertex[v] < 0)
            continue;
        std::vector<Vec2> shape(r.line.begin() + start, r.line.begin() + v + 1);
        GraphLink forward;
        forward.from = nodeAtVertex[start];
        forward.to = nodeAtVertex[v];
        forward.road = road;
        forward.length_m = polylineLength(shape);
        forward.speed_ms = speed_kmh / 3.6;
        forward.lanes = lanes;
        forward.capacity_vehh = profile.laneCapacity_vehh * lanes;
        forward.destinationOnly = r.access == TruckAccess::Destination;
        start = v;
        if (forward.length_m <= 0)
            continue;
        GraphLink backward = forward;
        std::swap(backward.from, backward.to);
        backward.shape.assign(shape.rbegin(), shape.rend());
        forward.shape = std::move(shape);
        if (r.oneway != OneWay::Backward)
            links_.push_back(std::move(forward));
        if (r.oneway != OneWay::Forward)
            links_.push_back(std::move(backward));
    }
}

int RoadGraph::nodeOfPoint(const std::string& pointId) const {
    auto it = pointNode_.find(pointId);
    return it == pointNode_.end() ? -1 : it->second;
}

std::vector<int> RoadGraph::openBarriers(const std::string& kind) const {
    std::vector<std::pair<std::string, int>> found;
    for (size_t i = 0; i < nodes_.size(); ++i)
        if (nodes_[i].kind == kind && !nodes_[i].blocked)
            found.emplace_back(nodes_[i].pointId, static_cast<int>(i));
    std::sort(found.begin(), found.end());
    std::vector<int> result;
    for (auto& f : found)
        result.push_back(f.second);
    return result;
}

int RoadGraph::nearestNode(Vec2 p) const {
    int best = -1;
    double bestDistance = INFINITY;
    for (size_t i = 0; i < nodes_.size(); ++i) {
        if (nodes_[i].blocked || out_[i].empty() || in_[i].empty())
            continue;
        double d = length(nodes_[i].position - p);
        if (d < bestDistance) {
            bestDistance = d;
            best = static_cast<int>(i);
        }
    }
    return best;
}

int RoadGraph::nodeAt(Vec2 p, double tolerance_m) const {
    int best = -1;
    double bestDistance = tolerance_m;
    for (size_t i = 0; i < nodes_.size(); ++i) {
        const double d = length(nodes_[i].position - p);
        if (d <= bestDistance) {
            bestDistance = d;
            best = static_cast<int>(i);
        }
    }
    return best;
}

std::optional<Route> RoadGraph::route(int from, int to,
                                      const std::vector<double>& linkTime_s) const {
    if (from < 0 || to < 0 || from >= static_cast<int>(nodes_.size()) ||
        to >= static_cast<int>(nodes_.size()) || nodes_[from].blocked || nodes_[to].blocked)
        return std::nullopt;
    if (from == to)
        return Route{};

    // Search states are (node, phase): phase 0 still inside the destination-only roads the
    // route started in, 1 on public roads, 2 inside the destination-only roads it ends in.
    // This lets a truck leave or reach a private yard but never cut through one.
    const size_t stateCount = nodes_.size() * 3;
    std::vector<double> best(stateCount, INFINITY);
    std::vector<int> viaLink(stateCount, -1);
    std::vector<int> prevState(stateCount, -1);
    using Entry = std::pair<double, int>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> open;
    best[from * 3] = 0;
    open.emplace(0.0, from * 3);
    int reached = -1;

    while (!open.empty()) {
        auto [time_s, state] = open.top();
        open.pop();
        if (time_s > best[state])
            continue;
        const int node = state / 3;
        const int phase = state % 3;
        if (node == to) {
            reached = state;
            break;
        }
        if (nodes_[node].destinationOnly && node != from)
            continue; // a private barrier may start or end a route, not be passed
        for (int li : out_[node]) {
            const GraphLink& l = links_[li];
            if (nodes_[l.to].blocked)
                continue;
            int next = phase;
            if (l.destinationOnly && phase == 1)
                next = 2;
            else if (!l.destinationOnly && phase != 1) {
                if (phase == 2)
                    continue;
                next = 1;
            }
            const double t = time_s + (linkTime_s.empty() ? l.freeFlowTime_s() : linkTime_s[li]);
            const int nextState = l.to * 3 + next;
            if (t < best[nextState]) {
                best[nextState] = t;
                viaLink[nextState] = li;
                prevState[nextState] = state;
                open.emplace(t, nextState);
            }
        }
    }
    if (reached < 0)
        return std::nullopt;

    Route result;
    result.time_s = best[reached];
    for (int s = reached; viaLink[s] >= 0; s = prevState[s]) {
        result.links.push_back(viaLink[s]);
        result.length_m += links_[viaLink[s]].length_m;
    }
    std::reverse(result.links.begin(), result.links.end());
    return result;
}

} // namespace parktwin::logistics
