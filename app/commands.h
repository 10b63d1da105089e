#pragma once
// The parktwin subcommands. Each returns the process exit code; errors are thrown and turned
// into a one-line message by main().

#include <filesystem>
#include <optional>
#include <string>

namespace parktwin::app {

struct RunArgs {
    std::filesystem::path scenario;
    std::filesystem::path out;      ///< empty: the scenario's outputs.directory
    std::filesystem::path snapshot; ///< empty: no picture
    bool progress = true;
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

struct DiffArgs {
    std::filesystem::path a;   ///< run folder of the reference
    std::filesystem::path b;   ///< run folder compared with it
    std::filesystem::path out; ///< empty: b/diff
};

/// Loads the park and the scenario, runs every hour, writes GeoTIFFs, the results store,
/// the summary and optionally a PNG snapshot of the 3D view.
int runCommand(const RunArgs& args);

/// Runs the scenario in memory and opens the interactive viewer on it.
int viewCommand(const ViewArgs& args);

/// Writes the difference of two run folders (rasters B - A, receptor and maximum tables) and
/// prints a summary.
int diffCommand(const DiffArgs& args);

/// Loads a park manifest and prints what was imported.
int importCommand(const ImportArgs& args);

} // namespace parktwin::app
