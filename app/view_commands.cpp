// parktwin view, snapshot and render: a scenario's results on screen or in pictures.

#include "app/commands.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <unistd.h>

#include <spdlog/fmt/fmt.h>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/core/thresholds.h"
#include "engine/scenario/met_source.h"
#include "engine/scenario/results_store.h"
#include "engine/scenario/runner.h"
#include "engine/scenario/scenario.h"
#include "engine/sensors/alarm_store.h"
#include "engine/sensors/reading_store.h"
#include "gis/park_loader.h"
#include "viewer/panels.h"
#include "viewer/park_viewer.h"
#include "viewer/truck_tracks.h"
#include "viewer/viewer_session.h"

namespace parktwin::app {
namespace {

namespace fs = std::filesystem;

/// A scenario's park and results, ready for the viewer. The content points into `park`, so
/// a Replay is not copied or moved once filled.
struct Replay {
    ParkModel park;
    scenario::Scenario scenario;
    MetSeries met;               ///< for what-if runs in the viewer
    /// The trucks' hourly exhaust dispersed with the stacks; none without [logistics] or
    /// without emission factors for the pollutant.
    std::optional<std::vector<logistics::HourlySources>> traffic;
    ThresholdTable thresholds;   ///< QCVN limits by averaging period
    viewer::ViewContent content;
    Replay() = default;
    Replay(const Replay&) = delete;
    Replay& operator=(const Replay&) = delete;
};

fs::path outputFolder(const scenario::Scenario& s) {
    return s.outputs.directory.empty()
               ? fs::path("out") / s.name
               : (s.file.parent_path() / s.outputs.directory).lexically_normal();
}

/// The scenario's limits table, else the bundled QCVN table; an empty table when neither
/// exists.
ThresholdTable limitsTable(const scenario::Scenario& s) {
    const fs::path file = !s.compliance.thresholds.empty()
                              ? s.compliance.thresholds
                              : fs::path(PARKTWIN_ASSETS_DIR) / "regulation" /
                                    "qcvn_thresholds.csv";
    return fs::exists(file) ? readThresholds(file) : ThresholdTable{};
}

double oneHourLimit_ugm3(const ThresholdTable& limits, const std::string& pollutant) {
    if (auto t = limits.ambient(pollutant, "1h"))
        return t->limit;
    return NAN;
}

/// Hours and grids from the scenario's results store when it holds this scenario's whole
/// period hour by hour; false (with the reason logged) when it does not.
bool readStore(Replay& r) {
    const fs::path file = outputFolder(r.scenario) / "results.sqlite";
    if (!fs::exists(file))
        return false;
    auto& log = log::get("view");
    const scenario::ResultsStore store(file);
    const auto start = store.metadata("start_utc");
    const auto end = store.metadata("end_utc");
    if (store.metadata("scenario_name") != r.scenario.name || !start || !end ||
        parseIsoTime(*start, UtcOffset{0}) != r.scenario.start ||
        parseIsoTime(*end, UtcOffset{0}) != r.scenario.end) {
        log.info("{} holds another run; running the scenario", file.string());
        return false;
    }
    const auto hours = store.hours();
    if (int(hours.size()) != r.scenario.hourCount() || !store.grid("hourly", 0)) {
        log.info("{} lacks hourly grids (outputs.hourly_geotiff = false?); running the scenario",
                  file.string());
        return false;
    }
    for (size_t h = 0; h < hours.size(); ++h) {
        auto grid = store.grid("hourly", int(h));
        if (!grid)
            throw Error(file.string() + ": hourly grid " + std::to_string(h) + " is missing");
        r.content.hours.push_back(hours[h].start);
        MetHour met = hours[h].met;
        met.anemometerHeight_m = r.scenario.met.anemometerHeight_m;
        r.content.met.push_back(met);
        r.content.hourly.push_back(std::move(*grid));
    }
    if (auto max = store.grid("period_max"))
        r.content.periodMax = std::move(*max);
    log.info("results read from {} ({} hours)", file.string(), hours.size());
    return true;
}

void runInMemory(Replay& r) {
    if (r.met.hours.empty())
        r.met = scenario::loadMet(r.scenario);
    // The trucks' exhaust is dispersed with the stacks, as `parktwin run` does.
    scenario::RunOptions options;
    options.traffic = r.traffic;
    const scenario::RunResult result = scenario::runScenario(r.scenario, r.park, r.met, options);
    for (const scenario::HourResult& h : result.hours) {
        r.content.hours.push_back(h.start);
        r.content.met.push_back(h.met);
    }
    r.content.hourly = result.hourly;
    r.content.periodMax = result.periodMax;
}

/// Loads the park and the scenario.
void loadScenarioFiles(Replay& r, const fs::path& scenarioFile) {
    r.park = gis::loadPark(scenario::scenarioParkPath(scenarioFile));
    r.scenario = scenario::loadScenario(scenarioFile, r.park.timeZone);
}

/// Fills the content from the scenario's results store, or by running it.
void loadResults(Replay& r) {
    r.content.park = &r.park;
    // A scenario with trucks and nothing to disperse names no pollutant it does not model.
    r.content.pollutant = r.scenario.hasDispersion() ? r.scenario.pollutant : "trucks";
    r.thresholds = limitsTable(r.scenario);
    r.content.thresholds = &r.thresholds;
    r.content.limit_ugm3 = oneHourLimit_ugm3(r.thresholds, r.scenario.pollutant);
    r.content.landUse = r.scenario.plume.landUse;
    // The trucks are simulated again (the same seed gives the same day) to draw them moving.
    if (r.scenario.logistics) {
        TruckDay day = simulateTrucks(r.scenario, r.park, nullptr, false);
        r.content.trucks = viewer::recordTruckTracks(*day.sim, r.scenario.start);
        day.sim->runToEnd();
        r.traffic = truckSources(r.scenario, *day.sim);
        if (r.traffic)
            r.content.traffic = &*r.traffic;
    }
    if (!r.scenario.hasDispersion()) {
        // Trucks only: the timeline runs over the scenario's hours with no plume.
        for (int h = 0; h < r.scenario.hourCount(); ++h)
            r.content.hours.push_back(r.scenario.start + std::chrono::hours(h));
    } else if (!readStore(r)) {
        runInMemory(r);
    }
    // The vertical slice along the plume recomputes the point sources' hours.
    if (!r.scenario.sources.empty()) {
        r.content.sources = scenario::modelledSources(r.scenario, r.park);
        for (const scenario::SourceSpec& spec : r.scenario.sources)
            r.content.sourceFactors.push_back(spec.hourlyFactors);
        r.content.plumeOptions = r.scenario.plume;
    }
    // Sensors measure what the limits apply to: NO2 when the scenario converts its NOx, with
    // the modelled values at them converted by the hourly ratio.
    const std::string measured = r.scenario.compliancePollutant();
    if (r.scenario.no2.active()) {
        r.content.measured = measured;
        r.content.measuredHourlyRatio = r.scenario.no2.hourlyRatio;
        r.content.measuredAnnualRatio = r.scenario.no2.annualRatio;
    }
    r.content.sensors = viewer::sensorMarkers(r.park, measured,
                                              oneHourLimit_ugm3(r.thresholds, measured));
    viewer::sampleModelledAtSensors(r.content, r.content.measuredHourlyRatio);
}

/// The park's sensors' readings of the scenario's pollutant over its period and the store's
/// incidents with their rankings, from a readings database written by `parktwin ingest`,
/// opened read-only.
void loadSensorStore(Replay& r, const fs::path& db) {
    if (db.empty())
        return;
    if (fs::is_directory(db))
        throw Error(db.string() + ": is a folder, not a readings database (--db)");
    if (!fs::exists(db))
        throw Error(db.string() + ": no such readings database (--db)");
    auto& log = log::get("view");
    const sensors::ReadingStore store(db, sensors::StoreAccess::ReadOnly);
    // A store of readings only (an ingest without --park or --thresholds) has no incidents.
    std::optional<sensors::AlarmStore> alarms;
    if (sensors::AlarmStore::holdsAlarms(db))
        alarms.emplace(db, sensors::StoreAccess::ReadOnly);

    // Readings are stamped with the end of their period: those ending in (start, end].
    const UtcTime from = r.scenario.start + std::chrono::seconds(1);
    const UtcTime to = r.scenario.end + std::chrono::seconds(1);
    size_t count = 0, flagged = 0, otherUnit = 0;
    int reporting = 0;
    for (viewer::SensorMarker& m : r.content.sensors) {
        for (const sensors::Reading& x : store.readings(m.id, m.parameter, from, to)) {
            if (x.unit != "ug/m3") {
                ++otherUnit;
                continue;
            }
            if (!sensors::isUsable(x)) {
                ++flagged; // calibrating, faulty or suspect: kept out, as alarms keep them out
                continue;
            }
            m.readings.push_back({x.time, x.value});
        }
        count += m.readings.size();
        reporting += m.readings.empty() ? 0 : 1;
    }

    int outside = 0;
    const std::vector<sensors::IncidentRecord> incidents =
        alarms ? alarms->incidents() : std::vector<sensors::IncidentRecord>{};
    for (const sensors::IncidentRecord& inc : incidents) {
        viewer::Incident v;
        v.id = "#" + std::to_string(inc.id);
        v.start = inc.start;
        v.end = inc.end.value_or(inc.lastExceedingEnd);
        v.sensorId = inc.peakStation;
        v.parameter = inc.parameter;
        v.peak = inc.peakValue;
        v.limit = inc.peakLimit;
        v.inPeriod = v.start < r.scenario.end && v.end > r.scenario.start;
        outside += v.inPeriod ? 0 : 1;
        std::string stations;
        for (const std::string& s : inc.stations)
            stations += (stations.empty() ? "" : ", ") + s;
        v.description = fmt::format("{} {}: peak {:.4g} {} ({} mean) against {:.4g} at {}; "
                                    "stations {}{}{}",
                                    v.id, inc.parameter, inc.peakValue, inc.unit, inc.peakPeriod,
                                    inc.peakLimit, inc.peakStation, stations,
                                    inc.end ? "" : "; still open",
                                    v.inPeriod ? "" : "; outside the scenario's period");
        if (const auto ranking = alarms->ranking(inc.id)) {
            if (ranking->ranked)
                v.ranking = fmt::format("{} readings, {} to {}: background {:.3g} ug/m3, "
                                        "R2 {:.2f}",
                                        ranking->samples,
                                        formatIsoTime(ranking->windowFrom, r.park.timeZone),
                                        formatIsoTime(ranking->windowTo, r.park.timeZone),
                                        ranking->background_ugm3, ranking->r2);
            else
                v.ranking = "not ranked: " + ranking->reason;
            for (const sensors::RankedSource& src : ranking->sources)
                v.sources.push_back({src.rank, src.sourceId, src.rate_gs, src.share, src.score});
        }
        r.content.incidents.push_back(std::move(v));
    }
    log.info("{}: {} readings of {} at {} of {} park sensors in the period ({} flagged and {} in "
             "other units left out), {} incidents",
             db.string(), count, r.scenario.compliancePollutant(), reporting, r.content.sensors.size(),
             flagged, otherUnit, r.content.incidents.size());
    if (outside > 0)
        log.warn("{}: {} of the {} incidents lie outside the scenario's period ({} to {}): listed, "
                 "but the timeline cannot go to them; a scenario over their period replays them",
                 db.string(), outside, r.content.incidents.size(),
                 formatIsoTime(r.scenario.start, r.park.timeZone),
                 formatIsoTime(r.scenario.end, r.park.timeZone));
}

/// Start of the scenario's hour with the most trucks in the park at its start, for a
/// trucks-only snapshot without --at; the scenario's start when it has none.
UtcTime busiestTruckHour(const Replay& r) {
    UtcTime best = r.scenario.start;
    size_t most = 0;
    for (UtcTime h : r.content.hours) {
        size_t n = 0;
        for (const viewer::TruckTrack& t : r.content.trucks)
            n += viewer::truckPositionAt(t, viewer::toSeconds(h)) ? 1 : 0;
        if (n > most) {
            most = n;
            best = h;
        }
    }
    return best;
}

void requireDisplay(const std::string& what) {
    const char* display = std::getenv("DISPLAY");
    if (!display || !*display)
        throw Error(what + ": no X display (set DISPLAY, or run under xvfb-run -a)");
}

/// An ISO 8601 time given on the command line, local to the park without an offset, and
/// inside the scenario's period.
UtcTime timeOption(const std::string& option, const std::string& text, const Replay& r,
                   bool endAllowed) {
    const UtcTime t = parseIsoTime(text, r.park.timeZone);
    if (t < r.scenario.start || t > r.scenario.end || (t == r.scenario.end && !endAllowed))
        throw Error(option + " " + text + ": outside the scenario's period " +
                    formatIsoTime(r.scenario.start, r.park.timeZone) + " to " +
                    formatIsoTime(r.scenario.end, r.park.timeZone));
    return t;
}

viewer::CameraPreset cameraOption(const std::string& view) {
    return view == "top" ? viewer::CameraPreset::TopNorthUp : viewer::CameraPreset::ObliqueSouth;
}

bool onPath(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::stringstream folders(path ? path : "");
    std::string folder;
    while (std::getline(folders, folder, ':'))
        if (!folder.empty() && ::access((fs::path(folder) / program).c_str(), X_OK) == 0)
            return true;
    return false;
}

std::string quoted(const fs::path& p) {
    std::string out = "'";
    for (char c : p.string())
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

} // namespace

int viewCommand(const ViewArgs& args) {
    Replay r;
    loadScenarioFiles(r, args.scenario);
    loadResults(r);
    loadSensorStore(r, args.db);
    // The What-if panel runs the scenario again with the planner's changes.
    if (r.scenario.hasDispersion()) {
        if (r.met.hours.empty())
            r.met = scenario::loadMet(r.scenario);
        r.content.scenario = &r.scenario;
        r.content.metSeries = &r.met;
    }
    viewer::ViewerOptions options;
    options.width = args.width;
    options.height = args.height;
    options.colourRange = 100;
    viewer::runViewer(r.content, options);
    return 0;
}

int snapshotCommand(const SnapshotArgs& args) {
    requireDisplay("snapshot");
    Replay r;
    loadScenarioFiles(r, args.scenario);
    viewer::SnapshotOptions options;
    options.width = args.width;
    options.height = args.height;
    options.output = args.png;
    options.camera = cameraOption(args.view);
    options.colourRange = 100;
    if (!args.at.empty())
        options.at = timeOption("--at", args.at, r, false);
    else if (r.scenario.hasDispersion())
        options.grid = viewer::GridChoice{viewer::GridChoice::PeriodMax};
    loadResults(r);
    loadSensorStore(r, args.db);
    if (!options.at && !r.scenario.hasDispersion())
        options.at = busiestTruckHour(r);
    const viewer::SnapshotInfo shot = viewer::renderSnapshot(r.content, options);
    const std::string shown =
        shot.hour >= 0 ? shot.timeText + ", hour from " +
                             viewer::localTimeLabel(viewer::toSeconds(r.content.hours[shot.hour]),
                                                    r.park.timeZone)
                                 .substr(11, 5)
                       : std::string("period maximum");
    std::printf("%s: %dx%d, %s\n", args.png.string().c_str(), shot.width, shot.height,
                shown.c_str());
    return 0;
}

int renderCommand(const RenderArgs& args) {
    requireDisplay("render");
    if (!(args.fps > 0) || !(args.speed > 0))
        throw Error("render: --fps and --speed must be positive");
    Replay r;
    loadScenarioFiles(r, args.scenario);
    const UtcTime from =
        args.from.empty() ? r.scenario.start : timeOption("--from", args.from, r, false);
    const UtcTime to = args.to.empty() ? r.scenario.end : timeOption("--to", args.to, r, true);
    if (to <= from)
        throw Error("render: --to must come after --from");
    // Frames are numbered with five digits; a longer replay needs a higher --speed or a
    // shorter window, which is what such a count almost always means anyway.
    const double step_s = args.speed / args.fps;
    const double span_s = viewer::toSeconds(to) - viewer::toSeconds(from);
    const double frameCount = std::floor(span_s / step_s + 1e-9) + 1;
    constexpr double kMaxFrames = 100000;
    if (frameCount > kMaxFrames)
        throw Error(fmt::format("render: {:.0f} s of scenario time at {} s per frame makes {:.0f} "
                                "frames, more than {:.0f}; raise --speed or lower --fps",
                                span_s, step_s, frameCount, kMaxFrames));
    const int frames = int(frameCount);
    loadResults(r);
    loadSensorStore(r, args.db);

    std::error_code ec;
    fs::create_directories(args.out, ec);
    if (ec)
        throw Error(args.out.string() + ": cannot create the frame folder: " + ec.message());
    // Frames of an earlier render would run on after this one's.
    for (const auto& entry : fs::directory_iterator(args.out))
        if (entry.path().filename().string().rfind("frame_", 0) == 0 &&
            entry.path().extension() == ".png")
            fs::remove(entry.path(), ec);

    viewer::SessionOptions options;
    options.width = args.width;
    options.height = args.height;
    options.decorated = false;
    options.interactive = false;
    options.title = "ParkTwin render";
    options.camera = cameraOption(args.view);
    options.colourRange = 100;
    options.at = from;
    viewer::ViewerSession session(r.content, options);
    session.frame(); // ImGui lays its windows out over the first frames
    session.frame();

    for (int k = 0; k < frames; ++k) {
        session.setTime(viewer::toSeconds(from) + k * step_s);
        char name[32];
        std::snprintf(name, sizeof name, "frame_%05d.png", k);
        viewer::writePng(args.out / name, args.width, args.height, session.frameAndCapture());
        if (k % 50 == 0 || k + 1 == frames)
            log::get("render").info("frame {}/{}", k + 1, frames);
    }
    std::printf("%d frames in %s (%.0f s of scenario time each)\n", frames,
                args.out.string().c_str(), step_s);

    if (!onPath("ffmpeg")) {
        log::get("render").info("ffmpeg not found on PATH: frames only, no video");
        return 0;
    }
    const fs::path video = args.out / "replay.mp4";
    std::ostringstream command;
    command << "ffmpeg -y -loglevel error -framerate " << args.fps << " -i "
            << quoted(args.out / "frame_%05d.png")
            << " -vf 'scale=trunc(iw/2)*2:trunc(ih/2)*2' -pix_fmt yuv420p " << quoted(video);
    if (std::system(command.str().c_str()) != 0)
        throw Error("ffmpeg could not make " + video.string() + " from the frames in " +
                    args.out.string());
    std::printf("video %s\n", video.string().c_str());
    return 0;
}

} // namespace parktwin::app
