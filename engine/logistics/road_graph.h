#pragma once
// The road network for trucks: OSM-style road lines and tagged points in, a directed graph of
// links between junctions out, with shortest-time routes across it.

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/geometry.h"

namespace parktwin::logistics {

/// Who may drive a road or pass a barrier, resolved for heavy goods vehicles.
enum class TruckAccess {
    Yes,         ///< open to trucks
    Destination, ///< private, delivery or destination only: a route may start or end there
    No,          ///< closed to trucks
};

/// Directions in which a way may be driven, relative to the order of its vertices.
enum class OneWay { No, Forward, Backward };

/// One road as read from the park's road layer (an OSM way), in the park's local frame.
struct RoadLine {
    std::string id;
    std::string name;
    std::string highway; ///< OSM highway value: "primary", "service", ...
    std::vector<Vec2> line;
    OneWay oneway = OneWay::No;
    double maxspeed_kmh = NAN; ///< from the maxspeed tag; NaN when untagged or unreadable
    int lanes = 0;             ///< from the lanes tag; 0 when untagged
    TruckAccess access = TruckAccess::Yes;
};

/// A tagged node on the road layer: a barrier or a motorway junction.
struct RoadPoint {
    std::string id;
    std::string name;
    std::string kind; ///< barrier value ("gate", "lift_gate", "bollard") or "motorway_junction"
    bool barrier = false;
    TruckAccess access = TruckAccess::Yes; ///< for barriers: may trucks pass
    Vec2 position;
};

/// Reads an OSM `oneway` value: yes/true/1 forward, -1/reverse backward, anything else no.
OneWay parseOneWay(const std::string& value);

/// Reads an OSM `maxspeed` value ("50", "50 km/h", "30 mph", "JP:urban" is not a number).
/// Returns km/h, or NaN for values that carry no number (signals, none, zone codes).
double parseMaxspeed_kmh(const std::string& value);

/// Resolves the access of a heavy goods vehicle from OSM tags, most specific key first
/// (hgv, goods, motor_vehicle, vehicle, access), per the OSM wiki's access hierarchy.
/// `fallback` applies when none of them is set.
TruckAccess truckAccess(const std::map<std::string, std::string>& tags, TruckAccess fallback);

/// Default access of a barrier kind for trucks when it carries no access tags: gates and
/// lift gates are open (staffed or opened on arrival), bollards and blocks closed.
TruckAccess barrierDefaultAccess(const std::string& kind);

/// Per-class properties of a road. Speeds are km/h; capacities vehicles per hour per lane.
struct RoadClassProfile {
    double speed_kmh = 0;
    double laneCapacity_vehh = 0;
    int defaultLanes = 1; ///< per direction
};

/// The truck-drivable classes and their defaults; nullopt for a class trucks never use
/// (footway, cycleway, path, steps, track, pedestrian, construction...).
std::optional<RoadClassProfile> roadClassProfile(const std::string& highway);

struct GraphOptions {
    double truckMaxSpeed_kmh = 90; ///< speed limiter of heavy trucks
    /// Vertices closer than this are the same junction (OSM nodes reprojected identically
    /// coincide exactly; this absorbs float noise only).
    double snap_m = 0.01;
};

/// A junction, dead end, barrier or junction point of the graph.
struct GraphNode {
    Vec2 position;
    std::string pointId;  ///< id of the RoadPoint here, empty when none
    std::string kind;     ///< that point's kind
    std::string name;
    bool blocked = false; ///< a barrier trucks may not pass
    bool destinationOnly = false; ///< a private barrier: only as a route's first or last part
};

/// A directed link between two graph nodes along one road.
struct GraphLink {
    int from = -1;
    int to = -1;
    int road = -1; ///< index into RoadGraph::roads
    std::vector<Vec2> shape;
    double length_m = 0;
    double speed_ms = 0;     ///< free-flow speed of a truck
    double capacity_vehh = 0; ///< all lanes of this direction
    int lanes = 1;
    bool destinationOnly = false;
    double freeFlowTime_s() const { return length_m / speed_ms; }
};

/// A route: the links in driving order.
struct Route {
    std::vector<int> links;
    double time_s = 0;
    double length_m = 0;
};

/// Counts for logs and tests.
struct GraphStats {
    int roadsUsed = 0;     ///< roads open to trucks that gave at least one link
    int roadsSkipped = 0;  ///< not drivable by trucks or closed to them
    int barriersOnRoads = 0;
    int blockedBarriers = 0;
};

class RoadGraph {
public:
    /// Builds the graph: a node wherever drivable roads share a vertex, at each road's ends,
    /// and at each tagged point lying on a vertex; one link per direction allowed.
    RoadGraph(std::vector<RoadLine> roads, const std::vector<RoadPoint>& points,
              const GraphOptions& options = {});

    const std::vector<GraphNode>& nodes() const { return nodes_; }
    const std::vector<GraphLink>& links() const { return links_; }
    const std::vector<RoadLine>& roads() const { return roads_; }
    const std::vector<int>& outLinks(int node) const { return out_[node]; }
    const GraphStats& stats() const { return stats_; }

    /// The node carrying the point with this id; -1 when no point with that id lies on a road.
    int nodeOfPoint(const std::string& pointId) const;

    /// Nodes whose point is a barrier of `kind` ("gate") open to trucks, in id order.
    std::vector<int> openBarriers(const std::string& kind) const;

    /// The node nearest to p that a truck can both reach and leave (at least one link in and
    /// one out); -1 for an empty graph. Ties go to the lower index.
    int nearestNode(Vec2 p) const;

    /// The node within `tolerance_m` of p, nearest first; -1 when there is none.
    int nodeAt(Vec2 p, double tolerance_m) const;

    /// Shortest-time route by Dijkstra's algorithm over link times `linkTime_s` (free-flow
    /// times when empty). Destination-only links may be used only at the start or the end of
    /// a route, never to pass through; a destination-only barrier may start or end a route. Nothing
    /// when `to` cannot be reached.
    std::optional<Route> route(int from, int to,
                               const std::vector<double>& linkTime_s = {}) const;

private:
    void addLinks(int road, const std::vector<int>& nodeAtVertex);

    std::vector<RoadLine> roads_;
    std::vector<GraphNode> nodes_;
    std::vector<GraphLink> links_;
    std::vector<std::vector<int>> out_;
    std::vector<std::vector<int>> in_;
    std::map<std::string, int> pointNode_;
    GraphOptions options_;
    GraphStats stats_;
};

} // namespace parktwin::logistics
