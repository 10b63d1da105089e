#pragma once
// Where a truck is drawn: a point along a link, set on the park's ground by a ray query in
// its Bullet world, with the direction of travel.

#include "engine/core/geometry.h"
#include "engine/logistics/road_graph.h"
#include "engine/physics/park_world.h"

namespace parktwin::logistics {

struct TruckPose {
    Vec3 position;        ///< local frame, metres; z on the ground (DEM datum)
    double heading_deg = 0; ///< direction of travel, degrees clockwise from north
};

/// The point `distance_m` along a link (clamped to its length) on the map, with the direction
/// of travel there; z is 0.
TruckPose pointOnLink(const RoadGraph& graph, int link, double distance_m);

/// The pose `distance_m` along a link (clamped to its length). The height comes from a
/// vertical ray through the park's world; where the ray meets a roof or stack first (a road
/// running under a building's overhang in the data), the terrain height under it is used.
TruckPose placeOnLink(const RoadGraph& graph, const physics::ParkWorld& world, int link,
                      double distance_m);

} // namespace parktwin::logistics
