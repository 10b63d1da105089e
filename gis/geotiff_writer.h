#pragma once
// Rasters out: a RasterGrid in the park frame written as a north-up GeoTIFF in the park CRS.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/park.h"
#include "engine/core/raster.h"

namespace parktwin::gis {

struct GeoTiffInfo {
    std::string units = "ug/m3"; ///< band unit type, e.g. "ug/m3" or "m"
    std::string description;     ///< band description, e.g. "1-hour SO2, maximum"
    double nodata = -9999.0;     ///< written where the grid holds NaN
    std::vector<std::pair<std::string, std::string>> metadata; ///< extra dataset items
};

/// Writes `grid` to `path` as a single-band Float32 DEFLATE GeoTIFF, north-up, with the
/// geotransform of the cell edges in `frame.crs`, the nodata value, the units and metadata.
/// Returns nothing; throws parktwin::Error naming the path when it cannot be written and
/// InputError when the frame's CRS is unknown.
void writeGeoTiff(const std::filesystem::path& path, const RasterGrid& grid,
                  const LocalFrame& frame, const GeoTiffInfo& info);

} // namespace parktwin::gis
