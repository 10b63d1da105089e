#pragma once
// Terrain from a DEM: resampled with GDAL's warper onto a regular grid in the park frame.

#include <filesystem>

#include "engine/core/geometry.h"
#include "engine/core/park.h"
#include "engine/core/raster.h"

namespace parktwin::gis {

/// Reads `dem` and resamples it bilinearly (DEM nodata honoured) onto a grid in `frame`
/// whose cell centres span `extent` (local metres) every `spacing_m`; row 0 is the south
/// row. Returns heights in metres above the DEM's vertical datum; nodes with no DEM data are
/// NaN. Throws InputError naming the DEM when it cannot be read or does not cover the
/// extent (both extents are given in the message).
TerrainGrid readTerrain(const std::filesystem::path& dem, const LocalFrame& frame,
                        const Box2& extent, double spacing_m);

} // namespace parktwin::gis
