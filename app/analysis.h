#pragma once
// The analyst's outputs of one run: compliance with QCVN 05:2023 (table and CSV), the
// receptors' values, GeoTIFFs per averaging period, contours and the GeoPackage.

#include <filesystem>
#include <string>
#include <vector>

#include "engine/core/met.h"
#include "engine/core/park.h"
#include "engine/scenario/background.h"
#include "engine/scenario/compliance.h"
#include "engine/scenario/runner.h"
#include "engine/scenario/scenario.h"

namespace parktwin::app {

/// A run and what was derived from it, kept for the report and the comparisons.
struct RunAnalysis {
    std::string name;  ///< scenario or variant name
    std::string title;
    std::filesystem::path folder; ///< where its outputs were written
    scenario::ComplianceResult compliance;
    scenario::BackgroundSeries background;
    std::vector<SensitiveSite> sites;
};

/// File-name stem of a period grid: "so2_1h_total".
std::string gridName(const std::string& pollutant, const scenario::PeriodGrid& grid);

/// Compares the run with the limits, then writes into `folder`: compliance.csv,
/// receptors.csv, averages/<grid>.tif for every period grid, and results.gpkg (receptors,
/// contours at the scenario's levels and at the limits, the park's layers, the rasters) when
/// the scenario asks for it. `hourly` must hold the run's hourly grids.
RunAnalysis analyseRun(const scenario::Scenario& scenario, const ParkModel& park,
                       const scenario::RunResult& result, const std::filesystem::path& folder);

/// Reads a CSV file written by ParkTwin (quoted fields allowed) into rows of fields, the
/// header first. Throws InputError naming the file and line of a malformed row.
std::vector<std::vector<std::string>> readCsv(const std::filesystem::path& file);

/// One field quoted for CSV when it needs to be.
std::string csvField(const std::string& text);

} // namespace parktwin::app
