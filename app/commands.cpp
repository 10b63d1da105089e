#include "app/commands.h"

#include "app/analysis.h"
#include "app/diff.h"
#include "app/report.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <spdlog/fmt/fmt.h>

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
    // Positions the scenario gives in longitude/latitude, into the park frame.
    const auto toPark = gis::makeTransform(
        gis::wgs84(), gis::parseCrs(l.park.frame.crs, "park frame", "crs"), scenarioFile.string());
    scenario::resolvePositions(l.scenario, l.park.frame, [&](Vec2 lonLat) {
        double x = lonLat.x, y = lonLat.y;
        if (!toPark->Transform(1, &x, &y))
            throw Error("cannot transform longitude/latitude to the park CRS");
        return Vec2{x, y};
    });
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

    /// Labels the bar with the run now going (the baseline or a variant) and restarts it.
    void startRun(const std::string& label, int index, int count) {
        std::lock_guard lock(mutex_);
        label_ = count > 1 ? fmt::format("{} ({}/{})", label, index, count) : std::string();
        start_ = std::chrono::steady_clock::now();
    }

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
            std::fprintf(stderr, "\r[run] %s [%-*s] hour %d/%d, %.0f s left ", label_.c_str(),
                         width, std::string(filled, '#').c_str(), done, total, left);
            if (done == total)
                std::fprintf(stderr, "\n");
        } else if (total > 0 && (done * 10 / total != (done - 1) * 10 / total)) {
            log::get("run").info("{} hour {}/{} ({:.0f} s left)", label_, done, total, left);
        }
    }

