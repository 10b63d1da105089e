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

    app::IngestArgs ingest;
    CLI::App* ingestCmd = cli.add_subcommand(
        "ingest", "Read station files from a drop folder, or CSV history, into a readings store");
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

    try {
        cli.parse(argc, argv);
        if (*ingestCmd && ingest.watch.empty() && ingest.csv.empty())
            throw CLI::RequiredError("ingest needs --watch DIR or --csv FILE");
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
            return app::ingestCommand(ingest);
        if (*replayCmd)
            return app::replayCommand(replay);
    } catch (const Error& e) {
        std::fprintf(stderr, "parktwin: error: %s\n", e.what());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "parktwin: unexpected error: %s\n", e.what());
        return 1;
    }
    return 0;
}
