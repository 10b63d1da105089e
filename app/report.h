#pragma once
// report.html: a run folder's results for a reader without ParkTwin: maps, a wind rose of the
// met used, the compliance tables and the comparisons of the variants with the baseline.

#include <filesystem>
#include <string>
#include <vector>

#include "app/analysis.h"
#include "app/diff.h"
#include "engine/core/met.h"

namespace parktwin::app {

struct ReportMap {
    std::string caption;
    std::filesystem::path image; ///< relative to the report's folder
};

struct ReportInput {
    const scenario::Scenario* scenario = nullptr;
    const ParkModel* park = nullptr;
    std::string metSource;        ///< file and station of the met
    std::vector<MetHour> metHours; ///< the hours with met of the baseline run
    int hours = 0;
    int missingMetHours = 0;
    std::vector<RunAnalysis> runs; ///< the baseline first, then each variant
    std::vector<std::vector<dispersion::PointSource>> sources; ///< as modelled, per run
    std::vector<RunDiff> diffs;    ///< each variant against the baseline
    std::vector<ReportMap> maps;
    std::string mapsNote;          ///< why there are no maps, when there are none
};

/// Wind rose of `hours` as a self-contained SVG: 16 sectors of the direction the wind blows
/// from, stacked by speed class, sector length proportional to the share of hours; calm
/// hours are counted in the centre.
std::string windRoseSvg(const std::vector<MetHour>& hours);

/// Writes the report as one HTML file (maps as PNG files beside it, the wind rose inline).
/// Throws Error naming the file when it cannot be written.
void writeReport(const std::filesystem::path& file, const ReportInput& input);

} // namespace parktwin::app
