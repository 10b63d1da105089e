#pragma once
// Contour lines of a concentration grid (GDAL's contour generator), in the park CRS.

#include <vector>

#include "engine/core/park.h"
#include "engine/core/raster.h"

namespace parktwin::gis {

struct ContourLine {
    double level = 0;         ///< the grid value along the line (µg/m³ for concentrations)
    std::vector<Vec2> points; ///< easting/northing in the park CRS, metres
};

/// Lines where `grid` (cell-centred, NaN as nodata) crosses each of `levels`, interpolated
/// linearly between cell centres by GDALContourGenerateEx. Levels outside the grid's range
/// give no line. Returns the lines in the projected coordinates of `frame`. Throws Error when
/// GDAL fails.
std::vector<ContourLine> contourLines(const RasterGrid& grid, const LocalFrame& frame,
                                      const std::vector<double>& levels);

} // namespace parktwin::gis
