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

struct SnapshotArgs {
    std::filesystem::path scenario;
    std::string at; ///< ISO 8601; park local time without an offset; empty: period maximum
    std::filesystem::path png;
    std::string view = "oblique"; ///< "oblique" or "top"
    int width = 1280;
    int height = 720;
};

struct RenderArgs {
    std::filesystem::path scenario;
    std::string from; ///< ISO 8601, park local without an offset; empty: the scenario's start
    std::string to;   ///< likewise; empty: the scenario's end
    double fps = 10;
    double speed = 3600; ///< scenario seconds per second of video
    std::filesystem::path out;
    std::string view = "oblique";
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

/// Opens the interactive viewer on a scenario's results (its results store when it holds
/// the whole period hour by hour, else a run in memory).
int viewCommand(const ViewArgs& args);

/// Renders one instant of a scenario (panels included) to a PNG under an X display.
int snapshotCommand(const SnapshotArgs& args);

/// Renders the replay window as numbered PNG frames, and as an MP4 when ffmpeg is on PATH.
int renderCommand(const RenderArgs& args);

/// Loads a park manifest and prints what was imported.
int importCommand(const ImportArgs& args);

} // namespace parktwin::app
