#pragma once
// The parktwin subcommands. Each returns the process exit code; errors are thrown and turned
// into a one-line message by main().

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

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

struct IngestArgs {
    std::filesystem::path db;
    std::filesystem::path watch;              ///< drop folder of station files
    std::vector<std::filesystem::path> csv;   ///< CSV history files
    std::string utcOffset = "+07:00";         ///< zone of the sources' local stamps
    std::string station;                      ///< overrides the station named in a CSV
    bool once = false;                        ///< --watch: process what is there and exit
    double pollSeconds = 2;                   ///< --watch: seconds between scans
    int batchSize = 1000;                     ///< readings per committed batch (CSV)
    bool json = false;
};

struct ReplayArgs {
    std::filesystem::path db;
    std::string at;                   ///< ISO 8601; local at utcOffset when it has no offset
    std::string utcOffset = "+07:00";
    bool json = false;
};

/// Reads station files from a drop folder or CSV history into the readings store.
int ingestCommand(const IngestArgs& args);

/// Prints the latest reading of each station, the wind and the open incidents at an instant.
int replayCommand(const ReplayArgs& args);

/// Loads the park and the scenario, runs every hour, writes GeoTIFFs, the results store,
/// the summary and optionally a PNG snapshot of the 3D view.
int runCommand(const RunArgs& args);

/// Runs the scenario in memory and opens the interactive viewer on it.
int viewCommand(const ViewArgs& args);

/// Loads a park manifest and prints what was imported.
int importCommand(const ImportArgs& args);

} // namespace parktwin::app
