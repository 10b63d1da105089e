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

    app::ViewArgs view;
    CLI::App* viewCmd = cli.add_subcommand("view", "Open the 3D viewer on a scenario");
    viewCmd->add_option("scenario", view.scenario, "Scenario file (TOML)")->required();
    viewCmd->add_option("--width", view.width, "Window width in pixels")
        ->check(CLI::Range(320, 8192));
    viewCmd->add_option("--height", view.height, "Window height in pixels")
        ->check(CLI::Range(240, 8192));

    app::ImportArgs import;
    CLI::App* importCmd =
        cli.add_subcommand("import", "Load a park manifest and report what it holds");
    importCmd->add_option("manifest", import.manifest, "Park manifest (park.toml)")->required();
    importCmd->add_flag("--json", import.json, "Print the report as JSON");
    importCmd->add_flag("--strict", import.strict,
                        "Fail when any feature had to be skipped (broken geometry)");

    app::IngestMqttArgs ingestMqtt;
    CLI::App* ingestCmd = cli.add_subcommand(
        "ingest", "Store live readings (MQTT) with QCVN alarms and incidents");
    ingestCmd->add_option("--db", ingestMqtt.db, "Readings database (SQLite)")->required();
    ingestCmd->add_option("--mqtt", ingestMqtt.broker, "MQTT broker HOST:PORT")->required();
    ingestCmd->add_option("--topic", ingestMqtt.topics, "Topic pattern, e.g. parktwin/+/data")
        ->required();
    ingestCmd->add_option("--user", ingestMqtt.user, "Broker user name");
    ingestCmd->add_option("--password", ingestMqtt.password,
                          "Broker password (or $PARKTWIN_MQTT_PASSWORD)");
    ingestCmd->add_option("--client-id", ingestMqtt.clientId,
                          "Fixed client id of the persistent session");
    ingestCmd->add_option("--max-retries", ingestMqtt.maxRetries,
                          "Connection attempts before giving up (-1: never)");
    ingestCmd->add_option("--utc-offset", ingestMqtt.utcOffset,
                          "Offset of payload times that carry none");
    ingestCmd->add_option("--thresholds", ingestMqtt.thresholds,
                          "Limits CSV (default: the bundled QCVN table)");
    ingestCmd->add_option("--interval", ingestMqtt.interval_s,
                          "Stations' reporting interval in seconds")
        ->check(CLI::Range(1, 86400));
    ingestCmd->add_option("--emission-factor", ingestMqtt.emissionFactor,
                          "QCVN 19 Kp x Kv applied to stack limits")
        ->check(CLI::Range(0.1, 10.0));

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

    try {
        cli.parse(argc, argv);
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
        if (*importCmd)
            return app::importCommand(import);
        if (*ingestCmd)
            return app::ingestMqttCommand(ingestMqtt);
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
    } catch (const Error& e) {
        std::fprintf(stderr, "parktwin: error: %s\n", e.what());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "parktwin: unexpected error: %s\n", e.what());
        return 1;
    }
    return 0;
}
