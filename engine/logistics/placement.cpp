#include "engine/logistics/placement.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace parktwin::logistics {

TruckPose pointOnLink(const RoadGraph& graph, int link, double distance_m) {
    const GraphLink& l = graph.links()[link];
    double left_m = std::clamp(distance_m, 0.0, l.length_m);
    Vec2 at = l.shape.front();
    Vec2 direction{0, 1};
    for (size_t i = 1; i < l.shape.size(); ++i) {
        const Vec2 step = l.shape[i] - l.shape[i - 1];
        const double step_m = length(step);
        if (step_m <= 0)
            continue;
        direction = step * (1 / step_m);
        if (left_m <= step_m || i + 1 == l.shape.size()) {
            at = l.shape[i - 1] + direction * std::min(left_m, step_m);
            break;
        }
        left_m -= step_m;
    }
    TruckPose pose;
    pose.heading_deg =
        std::fmod(std::atan2(direction.x, direction.y) * 180 / std::numbers::pi + 360, 360);
    pose.position = {at.x, at.y, 0};
    return pose;
}

TruckPose placeOnLink(const RoadGraph& graph, const physics::ParkWorld& world, int link,
                      double distance_m) {
    TruckPose pose = pointOnLink(graph, link, distance_m);
    const Vec2 at{pose.position.x, pose.position.y};
    constexpr double kTop_m = 10000, kBottom_m = -1000; // above Everest, below the Dead Sea
    const auto hit = world.castRay({at.x, at.y, kTop_m}, {at.x, at.y, kBottom_m});
    const double z =
        hit && hit->kind == physics::RayHit::Ground ? hit->point.z : world.groundHeight(at);
    pose.position.z = z;
    return pose;
}

} // namespace parktwin::logistics
