#pragma once
// Comparison of two run output folders: difference rasters and the changes at the sensitive
// receptors and in the park-wide maximum.

#include <filesystem>
#include <string>
#include <vector>

#include "gis/raster_diff.h"

namespace parktwin::app {

struct RasterChange {
    std::string file; ///< relative to the run folder, e.g. "averages/so2_1h_total.tif"
    gis::RasterDiffStats stats;
};

/// One value compared: a receptor's column, or the grid maximum of a period and component.
struct ValueChange {
    std::string locationId;
    std::string locationName;
    std::string kind;
    std::string quantity; ///< column, e.g. "so2_24h_total", or "1h total" for the grid maximum
    double a = 0;
    double b = 0;
    double change() const { return b - a; }
};

struct RunDiff {
    std::filesystem::path a, b, out;
    std::vector<RasterChange> rasters;
    std::vector<ValueChange> receptors; ///< sites present in both runs
    std::vector<ValueChange> maxima;    ///< park-wide (grid) maxima from compliance.csv
};

/// Writes into `out` the difference B - A of every GeoTIFF the two folders share
/// (period_max.tif, period_mean.tif, averages/*.tif), diff_receptors.csv and
/// diff_maxima.csv. Throws InputError naming the folder or file when a run folder lacks its
/// tables or the grids differ.
RunDiff diffRuns(const std::filesystem::path& a, const std::filesystem::path& b,
                 const std::filesystem::path& out);

} // namespace parktwin::app
