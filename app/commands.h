#pragma once
// The parktwin subcommands. Each returns the process exit code; errors are thrown and turned
// into a one-line message by main().

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "engine/core/park.h"
#include "engine/scenario/scenario.h"

namespace parktwin::app {

struct RunArgs {
    std::filesystem::path scenario;
    std::filesystem::path out;      ///< empty: the scenario's outputs.directory
    std::filesystem::path snapshot; ///< empty: no picture
    bool progress = true;
    bool json = false; ///< print the logistics KPIs as JSON instead of the text summary
};

struct ViewArgs {
    std::filesystem::path scenario;
    int width = 1280;
    int height = 720;
};

struct ImportArgs {
    std::filesystem::path manifest;
    bool json = false;
    bool strict = false; ///< a skipped feature is an error
};

/// Loads the park and the scenario, runs every hour, writes GeoTIFFs, the results store,
/// the summary and optionally a PNG snapshot of the 3D view.
int runCommand(const RunArgs& args);

/// Simulates the scenario's [logistics] section on the park's road graph and writes its KPIs
/// to out/results.sqlite and out/logistics_*.csv. Returns the KPIs as JSON.
nlohmann::json runLogistics(const scenario::Scenario& scenario, const ParkModel& park,
                            const std::filesystem::path& out);

/// Runs the scenario in memory and opens the interactive viewer on it.
int viewCommand(const ViewArgs& args);

/// Loads a park manifest and prints what was imported.
int importCommand(const ImportArgs& args);

} // namespace parktwin::app
