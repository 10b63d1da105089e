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
    } catch (const Error& e) {
        std::fprintf(stderr, "parktwin: error: %s\n", e.what());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "parktwin: unexpected error: %s\n", e.what());
        return 1;
    }
    return 0;
}
