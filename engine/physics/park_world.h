#pragma once
// A Bullet collision world of one park (terrain, buildings, stacks) for ray queries:
// picking in the viewer, placing vehicles and sensors on the ground or on roofs.

#include <memory>
#include <optional>

#include "engine/core/geometry.h"
#include "engine/core/park.h"

namespace parktwin::physics {

/// The first surface a ray meets.
struct RayHit {
    enum Kind { Ground, Building, Stack };

    Vec3 point;           ///< where the ray meets the surface, local frame, metres
    Vec3 normal;          ///< unit surface normal, facing the ray's origin
    Kind kind = Ground;   ///< what was hit
    int index = -1;       ///< index in ParkModel::buildings or ::stacks; -1 for the ground
    double fraction = 0;  ///< position of the hit along the ray, 0 at `from`, 1 at `to`
};

/// The collision geometry of a park in its local frame (metres, z up, DEM vertical datum).
///
/// Terrain is the park's height grid as a Bullet heightfield (two triangles per grid cell, so
/// heights between nodes are linear on each triangle, not bilinear), or a horizontal plane
/// at the flat elevation when the park has no grid. Missing grid samples are filled with the
/// lowest valid height so the surface stays closed; groundHeight() reports NaN next to them.
/// Buildings are prisms of their footprints from base to roof; stacks are cylinders of their
/// inside diameter (at least 1 m across). Rays meet terrain and buildings exactly (to float
/// precision); rays on stacks are solved by Bullet's iterative convex cast, which stops
/// within a few millimetres of the surface.
///
/// Queries are const but not safe to run from several threads at once: Bullet's broadphase
/// keeps one traversal stack per world.
class ParkWorld {
public:
    /// Builds the world from a park model; keeps no reference to it.
    explicit ParkWorld(const ParkModel& park);
    ~ParkWorld();

    ParkWorld(const ParkWorld&) = delete;
    ParkWorld& operator=(const ParkWorld&) = delete;

    /// Height of the terrain (buildings ignored) under p, metres; NaN outside the grid's
    /// node hull or next to a missing sample. A flat park returns its flat elevation.
    double groundHeight(Vec2 p) const;

    /// The first surface met on the segment from `from` to `to` (local frame, metres);
    /// nothing when the segment meets no surface or has zero length.
    std::optional<RayHit> castRay(Vec3 from, Vec3 to) const;

    /// Height of the highest surface (roof, stack top or ground) under p, metres; NaN where
    /// there is neither terrain nor an object.
    double surfaceHeight(Vec2 p) const;

    /// Number of buildings given a collision shape (footprints with fewer than three distinct
    /// vertices or no height are left out).
    int buildingCount() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace parktwin::physics