private:
    bool enabled_;
    bool tty_;
    std::string label_;
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
        // When the trucks make most of the maximum, the nearest stack is only a landmark.
        const bool byTrucks = j.contains("trucks") &&
                              j["trucks"].value("share_of_overall_maximum", 0.0) > 0.5;
        if (m.contains("nearest_stack"))
            line(byTrucks ? "  near     %s: %.0f m at bearing %.0f deg (mostly trucks)"
                          : "  from     %s: %.0f m at bearing %.0f deg",
                 m["nearest_stack"].get<std::string>().c_str(),
                 m["distance_from_stack_m"].get<double>(),
                 m["bearing_from_stack_deg"].get<double>());
    }
    if (j.contains("trucks")) {
        const json& t = j["trucks"];
        if (t["dispersed"].get<bool>()) {
            line("Trucks     %d (%s): %.3g kg %s on the roads and %.3g kg idling, dispersed "
                 "with the stacks",
                 t["trucks"].get<int>(), t["truck_class"].get<std::string>().c_str(),
                 t["road_g"].get<double>() / 1000, t["pollutant"].get<std::string>().c_str(),
                 t["idling_g"].get<double>() / 1000);
            line("  alone    highest 1-hour %.4g ug/m3 (without them: %.4g ug/m3)",
                 t["highest_1h_alone_ugm3"].get<double>(),
                 t["highest_1h_without_ugm3"].get<double>());
            if (t.contains("at_overall_maximum_ugm3"))
                line("  at max   %.4g ug/m3 of the highest 1-hour value (%.1f%%)",
                     t["at_overall_maximum_ugm3"].get<double>(),
                     100 * t["share_of_overall_maximum"].get<double>());
        } else {
            line("Trucks     %d (%s) not dispersed: %s", t["trucks"].get<int>(),
                 t["truck_class"].get<std::string>().c_str(),
                 t["reason"].get<std::string>().c_str());
        }
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

namespace {

/// The trucks of one run (the baseline or a variant) as its dispersion sees them.
struct RunTrucks {
    bool simulated = false; ///< the scenario has a [logistics] section
    std::string truckClass;
    int trucks = 0;
    /// Their exhaust of the run's pollutant hour by hour; nothing when it is not dispersed.
    std::optional<std::vector<logistics::HourlySources>> sources;
    std::string notDispersed; ///< why, when it is not
};

json trucksSummary(const Loaded& l, const RunTrucks& t, const scenario::RunResult& r) {
    json j = {{"truck_class", t.truckClass},
              {"trucks", t.trucks},
              {"dispersed", r.traffic.has_value()}};
    if (!r.traffic) {
        j["reason"] = t.notDispersed;
        return j;
    }
    const scenario::TrafficResult& traffic = *r.traffic;
    double road_g = 0, idle_g = 0;
    for (size_t h = 0; h < traffic.roadGrams.size(); ++h) {
        road_g += traffic.roadGrams[h];
        idle_g += traffic.idleGrams[h];
    }
    j["pollutant"] = l.scenario.pollutant;
    j["road_g"] = road_g;
    j["idling_g"] = idle_g;
    j["outside_period_g"] = traffic.outsideGrams;
    j["road_links"] = traffic.links;
    j["link_volume_sources"] = traffic.linkVolumes;
    j["highest_1h_alone_ugm3"] = traffic.max_ugm3;
    j["highest_1h_without_ugm3"] = traffic.othersMax_ugm3;
    if (traffic.maxHour >= 0) {
        const Vec2 en = l.park.frame.toProjected(traffic.maxAt);
        j["highest_1h_alone_hour_start_local"] =
            formatIsoTime(r.hours[traffic.maxHour].start, l.park.timeZone);
        j["highest_1h_alone_easting_m"] = en.x;
        j["highest_1h_alone_northing_m"] = en.y;
    }
    if (r.overallMaxHour >= 0) {
        const double at = r.hours[r.overallMaxHour].trafficAtMax_ugm3;
        j["at_overall_maximum_ugm3"] = at;
        j["share_of_overall_maximum"] = r.overallMax_ugm3 > 0 ? at / r.overallMax_ugm3 : 0.0;
    }
    return j;
}

/// Everything one run (the baseline or a variant) leaves for the report.
struct RunOutcome {
    RunAnalysis analysis;
    std::vector<dispersion::PointSource> sources;
    std::vector<MetHour> metHours; ///< hours that had met
    int missingMetHours = 0;
    std::vector<ReportMap> maps;
    std::string mapsFailure; ///< why the maps could not be drawn, when they could not
};

void removeStaleOutputs(const fs::path& out) {
    std::error_code ec;
    for (const char* stale :
         {"hourly", "period_max.tif", "period_mean.tif", "traffic_period_max.tif",
          "traffic_period_mean.tif", "results.sqlite", "results.sqlite-wal",
          "results.sqlite-shm", "run_summary.json", "run_summary.txt", "averages",
          "compliance.csv", "receptors.csv", "results.gpkg", "variants", "diff", "report.html",
          "report", "logistics_kpis.csv", "logistics_queues.csv", "logistics_throughput.csv",
          "logistics_docks.csv"})
        fs::remove_all(out / stale, ec);
}

// Maps of the ranked 1-hour and 24-hour grids of the modelled contribution (a uniform
// background would only shift the colours), drawn by the viewer's headless renderer, north up.
std::vector<ReportMap> drawMaps(const Loaded& l, const scenario::Scenario& s,
                                const RunAnalysis& a, const fs::path& reportFolder) {
    std::vector<ReportMap> maps;
    for (const scenario::PeriodGrid& g : a.compliance.grids) {
        if ((g.period != scenario::Period::Hour1 && g.period != scenario::Period::Hour24) ||
            g.component != scenario::Component::Modelled)
            continue;
        viewer::ViewContent content;
        content.park = &l.park;
        content.pollutant = a.compliance.pollutant;
        content.periodMax = g.values;
        if (auto t = readThresholds(fs::path(PARKTWIN_ASSETS_DIR) / "regulation" /
                                    "qcvn_thresholds.csv")
                         .ambient(a.compliance.pollutant, scenario::periodName(g.period)))
            content.limit_ugm3 = t->limit;
        viewer::SnapshotOptions snap;
        snap.camera = viewer::CameraPreset::TopNorthUp;
        snap.colourRange = 100;
        const std::string stem = s.name + "_" + gridName(a.compliance.pollutant, g);
        snap.output = reportFolder / "report" / (stem + ".png");
        fs::create_directories(snap.output.parent_path());
        viewer::renderSnapshot(content, snap);
        maps.push_back({fmt::format("{}: {} {} average, {} value of rank {} per receptor "
                                    "(µg/m³, log colour scale)",
                                    s.title, a.compliance.pollutant,
                                    scenario::periodName(g.period),
                                    scenario::componentName(g.component), g.rank),
                        fs::path("report") / (stem + ".png")});
    }
    return maps;
}

RunOutcome runOne(const Loaded& l, const scenario::Scenario& s, const MetSeries& met,
                  const fs::path& out, Progress& progress, const fs::path& snapshot,
                  bool maps, const fs::path& reportFolder, const RunTrucks& trucks) {
    std::error_code ec;
    fs::create_directories(out, ec);
    if (ec)
        throw Error(out.string() + ": cannot create output folder: " + ec.message());

    scenario::RunOptions options;
    // The compliance averages need every hour of every receptor in memory.
    options.keepHourly = true;
    const double hourlyBytes = double(s.hourCount()) *
                               double(scenario::receptorGrid(s, l.park).size()) * 8.0;
    if (hourlyBytes > kMaxHourlyBytes)
        throw InputError(s.file.string(), "receptors.spacing_m",
                         "the hourly grids of this run would need " +
                             std::to_string(int(hourlyBytes / 1e9)) +
                             " GB of memory for the averages; use a wider spacing, a smaller "
                             "margin or fewer hours");
    options.progress = [&](int done, int total) { progress(done, total); };
    options.traffic = trucks.sources;
    const scenario::RunResult result = scenario::runScenario(s, l.park, met, options);
    const int hours = s.hourCount();
    if (result.missingHours == hours)
        throw InputError(s.met.file.string(), "",
                         "no met record for any hour of the scenario's period (" +
                             formatIsoTime(s.start, l.park.timeZone) + " to " +
                             formatIsoTime(s.end, l.park.timeZone) + ")");
    if (result.missingHours > 0)
        log::get("run").warn("{} of {} hours have no met record in {}: their grids are nodata "
                             "and they are left out of the period statistics",
                             result.missingHours, hours, s.met.file.string());
    if (!oneHourLimit(s.compliancePollutant()))
        log::get("run").warn("no QCVN 05:2023 1-hour limit for pollutant '{}': the summary "
                             "compares nothing",
                             s.compliancePollutant());

    gis::GeoTiffInfo info;
    info.units = "ug/m3";
    info.metadata = {{"POLLUTANT", s.pollutant},
                     {"SCENARIO", s.name},
                     {"PERIOD_START_UTC", formatIsoTime(s.start, UtcOffset{0})},
                     {"PERIOD_END_UTC", formatIsoTime(s.end, UtcOffset{0})}};
    info.description = "highest 1-hour " + s.pollutant + " over the period";
    gis::writeGeoTiff(out / "period_max.tif", result.periodMax, l.park.frame, info);
    info.description = "mean " + s.pollutant + " over the period";
    gis::writeGeoTiff(out / "period_mean.tif", result.periodMean, l.park.frame, info);
    if (result.traffic) {
        // The trucks' part alone, so the plume of the roads and queues can be seen apart.
        info.description = "highest 1-hour " + s.pollutant + " of the trucks alone";
        gis::writeGeoTiff(out / "traffic_period_max.tif", result.traffic->periodMax,
                          l.park.frame, info);
        info.description = "mean " + s.pollutant + " of the trucks alone over the period";
        gis::writeGeoTiff(out / "traffic_period_mean.tif", result.traffic->periodMean,
                          l.park.frame, info);
    }
    if (s.outputs.hourlyGeoTiff) {
        fs::create_directories(out / "hourly");
        for (size_t h = 0; h < result.hourly.size(); ++h) {
            const UtcTime start = result.hours[h].start;
            info.description = "1-hour " + s.pollutant + ", hour starting " +
                               formatIsoTime(start, l.park.timeZone);
            info.metadata.back() = {"HOUR_START_UTC", formatIsoTime(start, UtcOffset{0})};
            gis::writeGeoTiff(out / "hourly" / ("hour_" + compactTime(start, l.park.timeZone) +
                                                ".tif"),
                              result.hourly[h], l.park.frame, info);
        }
    }
    log::get("run").info("GeoTIFFs written to {}", out.string());

    scenario::ResultsStore store(out / "results.sqlite");
    store.writeRun(s, l.park, met, result);

    Loaded view{l.park, s, met};
    json summary = summarise(view, result, out);
    if (trucks.simulated)
        summary["trucks"] = trucksSummary(view, trucks, result);
    writeText(out / "run_summary.json", summary.dump(2) + "\n");
    const std::string text = summaryText(summary);
    writeText(out / "run_summary.txt", text);
    std::fputs(text.c_str(), stdout);

    RunOutcome outcome;
    outcome.analysis = analyseRun(s, l.park, result, out);
    outcome.sources = result.sources;
    outcome.missingMetHours = result.missingHours;
    for (const scenario::HourResult& h : result.hours)
        if (!h.metMissing)
            outcome.metHours.push_back(h.met);
    if (maps) {
        // The maps illustrate the report; a display that fails must not cost the results.
        try {
            outcome.maps = drawMaps(view, s, outcome.analysis, reportFolder);
        } catch (const Error& e) {
            log::get("run").warn("{}: maps not drawn: {}", s.name, e.what());
            outcome.mapsFailure = e.what();
        }
    }

    if (!snapshot.empty()) {
        viewer::SnapshotOptions snap;
        snap.output = snapshot;
        // The period maximum over two decades: where the plumes reach, with the terrain
        // still visible under the faint tails.
        snap.colourRange = 100;
        const viewer::SnapshotInfo shot = viewer::renderSnapshot(viewContent(view, result), snap);
        log::get("run").info("snapshot {} ({}x{})", snapshot.string(), shot.width, shot.height);
    }
    return outcome;
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
    const char* display = std::getenv("DISPLAY");
    const bool haveDisplay = display && *display;
    if (!args.snapshot.empty()) {
        if (!haveDisplay)
            throw Error("--snapshot " + args.snapshot.string() +
                        ": no X display (set DISPLAY, or run under xvfb-run -a)");
        const fs::path folder = fs::absolute(args.snapshot).parent_path();
        fs::create_directories(folder, ec);
        if (ec)
            throw Error(args.snapshot.string() + ": cannot create its folder: " + ec.message());
    }
    // Outputs of an earlier run in the same folder would mix with this one's.
    removeStaleOutputs(out);

    json logisticsKpis;
    std::optional<TruckDay> trucks;
    if (l.scenario.logistics) {
        trucks = simulateTrucks(l.scenario, l.park);
        logisticsKpis = runLogistics(l.scenario, l.park, *trucks->sim, out);
    }
    if (!l.scenario.hasDispersion()) {
        if (args.json)
            std::printf("%s\n", json{{"logistics", logisticsKpis}}.dump(2).c_str());
        return 0;
    }

    // The baseline, then each variant, one after the other; each run spreads its hours over
    // every core.
    std::vector<const scenario::Scenario*> runs = {&l.scenario};
    for (const scenario::Scenario& v : l.scenario.variants)
        runs.push_back(&v);
    const bool report = l.scenario.outputs.report;
    const bool maps = report && haveDisplay;
    Progress progress(args.progress);
    std::vector<RunOutcome> outcomes;
    bool toldNotDispersed = false;
    for (size_t k = 0; k < runs.size(); ++k) {
        const scenario::Scenario& s = *runs[k];
        // The trucks' exhaust goes into the same run as the stacks; a variant simulates its
        // own day, as its [logistics] may differ.
        RunTrucks runTrucks;
        if (s.logistics) {
            std::optional<TruckDay> own;
            if (k > 0 || !trucks)
                own = simulateTrucks(s, l.park, trucks ? trucks->graph : nullptr);
            const logistics::Simulation& sim = own ? *own->sim : *trucks->sim;
            runTrucks.simulated = true;
            runTrucks.truckClass = s.logistics->truckClass;
            runTrucks.trucks = sim.kpis().arrived;
            runTrucks.sources = truckSources(s, sim);
            if (!runTrucks.sources) {
                runTrucks.notDispersed =
                    "the trucks' emission factors (HBEFA3) cover NOx, PM and CO2, not " +
                    s.pollutant + "; the trucks are simulated but not part of this run";
                if (!toldNotDispersed)
                    log::get("run").warn("trucks' {} is not modelled: {}", s.pollutant,
                                         runTrucks.notDispersed);
                toldNotDispersed = true;
            }
        }
        progress.startRun(k == 0 ? "baseline" : s.name, static_cast<int>(k + 1),
                          static_cast<int>(runs.size()));
        const MetSeries met = k == 0 ? l.met : scenario::loadMet(s);
        const fs::path folder = k == 0 ? out : out / "variants" / s.name;
        outcomes.push_back(runOne(l, s, met, folder, progress, k == 0 ? args.snapshot : "",
                                  maps, out, runTrucks));
    }

    ReportInput input;
    input.scenario = &l.scenario;
    input.park = &l.park;
    input.metSource = l.met.source;
    input.metHours = outcomes.front().metHours;
    input.hours = l.scenario.hourCount();
    input.missingMetHours = outcomes.front().missingMetHours;
    for (size_t k = 0; k < outcomes.size(); ++k) {
        input.runs.push_back(outcomes[k].analysis);
        input.sources.push_back(outcomes[k].sources);
        for (const ReportMap& m : outcomes[k].maps)
            input.maps.push_back(m);
        if (k > 0) {
            const RunDiff d = diffRuns(out, outcomes[k].analysis.folder,
                                       out / "diff" / runs[k]->name);
            input.diffs.push_back(d);
            for (const ValueChange& c : d.maxima)
                log::get("run").info("{} against the baseline: park-wide {} {:.2f} -> {:.2f} "
                                     "ug/m3",
                                     runs[k]->name, c.quantity, c.a, c.b);
        }
    }
    if (report) {
        if (!maps)
            input.mapsNote = "Maps were not drawn: the run had no X display. Run parktwin "
                             "under xvfb-run -a (or with DISPLAY set) to include them.";
        for (const RunOutcome& o : outcomes)
            if (!o.mapsFailure.empty())
                input.mapsNote = "Maps were not drawn: " + o.mapsFailure;
        writeReport(out / "report.html", input);
        log::get("run").info("report {}", (out / "report.html").string());
    }
    if (args.json) {
        std::ifstream summaryFile(out / "run_summary.json");
        const json summary = json::parse(summaryFile, nullptr, false);
        std::printf("%s\n", json{{"logistics", logisticsKpis}, {"dispersion", summary}}
                                 .dump(2).c_str());
    }
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
