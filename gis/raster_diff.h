#pragma once
// The difference of two result rasters of the same grid: B - A, cell by cell.

#include <filesystem>

namespace parktwin::gis {

struct RasterDiffStats {
    long cells = 0;       ///< cells where both rasters have a value
    double minChange = 0; ///< lowest B - A (µg/m³ for concentrations)
    double maxChange = 0; ///< highest B - A
    double maxA = 0;      ///< highest value of A
    double maxB = 0;      ///< highest value of B
};

/// Writes `out` = `b` - `a` as a Float32 GeoTIFF on the same grid (nodata where either has
/// none) and returns the statistics. The rasters must share size, geotransform and CRS:
/// otherwise an InputError names the file that differs and how. Identical inputs give
/// exactly zero everywhere.
RasterDiffStats writeRasterDifference(const std::filesystem::path& a,
                                      const std::filesystem::path& b,
                                      const std::filesystem::path& out);

} // namespace parktwin::gis
