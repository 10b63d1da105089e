#include "app/commands.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/core/thresholds.h"
#include "engine/scenario/met_source.h"
#include "engine/scenario/results_store.h"
#include "engine/scenario/runner.h"
#include "engine/scenario/scenario.h"
#include "gis/geotiff_writer.h"
#include "gis/park_loader.h"
#include "gis/spatial_ref.h"
#include "viewer/park_viewer.h"

namespace parktwin::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

/// Memory allowed for the hourly grids kept for writing (this machine kind has 24 GiB).
constexpr double kMaxHourlyBytes = 4e9;

struct Loaded {
    ParkModel park;
    scenario::Scenario scenario;
    MetSeries met;
};

Loaded loadAll(const fs::path& scenarioFile) {
    Loaded l;
    l.park = gis::loadPark(scenario::scenarioParkPath(scenarioFile));
    l.scenario = scenario::loadScenario(scenarioFile, l.park.timeZone);
    if (!l.scenario.met.format.empty())
        l.met = scenario::loadMet(l.scenario);
    return l;
}

/// The bundled thresholds file, found beside the executable's source tree or installed data.
std::optional<double> oneHourLimit(const std::string& pollutant) {
    const fs::path file = fs::path(PARKTWIN_ASSETS_DIR) / "regulation" / "qcvn_thresholds.csv";
    if (!fs::exists(file))
        return std::nullopt;
    const ThresholdTable table = readThresholds(file);
    if (auto t = table.ambient(pollutant, "1h"))
        return t->limit;
    return std::nullopt;
}

/// A progress bar on a terminal, or a log line every tenth of the run otherwise.
class Progress {
public:
    explicit Progress(bool enabled) : enabled_(enabled), tty_(isatty(STDERR_FILENO)) {}

