#pragma once
// The ground: a lit terrain mesh coloured by elevation, and outlines draped over it.

#include "engine/core/park.h"

#include <osg/Node>
#include <osg/Vec4>
#include <osg/ref_ptr>
#include <vector>

namespace parktwin::viewer {

/// Ground height at p in metres: the terrain sampled with p clamped onto the grid, so
/// overlays reaching past the DEM stay on its edge height; the flat elevation without a DEM.
double groundAt(const TerrainGrid& terrain, Vec2 p);

/// How far overlays (plume, outlines, roads) float above the ground, metres: enough to win
/// the depth test against the terrain mesh at the scale of `extent`, small enough not to show.
double overlayLift_m(const Box2& extent);

/// Land use painted on the ground: nodes inside `area` blend towards `colour` by `weight`.
struct LandTint {
    const Area* area = nullptr;
    osg::Vec4 colour;
    float weight = 0.5f;
};

/// How the terrain is cut for level of detail.
struct TerrainLod {
    int tileCells = 64;          ///< grid cells along a tile's side at full resolution
    int levels = 4;              ///< full resolution, then every 2nd, 4th, 8th node
    float maxCellPixels = 6.0f;  ///< a coarser level is drawn while its cells stay this small
};

/// The terrain as a lit mesh through the DEM's cell centres, coloured by elevation with a
/// muted green-to-brown ramp and the land-use tints; cells with a missing sample are left
/// out. The grid is cut into square tiles, each an osg::LOD over decimated copies of itself
/// chosen by the tile's size on screen, with skirts hiding the cracks between neighbours
/// drawn at different levels; a full SRTM3 tile (1201 x 1201) draws in a few hundred thousand
/// triangles from any view. A flat park gets one square at its flat elevation covering
/// `extent` (grown by a margin).
osg::ref_ptr<osg::Node> buildTerrain(const TerrainGrid& terrain, const Box2& extent,
                                     const std::vector<LandTint>& tints = {},
                                     const TerrainLod& lod = {});

/// Polygon outlines (all rings of all parts) draped `lift_m` above the ground, unlit.
osg::ref_ptr<osg::Node> buildAreaOutlines(const std::vector<Area>& areas,
                                          const TerrainGrid& terrain, const osg::Vec4& colour,
                                          float lineWidth_px, double lift_m);

/// A polyline draped on the ground: vertices added along each segment about one terrain
/// cell apart so the line follows the relief, each lifted `lift_m` above the ground.
std::vector<Vec3> drapeLine(const std::vector<Vec2>& line, bool closed, const TerrainGrid& terrain,
                            double lift_m);

} // namespace parktwin::viewer
