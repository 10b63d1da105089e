#pragma once
// Triangulation of building footprints (concave, with courtyards) for roof and floor meshes.

#include <array>
#include <vector>

#include "engine/core/geometry.h"

namespace parktwin::physics {

/// One triangle as three indices into the polygon's vertices, numbered outer ring first and
/// then each hole in order (the closing vertex of a ring is not repeated).
using Triangle = std::array<int, 3>;

/// Triangulates a simple polygon with holes by ear clipping, holes first joined to the outer
/// ring by bridge edges (Eberly, "Triangulation by Ear Clipping", Geometric Tools, 2002).
/// Returns counter-clockwise triangles covering the polygon; an empty vector when the
/// polygon is degenerate or self-intersecting so that no ear can be found.
std::vector<Triangle> triangulate(const Polygon& polygon);

} // namespace parktwin::physics