    void operator()(int done, int total) {
        if (!enabled_)
            return;
        std::lock_guard lock(mutex_);
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        const double left = done > 0 ? elapsed * (total - done) / done : 0.0;
        if (tty_) {
            const int width = 30;
            const int filled = total > 0 ? width * done / total : width;
            std::fprintf(stderr, "\r[run] [%-*s] hour %d/%d, %.0f s left ", width,
                         std::string(filled, '#').c_str(), done, total, left);
            if (done == total)
                std::fprintf(stderr, "\n");
        } else if (total > 0 && (done * 10 / total != (done - 1) * 10 / total)) {
            log::get("run").info("hour {}/{} ({:.0f} s left)", done, total, left);
        }
    }

private:
    bool enabled_;
    bool tty_;
    std::mutex mutex_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

/// Longitude and latitude of a local-frame point, degrees.
Vec2 toLonLat(const LocalFrame& frame, Vec2 local) {
    const OGRSpatialReference park = gis::parseCrs(frame.crs, "park frame", "crs");
    const OGRSpatialReference wgs = gis::wgs84();
    auto ct = gis::makeTransform(park, wgs, "park frame");
    const Vec2 p = frame.toProjected(local);
    double x = p.x, y = p.y;
    if (!ct->Transform(1, &x, &y))
        throw Error("cannot transform a point of the park frame to longitude/latitude");
    return {x, y};
}

viewer::ViewContent viewContent(const Loaded& l, const scenario::RunResult& result) {
    viewer::ViewContent content;
    content.park = &l.park;
    content.pollutant = l.scenario.pollutant;
    for (const scenario::HourResult& h : result.hours) {
        content.hours.push_back(h.start);
        content.met.push_back(h.met);
    }
    content.hourly = result.hourly;
    content.periodMax = result.periodMax;
    if (auto limit = oneHourLimit(l.scenario.pollutant))
        content.limit_ugm3 = *limit;
    return content;
}

std::string compactTime(UtcTime t, UtcOffset zone) {
    std::string s = formatIsoTime(t, zone).substr(0, 13); // YYYY-MM-DDThh
    s.erase(std::remove(s.begin(), s.end(), '-'), s.end());
    return s;
}

json summarise(const Loaded& l, const scenario::RunResult& r, const fs::path& out) {
    const UtcOffset zone = l.park.timeZone;
    const auto limit = oneHourLimit(l.scenario.pollutant);
    json j;
    j["scenario"] = {{"name", l.scenario.name},
                     {"title", l.scenario.title},
                     {"file", l.scenario.file.string()}};
    j["park"] = {{"name", l.park.name},
                 {"crs", l.park.frame.crs},
                 {"origin_easting_m", l.park.frame.originEasting},
                 {"origin_northing_m", l.park.frame.originNorthing},
                 {"buildings", l.park.buildings.size()},
                 {"stacks", l.park.stacks.size()}};
    j["period"] = {{"start_local", formatIsoTime(l.scenario.start, zone)},
                   {"end_local", formatIsoTime(l.scenario.end, zone)},
                   {"hours", r.hours.size()},
                   {"calm_hours", r.calmHours},
                   {"hours_without_met", r.missingHours}};
    j["met"] = {{"source", l.met.source},
                {"station", l.scenario.met.station},
                {"stability_method", l.met.stabilityMethod},
                {"mixing_height_method", l.met.mixingMethod}};
    j["receptors"] = {{"count", r.grid.size()},
                      {"spacing_m", r.grid.dx},
                      {"columns", r.grid.nx},
                      {"rows", r.grid.ny}};
    json sources = json::array();
    for (const auto& s : r.sources)
        sources.push_back({{"stack", s.id},
                           {"height_m", s.height_m},
                           {"base_elevation_m", s.baseElevation_m},
                           {"emission_rate_gs", s.emissionRate_gs}});
    j["sources"] = sources;

    json max = {{"pollutant", l.scenario.pollutant}, {"units", "ug/m3"},
                {"value", r.overallMax_ugm3}};
    if (r.overallMaxHour >= 0) {
        const auto& hour = r.hours[r.overallMaxHour];
        const Vec2 p = r.overallMaxAt;
        const Vec2 en = l.park.frame.toProjected(p);
        const Vec2 ll = toLonLat(l.park.frame, p);
        max["hour_start_local"] = formatIsoTime(hour.start, zone);
        max["local_x_m"] = p.x;
        max["local_y_m"] = p.y;
        max["easting_m"] = en.x;
        max["northing_m"] = en.y;
        max["longitude"] = ll.x;
        max["latitude"] = ll.y;
        max["wind_from_deg"] = hour.met.windFromDir_deg;
        max["wind_speed_ms"] = hour.met.windSpeed_ms;
        max["stability"] = std::string(1, stabilityLetter(hour.met.stability));
        // Nearest stack and where the maximum lies from it, for a reader checking that
        // it sits downwind.
        const dispersion::PointSource* nearest = nullptr;
        for (const auto& s : r.sources)
            if (!nearest || length(s.position - p) < length(nearest->position - p))
                nearest = &s;
        if (nearest) {
            const Vec2 d = p - nearest->position;
            double bearing = std::atan2(d.x, d.y) * 180.0 / M_PI;
            if (bearing < 0)
                bearing += 360.0;
            max["nearest_stack"] = nearest->id;
            max["distance_from_stack_m"] = length(d);
            max["bearing_from_stack_deg"] = bearing;
        }
    }
    j["maximum_1h"] = max;
    j["period_mean_max_ugm3"] =
        r.periodMean.empty() ? 0.0
                             : *std::max_element(r.periodMean.values.begin(),
                                                 r.periodMean.values.end());
    if (limit) {
        int over = 0;
        for (const auto& h : r.hours)
            over += h.max_ugm3 > *limit;
        j["qcvn_05_2023_1h_limit_ugm3"] = *limit;
        j["hours_with_a_receptor_over_1h_limit"] = over;
    }
    j["outputs"] = {{"folder", out.string()}};
    return j;
}

std::string summaryText(const json& j) {
    char buf[512];
    std::string s;
    auto line = [&](const char* fmt, auto... args) {
        std::snprintf(buf, sizeof buf, fmt, args...);
        s += buf;
        s += '\n';
    };
    line("Scenario   %s", j["scenario"]["title"].get<std::string>().c_str());
    line("Park       %s (%s)", j["park"]["name"].get<std::string>().c_str(),
         j["park"]["crs"].get<std::string>().c_str());
    line("Period     %s to %s, %d hours (%d calm, %d without met)",
         j["period"]["start_local"].get<std::string>().c_str(),
         j["period"]["end_local"].get<std::string>().c_str(), j["period"]["hours"].get<int>(),
         j["period"]["calm_hours"].get<int>(), j["period"]["hours_without_met"].get<int>());
    line("Met        %s", j["met"]["station"].get<std::string>().c_str());
    line("Receptors  %d at %.0f m spacing", j["receptors"]["count"].get<int>(),
         j["receptors"]["spacing_m"].get<double>());
    const json& m = j["maximum_1h"];
    line("Highest 1-hour %s: %.2f ug/m3", m["pollutant"].get<std::string>().c_str(),
         m["value"].get<double>());
    if (m.contains("hour_start_local")) {
        line("  when     hour starting %s", m["hour_start_local"].get<std::string>().c_str());
        line("  where    E %.0f N %.0f (%.5f E, %.5f N)", m["easting_m"].get<double>(),
             m["northing_m"].get<double>(), m["longitude"].get<double>(),
             m["latitude"].get<double>());
        line("  wind     from %.0f deg at %.1f m/s, class %s", m["wind_from_deg"].get<double>(),
             m["wind_speed_ms"].get<double>(), m["stability"].get<std::string>().c_str());
        if (m.contains("nearest_stack"))
            line("  from     %s: %.0f m at bearing %.0f deg",
                 m["nearest_stack"].get<std::string>().c_str(),
                 m["distance_from_stack_m"].get<double>(),
                 m["bearing_from_stack_deg"].get<double>());
    }
    if (j.contains("qcvn_05_2023_1h_limit_ugm3"))
        line("QCVN 05:2023 1-hour limit %.0f ug/m3: exceeded somewhere in %d of %d hours",
             j["qcvn_05_2023_1h_limit_ugm3"].get<double>(),
             j["hours_with_a_receptor_over_1h_limit"].get<int>(), j["period"]["hours"].get<int>());
    return s;
}

void writeText(const fs::path& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    if (!out)
        throw Error(path.string() + ": cannot write");
}

} // namespace

