#pragma once
// Terrain from a DEM: resampled with GDAL's warper onto a regular grid in the park frame.

#include <filesystem>
#include <string>

#include "engine/core/geometry.h"
#include "engine/core/park.h"
#include "engine/core/raster.h"

namespace parktwin::gis {

/// Most nodes a terrain grid may have: 4,000,000 nodes are 32 MB of heights per copy, and
/// readTerrain holds two copies while resampling.
inline constexpr double kMaxTerrainNodes = 4'000'000;

/// Number of nodes readTerrain makes for `extent` (local metres) every `spacing_m` metres:
/// (ceil(width / spacing) + 1) x (ceil(height / spacing) + 1). Returned as a double so that
/// absurd grids cannot overflow an integer.
double terrainNodeCount(const Box2& extent, double spacing_m);

/// "a 0.5 m spacing over 13339 x 13106 m gives 699336627 nodes; at most 4000000": why a
/// grid of terrainNodeCount() > kMaxTerrainNodes is refused.
std::string terrainTooLargeText(const Box2& extent, double spacing_m);

/// Reads `dem` and resamples it bilinearly (DEM nodata honoured) onto a grid in `frame`
/// whose cell centres span `extent` (local metres) every `spacing_m`; row 0 is the south
/// row. Returns heights in metres above the DEM's vertical datum; nodes with no DEM data are
/// NaN. Throws InputError naming the DEM when it cannot be read or does not cover the
/// extent (both extents are given in the message), or when the grid would have more than
/// kMaxTerrainNodes nodes (checked before anything is allocated).
TerrainGrid readTerrain(const std::filesystem::path& dem, const LocalFrame& frame,
                        const Box2& extent, double spacing_m);

} // namespace parktwin::gis
