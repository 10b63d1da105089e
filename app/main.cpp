// parktwin: the command line of the ParkTwin digital-twin engine.

#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "app/commands.h"
#include "engine/core/error.h"
#include "engine/core/log.h"

int main(int argc, char** argv) {
    using namespace parktwin;
    CLI::App cli{"ParkTwin: a digital twin of industrial parks (GIS, dispersion, 3D viewer)"};
    cli.require_subcommand(1);
    bool verbose = false;
    bool quiet = false;
    cli.add_flag("-v,--verbose", verbose, "Log debug detail");
    cli.add_flag("-q,--quiet", quiet, "Log errors only");

    app::RunArgs run;
    bool noProgress = false;
    CLI::App* runCmd = cli.add_subcommand(
        "run", "Run a scenario: GeoTIFFs, results store, summary and an optional PNG");
    runCmd->add_option("scenario", run.scenario, "Scenario file (TOML)")->required();
    runCmd->add_option("--out", run.out, "Output folder (default: the scenario's)");
    runCmd->add_option("--snapshot", run.snapshot, "Render the 3D view to this PNG file");
    runCmd->add_flag("--no-progress", noProgress, "Do not draw a progress bar");
    runCmd->add_flag("--json", run.json, "Print the KPIs and summary as JSON");

    app::ViewArgs view;
    CLI::App* viewCmd = cli.add_subcommand("view", "Open the 3D viewer on a scenario");
    viewCmd->add_option("scenario", view.scenario, "Scenario file (TOML)")->required();
    viewCmd->add_option("--db", view.db, "Readings database of parktwin ingest: sensor readings and incidents");
    viewCmd->add_option("--width", view.width, "Window width in pixels")
        ->check(CLI::Range(320, 8192));
    viewCmd->add_option("--height", view.height, "Window height in pixels")
        ->check(CLI::Range(240, 8192));

    app::SnapshotArgs snapshot;
    CLI::App* snapshotCmd = cli.add_subcommand(
        "snapshot", "Render one instant of a scenario, panels included, to a PNG");
    snapshotCmd->add_option("scenario", snapshot.scenario, "Scenario file (TOML)")->required();
    snapshotCmd->add_option("--db", snapshot.db, "Readings database of parktwin ingest: sensor readings and incidents");
    snapshotCmd->add_option("--at", snapshot.at,
                            "ISO 8601 time, park local without an offset (default: the "
                            "period maximum)");
    snapshotCmd->add_option("--png", snapshot.png, "PNG file to write")->required();
    snapshotCmd->add_option("--view", snapshot.view, "oblique or top")
        ->check(CLI::IsMember({"oblique", "top"}));
    snapshotCmd->add_option("--width", snapshot.width)->check(CLI::Range(320, 8192));
    snapshotCmd->add_option("--height", snapshot.height)->check(CLI::Range(240, 8192));

    app::RenderArgs render;
    CLI::App* renderCmd = cli.add_subcommand(
        "render", "Render a scenario's replay as numbered PNG frames (and MP4 with ffmpeg)");
    renderCmd->add_option("scenario", render.scenario, "Scenario file (TOML)")->required();
    renderCmd->add_option("--db", render.db, "Readings database of parktwin ingest: sensor readings and incidents");
    renderCmd->add_option("--from", render.from, "ISO 8601 start (default: the scenario's)");
    renderCmd->add_option("--to", render.to, "ISO 8601 end (default: the scenario's)");
    renderCmd->add_option("--fps", render.fps, "Frames per second of video")
        ->check(CLI::Range(0.01, 240.0));
    renderCmd->add_option("--speed", render.speed, "Scenario seconds per second of video")
        ->check(CLI::Range(1.0, 1e7));
    renderCmd->add_option("--out", render.out, "Folder for the frames")->required();
    renderCmd->add_option("--view", render.view, "oblique or top")
        ->check(CLI::IsMember({"oblique", "top"}));
    renderCmd->add_option("--width", render.width)->check(CLI::Range(320, 8192));
    renderCmd->add_option("--height", render.height)->check(CLI::Range(240, 8192));

    app::ImportArgs import;
    CLI::App* importCmd =
        cli.add_subcommand("import", "Load a park manifest and report what it holds");
    importCmd->add_option("manifest", import.manifest, "Park manifest (park.toml)")->required();
    importCmd->add_flag("--json", import.json, "Print the report as JSON");
    importCmd->add_flag("--strict", import.strict,
                        "Fail when any feature had to be skipped (broken geometry)");

    app::IngestArgs ingest;
    CLI::App* ingestCmd = cli.add_subcommand(
        "ingest", "Read station files from a drop folder, CSV history or a live MQTT feed into a "
        "readings store (MQTT with QCVN alarms and incidents)");
    ingestCmd->add_option("--db", ingest.db, "Readings store (SQLite, created if absent)")
        ->required();
    auto* watchOpt = ingestCmd->add_option("--watch", ingest.watch,
                                           "Drop folder of Thông tư 10/2021 station files");
    auto* csvOpt = ingestCmd->add_option("--csv", ingest.csv,
                                         "CSV history file (AirNow or Beijing PRSA layout)");
    watchOpt->excludes(csvOpt);
    ingestCmd->add_option("--utc-offset", ingest.utcOffset,
                          "UTC offset of the sources' local time stamps (default +07:00)");
    ingestCmd->add_option("--station", ingest.station, "Station id for CSV readings");
    ingestCmd->add_flag("--once", ingest.once, "Process the files in the folder and exit");
    ingestCmd->add_option("--poll-seconds", ingest.pollSeconds, "Seconds between folder scans")
        ->check(CLI::Range(0.1, 3600.0));
    ingestCmd->add_option("--batch", ingest.batchSize, "Readings per committed batch (CSV)")
        ->check(CLI::Range(1, 1000000));
    ingestCmd->add_flag("--json", ingest.json, "Print the totals as JSON");

    app::IngestMqttArgs ingestMqtt;
    auto* mqttOpt = ingestCmd->add_option("--mqtt", ingestMqtt.broker,
                                          "MQTT broker HOST:PORT (live feed)");
    mqttOpt->excludes(watchOpt)->excludes(csvOpt);
    ingestCmd->add_option("--topic", ingestMqtt.topics, "MQTT topic pattern, e.g. parktwin/+/data")
        ->needs(mqttOpt);
    ingestCmd->add_option("--user", ingestMqtt.user, "MQTT user name")->needs(mqttOpt);
    ingestCmd->add_option("--password", ingestMqtt.password,
                          "MQTT password (or $PARKTWIN_MQTT_PASSWORD)")
        ->needs(mqttOpt);
    ingestCmd->add_option("--client-id", ingestMqtt.clientId,
                          "Fixed MQTT client id of the persistent session")
        ->needs(mqttOpt);
    ingestCmd->add_option("--max-retries", ingestMqtt.maxRetries,
                          "MQTT connection attempts before giving up (-1: never)")
        ->needs(mqttOpt);
    // Alarms and rankings: always on a live feed; on files with --park or --thresholds.
    ingestCmd->add_option("--thresholds", ingestMqtt.thresholds,
                          "Limits CSV for the alarms (default: the bundled QCVN table)");
    ingestCmd->add_option("--interval", ingestMqtt.interval_s,
                          "Stations' reporting interval in seconds (alarms)")
        ->check(CLI::Range(1, 86400));
    ingestCmd->add_option("--emission-factor", ingestMqtt.emissionFactor,
                          "QCVN 19 Kp x Kv applied to stack limits")
        ->check(CLI::Range(0.1, 10.0));
    ingestCmd->add_option("--park", ingestMqtt.park,
                          "Park manifest, park folder or scenario: the sources of each incident "
                          "are ranked over its stacks")
        ->check(CLI::ExistingPath);
    ingestCmd->add_option("--met-station", ingestMqtt.metStation,
                          "Station whose WS/WD/TEMP give the wind for rankings (default: all)");
    ingestCmd->add_option("--lead-in-hours", ingestMqtt.leadInHours,
                          "Hours of readings before an incident that join its ranking")
        ->check(CLI::Range(0.0, 48.0));
    ingestCmd->add_option("--rank-interval", ingestMqtt.rankIntervalSeconds,
                          "Seconds between rankings of a growing incident (MQTT)")
        ->check(CLI::Range(0.0, 86400.0))
        ->needs(mqttOpt);

    app::ReplayArgs replay;
    CLI::App* replayCmd = cli.add_subcommand(
        "replay", "Latest reading per station, the wind and open incidents at an instant");
    replayCmd->add_option("--db", replay.db, "Readings store")->required();
    replayCmd->add_option("--at", replay.at,
                          "Instant, ISO 8601 (park local time when it has no offset)")
        ->required();
    replayCmd->add_option("--utc-offset", replay.utcOffset,
                          "Park local time zone as a UTC offset (default +07:00)");
    replayCmd->add_flag("--json", replay.json, "Print the snapshot as JSON");

    app::FeedArgs feed;
    CLI::App* feedCmd =
        cli.add_subcommand("feed", "Replay a recorded CSV (AirNow, Beijing PRSA) as an MQTT feed");
    feedCmd->add_option("--csv", feed.csv, "CSV history file")->required();
    feedCmd->add_option("--mqtt", feed.broker, "MQTT broker HOST:PORT")->required();
    feedCmd->add_option("--speed", feed.speed,
                        "Data seconds per wall-clock second (0: no waiting)");
    feedCmd->add_option("--topic-prefix", feed.topicPrefix,
                        "Topics are PREFIX/<station>/data");
    feedCmd->add_option("--user", feed.user, "Broker user name");
    feedCmd->add_option("--password", feed.password,
                        "Broker password (or $PARKTWIN_MQTT_PASSWORD)");
    feedCmd->add_option("--utc-offset", feed.utcOffset,
                        "Zone of the file's local times (default by layout)");
    feedCmd->add_option("--station", feed.station, "Station id replacing the file's");
    feedCmd->add_option("--first-seq", feed.firstSeq, "First sequence number of each station");

    app::IncidentsArgs incidents;
    CLI::App* incidentsCmd =
        cli.add_subcommand("incidents", "List incidents and active alarms of a database");
    incidentsCmd->add_option("--db", incidents.db, "Readings database (SQLite)")->required();
    incidentsCmd->add_flag("--json", incidents.json, "Print as JSON");
    incidentsCmd->add_option("--utc-offset", incidents.utcOffset, "Zone of the printed times");
    auto* attributeOpt = incidentsCmd->add_option(
        "--attribute", incidents.attribute, "Rank the sources of this incident again and store it");
    attributeOpt->check(CLI::PositiveNumber);
    auto* parkOpt = incidentsCmd->add_option(
        "--park", incidents.park, "Park manifest, park folder or scenario for --attribute");
    parkOpt->check(CLI::ExistingPath)->needs(attributeOpt);
    attributeOpt->needs(parkOpt);
    incidentsCmd->add_option("--met-station", incidents.metStation,
                             "Station whose WS/WD/TEMP give the wind (default: all)")
        ->needs(attributeOpt);
    incidentsCmd->add_option("--lead-in-hours", incidents.leadInHours,
                             "Hours of readings before the incident that join the ranking")
        ->check(CLI::Range(0.0, 48.0))
        ->needs(attributeOpt);

    app::AckArgs ack;
    CLI::App* ackCmd = cli.add_subcommand("ack", "Acknowledge an alarm as a named operator");
    ackCmd->add_option("--db", ack.db, "Readings database (SQLite)")->required();
    ackCmd->add_option("--alarm", ack.alarm, "Alarm id")->required();
    ackCmd->add_option("--operator", ack.operatorName, "Operator's name")->required();

    app::IscArgs isc;
    CLI::App* iscCmd = cli.add_subcommand(
        "isc", "Run an ISCST3 control file: print file, PLOTFILE, POSTFILE and MAXIFILE outputs");
    iscCmd->add_option("deck", isc.deck, "ISCST3 control file (.INP)")->required();
    iscCmd->add_option("--out", isc.out, "Output folder (default: <deck name>-out)");
    iscCmd->add_flag("--no-progress", noProgress, "Do not draw a progress bar");
    app::DiffArgs diff;
    CLI::App* diffCmd = cli.add_subcommand(
        "diff", "Compare two run folders: difference rasters, receptor and maximum changes");
    diffCmd->add_option("results_a", diff.a, "Run folder of the reference")->required();
    diffCmd->add_option("results_b", diff.b, "Run folder compared with it")->required();
    diffCmd->add_option("--out", diff.out, "Output folder (default: RESULTS_B/diff)");

    try {
        cli.parse(argc, argv);
        if (*ingestCmd && ingest.watch.empty() && ingest.csv.empty() && ingestMqtt.broker.empty())
            throw CLI::RequiredError("one of --watch DIR, --csv FILE or --mqtt HOST:PORT");
        if (*ingestCmd && !ingestMqtt.broker.empty() && ingestMqtt.topics.empty())
            throw CLI::RequiredError("--topic PATTERN (with --mqtt)");
    } catch (const CLI::ParseError& e) {
        // --help is a success; any other command-line mistake is a usage error, status 2.
        return cli.exit(e) == 0 ? 0 : 2;
    }

    log::setLevel(quiet ? log::Level::Error : verbose ? log::Level::Debug : log::Level::Info);
    try {
        if (*runCmd) {
            run.progress = !noProgress && !quiet;
            return app::runCommand(run);
        }
        if (*viewCmd)
            return app::viewCommand(view);
        if (*snapshotCmd)
            return app::snapshotCommand(snapshot);
        if (*renderCmd)
            return app::renderCommand(render);
        if (*importCmd)
            return app::importCommand(import);
        if (*ingestCmd && !ingestMqtt.broker.empty()) {
            ingestMqtt.db = ingest.db;
            ingestMqtt.utcOffset = ingest.utcOffset;
            return app::ingestMqttCommand(ingestMqtt);
        }
        if (*ingestCmd) {
            ingest.park = ingestMqtt.park;
            ingest.thresholds = ingestMqtt.thresholds;
            ingest.interval_s = ingestMqtt.interval_s;
            ingest.emissionFactor = ingestMqtt.emissionFactor;
            ingest.metStation = ingestMqtt.metStation;
            ingest.leadInHours = ingestMqtt.leadInHours;
            return app::ingestCommand(ingest);
        }
        if (*replayCmd)
            return app::replayCommand(replay);
        if (*feedCmd)
            return app::feedCommand(feed);
        if (*incidentsCmd)
            return app::incidentsCommand(incidents);
        if (*ackCmd)
            return app::ackCommand(ack);
        if (*iscCmd) {
            isc.progress = !noProgress && !quiet;
            return app::iscCommand(isc);
        }
        if (*diffCmd)
            return app::diffCommand(diff);
    } catch (const Error& e) {
        std::fprintf(stderr, "parktwin: error: %s\n", e.what());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "parktwin: unexpected error: %s\n", e.what());
        return 1;
    }
    return 0;
}