int runCommand(const RunArgs& args) {
    const Loaded l = loadAll(args.scenario);

    fs::path out = args.out;
    if (out.empty())
        out = l.scenario.outputs.directory.empty()
                  ? fs::path("out") / l.scenario.name
                  : (l.scenario.file.parent_path() / l.scenario.outputs.directory)
                        .lexically_normal();
    std::error_code ec;
    fs::create_directories(out, ec);
    if (ec)
        throw Error(out.string() + ": cannot create output folder: " + ec.message());
    // Check what the picture needs before hours of computing, not after.
    if (!args.snapshot.empty()) {
        const char* display = std::getenv("DISPLAY");
        if (!display || !*display)
            throw Error("--snapshot " + args.snapshot.string() +
                        ": no X display (set DISPLAY, or run under xvfb-run -a)");
        const fs::path folder = fs::absolute(args.snapshot).parent_path();
        fs::create_directories(folder, ec);
        if (ec)
            throw Error(args.snapshot.string() + ": cannot create its folder: " + ec.message());
    }
    // Outputs of an earlier run in the same folder would mix with this one's.
    for (const char* stale : {"hourly", "period_max.tif", "period_mean.tif", "results.sqlite",
                              "results.sqlite-wal", "results.sqlite-shm", "run_summary.json",
                              "run_summary.txt", "logistics_kpis.csv", "logistics_queues.csv",
                              "logistics_throughput.csv", "logistics_docks.csv"})
        fs::remove_all(out / stale, ec);

    json logisticsKpis;
    if (l.scenario.logistics)
        logisticsKpis = runLogistics(l.scenario, l.park, out);
    if (!l.scenario.hasDispersion()) {
        if (args.json)
            std::printf("%s\n", json{{"logistics", logisticsKpis}}.dump(2).c_str());
        return 0;
    }

    Progress progress(args.progress);
    scenario::RunOptions options;
    // Hourly grids are kept only to be written; a long run without hourly GeoTIFFs keeps
    // just the period statistics.
    options.keepHourly = l.scenario.outputs.hourlyGeoTiff;
    const double hourlyBytes = double(l.scenario.hourCount()) *
                               double(scenario::receptorGrid(l.scenario, l.park).size()) * 8.0;
    if (options.keepHourly && hourlyBytes > kMaxHourlyBytes)
        throw InputError(l.scenario.file.string(), "outputs.hourly_geotiff",
                         "hourly grids of this run would need " +
                             std::to_string(int(hourlyBytes / 1e9)) +
                             " GB of memory; set hourly_geotiff = false or run fewer hours");
    options.progress = [&](int done, int total) { progress(done, total); };
    const scenario::RunResult result = scenario::runScenario(l.scenario, l.park, l.met, options);
    const int hours = l.scenario.hourCount();
    if (result.missingHours == hours)
        throw InputError(l.scenario.met.file.string(), "",
                         "no met record for any hour of the scenario's period (" +
                             formatIsoTime(l.scenario.start, l.park.timeZone) + " to " +
                             formatIsoTime(l.scenario.end, l.park.timeZone) + ")");
    if (result.missingHours > 0)
        log::get("run").warn("{} of {} hours have no met record in {}: their grids are nodata "
                             "and they are left out of the period statistics",
                             result.missingHours, hours, l.scenario.met.file.string());
    if (!oneHourLimit(l.scenario.pollutant))
        log::get("run").warn("no QCVN 05:2023 1-hour limit for pollutant '{}': the summary "
                             "compares nothing",
                             l.scenario.pollutant);

    gis::GeoTiffInfo info;
    info.units = "ug/m3";
    info.metadata = {{"POLLUTANT", l.scenario.pollutant},
                     {"SCENARIO", l.scenario.name},
                     {"PERIOD_START_UTC", formatIsoTime(l.scenario.start, UtcOffset{0})},
                     {"PERIOD_END_UTC", formatIsoTime(l.scenario.end, UtcOffset{0})}};
    info.description = "highest 1-hour " + l.scenario.pollutant + " over the period";
    gis::writeGeoTiff(out / "period_max.tif", result.periodMax, l.park.frame, info);
    info.description = "mean " + l.scenario.pollutant + " over the period";
    gis::writeGeoTiff(out / "period_mean.tif", result.periodMean, l.park.frame, info);
    if (l.scenario.outputs.hourlyGeoTiff) {
        fs::create_directories(out / "hourly");
        for (size_t h = 0; h < result.hourly.size(); ++h) {
            const UtcTime start = result.hours[h].start;
            info.description = "1-hour " + l.scenario.pollutant + ", hour starting " +
                               formatIsoTime(start, l.park.timeZone);
            info.metadata.back() = {"HOUR_START_UTC", formatIsoTime(start, UtcOffset{0})};
            gis::writeGeoTiff(out / "hourly" / ("hour_" + compactTime(start, l.park.timeZone) +
                                                ".tif"),
                              result.hourly[h], l.park.frame, info);
        }
    }
    log::get("run").info("GeoTIFFs written to {}", out.string());

    const fs::path storeFile = out / "results.sqlite";
    scenario::ResultsStore store(storeFile);
    store.writeRun(l.scenario, l.park, l.met, result);

    const json summary = summarise(l, result, out);
    writeText(out / "run_summary.json", summary.dump(2) + "\n");
    const std::string text = summaryText(summary);
    writeText(out / "run_summary.txt", text);
    if (args.json)
        std::printf("%s\n", json{{"logistics", logisticsKpis}, {"dispersion", summary}}
                                 .dump(2).c_str());
    else
        std::fputs(text.c_str(), stdout);

    if (!args.snapshot.empty()) {
        viewer::SnapshotOptions snap;
        snap.output = args.snapshot;
        // The period maximum over two decades: where the plumes reach, with the terrain
        // still visible under the faint tails.
        snap.colourRange = 100;
        const viewer::SnapshotInfo shot = viewer::renderSnapshot(viewContent(l, result), snap);
        log::get("run").info("snapshot {} ({}x{})", args.snapshot.string(), shot.width,
                             shot.height);
    }
    return 0;
}

