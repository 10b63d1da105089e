#pragma once
// The parktwin subcommands. Each returns the process exit code; errors are thrown and turned
// into a one-line message by main().

#include <filesystem>
#include <memory>
#include <optional>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "engine/core/park.h"
#include "engine/logistics/des.h"
#include "engine/logistics/emissions.h"
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
    /// Readings database of `parktwin ingest`: the park's sensors' readings and the incidents
    /// with their ranked sources; empty: none.
    std::filesystem::path db;
    int width = 1280;
    int height = 720;
};

struct SnapshotArgs {
    std::filesystem::path scenario;
    /// Readings database of `parktwin ingest`: the park's sensors' readings and the incidents
    /// with their ranked sources; empty: none.
    std::filesystem::path db;
    std::string at; ///< ISO 8601; park local time without an offset; empty: period maximum
    std::filesystem::path png;
    std::string view = "oblique"; ///< "oblique" or "top"
    int width = 1280;
    int height = 720;
};

struct RenderArgs {
    std::filesystem::path scenario;
    /// Readings database of `parktwin ingest`: the park's sensors' readings and the incidents
    /// with their ranked sources; empty: none.
    std::filesystem::path db;
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

struct IngestMqttArgs {
    std::filesystem::path db;
    std::string broker;              ///< HOST:PORT
    std::vector<std::string> topics; ///< patterns, e.g. parktwin/+/data
    std::string user;
    std::string password;            ///< or $PARKTWIN_MQTT_PASSWORD
    std::string clientId = "parktwin-ingest";
    int maxRetries = -1;             ///< connection attempts before giving up; -1 never
    std::string utcOffset = "+07:00";
    std::filesystem::path thresholds; ///< empty: the bundled QCVN table
    int interval_s = 300;             ///< stations' reporting interval
    double emissionFactor = 1.0;      ///< QCVN 19 Kp x Kv
    std::filesystem::path park;       ///< park manifest, park folder or scenario
    std::string metStation;           ///< station whose wind ranks sources; empty: all
    double leadInHours = 3;           ///< readings before an incident that join its ranking
    double rankIntervalSeconds = 60;  ///< a growing incident is ranked at most this often
};

struct FeedArgs {
    std::filesystem::path csv;
    std::string broker;
    double speed = 60; ///< data seconds per wall second; 0: as fast as the broker takes them
    std::string topicPrefix = "parktwin";
    std::string user;
    std::string password;
    std::string utcOffset; ///< empty: by layout (AirNow Hà Nội +07:00, Beijing PRSA +08:00)
    std::string station;   ///< overrides the file's station
    std::uint64_t firstSeq = 1;
};

struct IncidentsArgs {
    std::filesystem::path db;
    bool json = false;
    std::string utcOffset = "+07:00";
    std::int64_t attribute = 0;   ///< incident to rank again; 0: none
    std::filesystem::path park;   ///< with attribute: the park's manifest
    std::string metStation;       ///< with attribute: station whose wind is used; empty: all
    double leadInHours = 3;       ///< with attribute: readings before the incident
};

struct AckArgs {
    std::filesystem::path db;
    std::int64_t alarm = 0;
    std::string operatorName;
};

/// The QCVN thresholds table bundled with ParkTwin.
std::filesystem::path bundledThresholds();

/// Subscribes to an MQTT broker and stores the readings, raising alarms and incidents, until
/// SIGINT or SIGTERM.
int ingestMqttCommand(const IngestMqttArgs& args);

/// Publishes a recorded CSV as a live MQTT feed, one message per station and time step.
int feedCommand(const FeedArgs& args);

/// Lists incidents and active alarms of a database.
int incidentsCommand(const IncidentsArgs& args);

/// Acknowledges an alarm in the name of an operator.
int ackCommand(const AckArgs& args);
struct IscArgs {
    std::filesystem::path deck;
    std::filesystem::path out; ///< empty: <deck stem>-out in the working folder
    bool progress = true;
};

/// Runs an ISCST3 control file: the print file <deck stem>.out and the deck's PLOTFILE,
/// POSTFILE and MAXIFILE outputs, all in `out`.
int iscCommand(const IscArgs& args);
struct IngestArgs {
    std::filesystem::path db;
    /// Alarms, incidents and the ranking of their sources run on the committed batches when a
    /// park or a thresholds file is given (as they always do for a live MQTT feed).
    std::filesystem::path park;               ///< park manifest, park folder or scenario
    std::filesystem::path thresholds;         ///< empty: the bundled QCVN table
    int interval_s = 300;                     ///< stations' reporting interval (alarms)
    double emissionFactor = 1.0;              ///< QCVN 19 Kp x Kv
    std::string metStation;                   ///< station whose wind ranks sources; empty: all
    double leadInHours = 3;                   ///< readings before an incident in its ranking
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

struct DiffArgs {
    std::filesystem::path a;   ///< run folder of the reference
    std::filesystem::path b;   ///< run folder compared with it
    std::filesystem::path out; ///< empty: b/diff
};

/// Loads the park and the scenario, runs every hour, writes GeoTIFFs, the results store,
/// the summary and optionally a PNG snapshot of the 3D view.
int runCommand(const RunArgs& args);

/// A day of a scenario's trucks, simulated on the park's road graph.
struct TruckDay {
    std::shared_ptr<const logistics::RoadGraph> graph;
    std::optional<logistics::Simulation> sim; ///< run to its end
};

/// Simulates the scenario's [logistics] section on the park's road graph (read from the park's
/// road layer unless `graph` is given, for a variant of the same park). With `run` false the
/// simulation is set up at its start and not run.
TruckDay simulateTrucks(const scenario::Scenario& scenario, const ParkModel& park,
                        std::shared_ptr<const logistics::RoadGraph> graph = nullptr,
                        bool run = true);

/// The trucks' exhaust of the scenario's pollutant as hourly line and volume sources for its
/// dispersion run; nothing when the emission factors do not cover the pollutant (SO2).
std::optional<std::vector<logistics::HourlySources>>
truckSources(const scenario::Scenario& scenario, const logistics::Simulation& sim);

/// Writes the KPIs of a simulated truck day to out/results.sqlite and out/logistics_*.csv,
/// with the trucks' hourly NOx, PM and CO2 sources. Returns the KPIs as JSON.
nlohmann::json runLogistics(const scenario::Scenario& scenario, const ParkModel& park,
                            const logistics::Simulation& sim, const std::filesystem::path& out);

/// Opens the interactive viewer on a scenario's results (its results store when it holds
/// the whole period hour by hour, else a run in memory).
int viewCommand(const ViewArgs& args);

/// Renders one instant of a scenario (panels included) to a PNG under an X display.
int snapshotCommand(const SnapshotArgs& args);

/// Renders the replay window as numbered PNG frames, and as an MP4 when ffmpeg is on PATH.
int renderCommand(const RenderArgs& args);
/// Writes the difference of two run folders (rasters B - A, receptor and maximum tables) and
/// prints a summary.
int diffCommand(const DiffArgs& args);

/// Loads a park manifest and prints what was imported.
int importCommand(const ImportArgs& args);

} // namespace parktwin::app