int viewCommand(const ViewArgs& args) {
    const Loaded l = loadAll(args.scenario);
    const scenario::RunResult result = scenario::runScenario(l.scenario, l.park, l.met);
    viewer::ViewerOptions options;
    options.width = args.width;
    options.height = args.height;
    options.colourRange = 100;
    viewer::runViewer(viewContent(l, result), options);
    return 0;
}

int importCommand(const ImportArgs& args) {
    const ParkModel park = gis::loadPark(args.manifest);
    if (args.strict && park.stats.skippedFeatures > 0)
        throw Error(args.manifest.string() + ": " + std::to_string(park.stats.skippedFeatures) +
                    " features skipped (see the warnings above) and --strict was given");
    int planned = 0;
    for (const Building& b : park.buildings)
        planned += b.planned;
    json j = {{"name", park.name},
              {"crs", park.frame.crs},
              {"crs_name", park.frame.crsName},
              {"origin_easting_m", park.frame.originEasting},
              {"origin_northing_m", park.frame.originNorthing},
              {"extent_m", {park.extent.width(), park.extent.height()}},
              {"boundary_areas", park.boundary.size()},
              {"context_areas", park.areas.size()},
              {"buildings", park.buildings.size()},
              {"planned_buildings", planned},
              {"buildings_height_from_attribute", park.stats.buildingsWithHeight},
              {"buildings_height_from_levels", park.stats.buildingsWithLevels},
              {"buildings_default_height", park.stats.buildingsWithDefault},
              {"roads", park.roads.size()},
              {"stacks", park.stacks.size()},
              {"sensors", park.sensors.size()},
              {"skipped_features", park.stats.skippedFeatures},
              {"terrain", park.terrain.flat() ? "flat" : "grid"},
              {"attributions", park.attributions}};
    if (!park.terrain.flat())
        j["terrain_grid"] = {park.terrain.heights.nx, park.terrain.heights.ny,
                             park.terrain.heights.dx};
    else
        j["flat_elevation_m"] = park.terrain.flatElevation_m;
    if (args.json) {
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    std::printf("%s\n", park.name.c_str());
    std::printf("  CRS %s, origin E %.0f N %.0f, extent %.0f x %.0f m\n", park.frame.crs.c_str(),
                park.frame.originEasting, park.frame.originNorthing, park.extent.width(),
                park.extent.height());
    std::printf("  %zu boundary areas, %zu context areas, %zu roads, %zu stacks, %zu sensors\n",
                park.boundary.size(), park.areas.size(), park.roads.size(), park.stacks.size(),
                park.sensors.size());
    std::printf("  %zu buildings (%d planned): height from attribute %d, from levels %d, "
                "default %d; %d features skipped\n",
                park.buildings.size(), planned, park.stats.buildingsWithHeight,
                park.stats.buildingsWithLevels, park.stats.buildingsWithDefault,
                park.stats.skippedFeatures);
    return 0;
}

} // namespace parktwin::app
