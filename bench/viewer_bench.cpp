// Frame times of the viewer under the X display it runs on (Mesa llvmpipe under Xvfb in CI):
// Berlin Adlershof with a plume draped, 200 trucks moving along its roads and the timeline
// playing, with the panels and without; and the full SRTM3 tile N21E105 (1201 x 1201) as
// level-of-detail terrain against the same grid drawn whole.
//
//   xvfb-run -a -s '-screen 0 1280x720x24' ./build/bench/viewer_bench [frames [picture-folder]]

#include "engine/core/log.h"
#include "engine/dispersion/plume.h"
#include "gis/park_loader.h"
#include "gis/spatial_ref.h"
#include "gis/terrain_reader.h"
#include "viewer/buildings.h"
#include "viewer/layer_cache.h"
#include "viewer/park_viewer.h"
#include "viewer/terrain_mesh.h"
#include "viewer/viewer_session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <sys/resource.h>

using namespace parktwin;
using namespace parktwin::viewer;
namespace fs = std::filesystem;

namespace {

struct Percentiles {
    double p50 = 0, p90 = 0, p99 = 0, mean = 0, max = 0;
    double cpu = 0; ///< process CPU time per frame (all threads, llvmpipe's included), ms
};

double processCpu_ms() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto ms = [](const timeval& t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; };
    return ms(usage.ru_utime) + ms(usage.ru_stime);
}

/// CPU time per frame of the last timeFrames call.
double lastCpuPerFrame_ms = 0;

Percentiles percentiles(std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) { return ms[std::min(ms.size() - 1, size_t(q * ms.size()))]; };
    Percentiles p{at(0.50), at(0.90), at(0.99), 0, ms.back(), lastCpuPerFrame_ms};
    for (double v : ms)
        p.mean += v / ms.size();
    return p;
}

void print(const char* label, const Percentiles& p) {
    std::printf("%-36s p50 %6.2f  p90 %6.2f  p99 %6.2f  mean %6.2f  max %6.2f ms; cpu %6.2f ms\n",
                label, p.p50, p.p90, p.p99, p.mean, p.max, p.cpu);
}

/// Frames of a session with the timeline stepped by `step_s` per frame from `from_s`, as a
/// playing timeline at 60 frames per second would; after `warmup` frames not timed.
std::vector<double> timeFrames(ViewerSession& session, double from_s, double step_s, int frames,
                               int warmup = 10) {
    for (int k = 0; k < warmup; ++k) {
        session.setTime(from_s);
        session.frame();
    }
    std::vector<double> ms;
    const double cpuStart = processCpu_ms();
    for (int k = 0; k < frames; ++k) {
        session.setTime(from_s + k * step_s);
        const auto start = std::chrono::steady_clock::now();
        session.frame();
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
    }
    lastCpuPerFrame_ms = (processCpu_ms() - cpuStart) / frames;
    return ms;
}

/// A source at the park's centre with hourly plumes for 24 hours, the wind turning 15
/// degrees an hour; the grid covers the park's extent every 50 m.
void addPlume(ViewContent& content, const ParkModel& park, UtcTime start) {
    const Box2 box = park.extent;
    const double spacing = 50;
    const int nx = int(box.width() / spacing), ny = int(box.height() / spacing);
    std::vector<dispersion::Receptor> receptors;
    RasterGrid layout(box.min.x + spacing / 2, box.min.y + spacing / 2, spacing, spacing, nx, ny);
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i)
            receptors.push_back({layout.position(i, j), park.terrain.flatElevation_m, 0});
    const Vec2 centre = box.centre();
    const std::vector<dispersion::PointSource> sources{
        {"chp", centre, park.terrain.flatElevation_m, 80, 4, 15, 420, 50, std::nullopt}};
    for (int h = 0; h < 24; ++h) {
        MetHour met;
        met.start = start + std::chrono::hours(h);
        met.windFromDir_deg = 15.0 * h;
        met.windSpeed_ms = 3;
        met.stability = h < 6 || h > 19 ? Stability::E : Stability::C;
        RasterGrid grid = layout;
        std::fill(grid.values.begin(), grid.values.end(), 0.0);
        dispersion::addHourConcentrations(sources, met, receptors, dispersion::PlumeOptions{},
                                          grid.values);
        content.hours.push_back(met.start);
        content.met.push_back(met);
        content.hourly.push_back(std::move(grid));
    }
    content.limit_ugm3 = 350;
    content.pollutant = "SO2";
}

/// `count` trucks driving back and forth along roads longer than 200 m at 8 m/s for the 24
/// hours; a fixed seed makes every run the same.
void addTrucks(ViewContent& content, const ParkModel& park, UtcTime start, int count) {
    std::vector<const Road*> roads;
    for (const Road& r : park.roads) {
        double len = 0;
        for (size_t k = 1; k < r.line.size(); ++k)
            len += length(r.line[k] - r.line[k - 1]);
        if (len > 200)
            roads.push_back(&r);
    }
    if (roads.empty())
        return;
    std::mt19937 random(20260403);
    const double speed_ms = 8, end_s = 24 * 3600.0;
    for (int n = 0; n < count; ++n) {
        const Road& road = *roads[random() % roads.size()];
        TruckTrack track;
        track.id = "truck-" + std::to_string(n);
        double t = std::uniform_real_distribution<double>(0, 600)(random);
        bool forward = true;
        while (t < end_s) {
            std::vector<Vec2> line = road.line;
            if (!forward)
                std::reverse(line.begin(), line.end());
            for (size_t k = 0; k < line.size(); ++k) {
                if (k > 0)
                    t += length(line[k] - line[k - 1]) / speed_ms;
                track.samples.push_back({start + std::chrono::seconds(long(t)), line[k]});
            }
            forward = !forward;
        }
        content.trucks.push_back(std::move(track));
    }
}

/// Folder to write one picture of each scene to; empty for none.
fs::path pictures;

/// One measured session per process: with Mesa 22.3's llvmpipe, a session opened after an
/// earlier one of the same process had closed drew without the rasteriser threads (two threads
/// in the process against six) and up to twice as slowly, so that the first session of a run
/// looked faster than the rest. Each run below is a child process; the parent alternates them
/// and prints ratios between runs of the same command.
struct RunResult {
    Percentiles p;
    bool ok = false;
};

void printResult(const Percentiles& p) {
    std::printf("RESULT %.4f %.4f %.4f %.4f %.4f %.4f\n", p.p50, p.p90, p.p99, p.mean, p.max,
                p.cpu);
}

std::string self; ///< this program, for the child runs
int frameCount = 300;

/// Runs `viewer_bench --run NAME`, echoes its lines but the result, and returns the result.
RunResult child(const std::string& name) {
    std::string command = "'" + self + "' --run " + name + " " + std::to_string(frameCount);
    if (!pictures.empty())
        command += " '" + pictures.string() + "'";
    RunResult r;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe)
        return r;
    char line[512];
    while (std::fgets(line, sizeof line, pipe)) {
        Percentiles& p = r.p;
        if (std::sscanf(line, "RESULT %lf %lf %lf %lf %lf %lf", &p.p50, &p.p90, &p.p99, &p.mean,
                        &p.max, &p.cpu) == 6)
            r.ok = true;
        else
            std::fputs(line, stdout);
    }
    if (pclose(pipe) != 0)
        r.ok = false;
    std::fflush(stdout);
    return r;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct Berlin {
    ParkModel park;
    ViewContent content;
    double from_s = 0, step_s = 36; ///< 36 s of scenario time a frame: hours pass as it plays
};

std::unique_ptr<Berlin> loadBerlin(bool describe) {
    auto b = std::make_unique<Berlin>();
    b->park = gis::loadPark(fs::path(PARKTWIN_SOURCE_DIR) / "assets" / "berlin_adlershof" /
                            "park.toml");
    const ParkModel& park = b->park;
    const UtcTime start = fromLocal(2023, 6, 1, 0, 0, 0, park.timeZone);
    b->content.park = &b->park;
    addPlume(b->content, park, start);
    addTrucks(b->content, park, start, 200);
    b->from_s = toSeconds(start) + 6 * 3600;
    if (!describe)
        return b;
    const osg::ref_ptr<osg::Node> buildingsNode = buildBuildings(park.buildings, park.terrain);
    const osg::Geode* buildingTiles = buildingsNode->asGeode();
    unsigned vertices = 0, triangles = 0;
    for (unsigned k = 0; k < buildingTiles->getNumDrawables(); ++k) {
        const osg::Geometry* g = buildingTiles->getDrawable(k)->asGeometry();
        vertices += g->getVertexArray()->getNumElements();
        triangles += g->getPrimitiveSet(0)->getNumIndices() / 3;
    }
    std::printf("buildings mesh: %u tiles, %u vertices, %u triangles\n",
                buildingTiles->getNumDrawables(), vertices, triangles);
    std::printf("Berlin Adlershof: %zu buildings, %zu roads, %zu trucks, plume grid %dx%d, "
                "1280x720\n",
                park.buildings.size(), park.roads.size(), b->content.trucks.size(),
                b->content.hourly.front().nx, b->content.hourly.front().ny);
    return b;
}

SessionOptions benchOptions(bool panels, bool cached) {
    SessionOptions options;
    options.decorated = false;
    options.interactive = false;
    options.showPanel = panels;
    options.cacheStaticLayers = cached;
    return options;
}

/// The playing timeline with a still camera: with or without panels and the cache.
void runPlaying(bool panels, bool cached, bool describe) {
    const auto b = loadBerlin(describe);
    ViewerSession session(b->content, benchOptions(panels, cached));
    const Percentiles p = percentiles(timeFrames(session, b->from_s, b->step_s, frameCount));
    if (describe) {
        std::printf("  trucks drawn in the last frame: %d\n", session.trucksShown());
        if (const StaticLayerCache* cache = session.layerCache())
            std::printf("  static layers rendered offscreen %u times, reused %u times, drawn "
                        "directly %u times\n",
                        cache->renders(), cache->reuses(), cache->direct());
        else
            std::printf("  static layers drawn every frame\n");
        if (!pictures.empty())
            writePng(pictures / "berlin_adlershof.png", session.width(), session.height(),
                     session.frameAndCapture());
    }
    printResult(p);
}

/// The camera turning a quarter of a degree a frame about the vertical while the timeline
/// plays: the static layers are drawn directly while the view changes.
void runTurning(bool cached) {
    const auto b = loadBerlin(false);
    ViewerSession session(b->content, benchOptions(true, cached));
    osg::Camera* camera = session.viewer().getCamera();
    const osg::Matrixd view = camera->getViewMatrix();
    std::vector<double> ms;
    const double cpuStart = processCpu_ms();
    for (int k = 0; k < frameCount + 10; ++k) {
        session.setTime(b->from_s + k * b->step_s);
        camera->setViewMatrix(
            osg::Matrixd::rotate(osg::DegreesToRadians(0.25 * k), osg::Vec3d(0, 0, 1)) * view);
        const auto begin = std::chrono::steady_clock::now();
        session.frame();
        if (k >= 10)
            ms.push_back(std::chrono::duration<double, std::milli>(
                             std::chrono::steady_clock::now() - begin)
                             .count());
    }
    lastCpuPerFrame_ms = (processCpu_ms() - cpuStart) / (frameCount + 10);
    printResult(percentiles(ms));
}

/// Where the time goes: layers added one at a time to an empty picture (clear and swap only),
/// each drawn every frame, without panels.
void runLayers() {
    const auto b = loadBerlin(false);
    ViewerSession session(b->content, benchOptions(false, false));
    LayerToggles& layers = session.panel().layers;
    layers = LayerToggles{false, false, false, false, false, false, false, false, false, false,
                          false};
    const Percentiles empty =
        percentiles(timeFrames(session, b->from_s, b->step_s, frameCount / 2));
    print("  empty picture (reference)", empty);
    struct Step {
        const char* name;
        bool LayerToggles::*flag;
    };
    const Step steps[] = {{"+ ground", &LayerToggles::terrain},
                          {"+ land use outlines", &LayerToggles::areas},
                          {"+ buildings", &LayerToggles::buildings},
                          {"+ roads", &LayerToggles::roads},
                          {"+ plume and contours", &LayerToggles::plume},
                          {"+ trucks", &LayerToggles::trucks}};
    Percentiles p = empty;
    for (const Step& step : steps) {
        layers.*step.flag = true;
        if (step.flag == &LayerToggles::plume)
            layers.contours = true;
        p = percentiles(timeFrames(session, b->from_s, b->step_s, frameCount / 2));
        std::printf("  %-34s p50 %6.2f ms (%5.2f x empty); cpu %6.2f ms (%5.2f x empty)\n",
                    step.name, p.p50, p.p50 / empty.p50, p.cpu, p.cpu / empty.cpu);
    }
    printResult(p);
}

/// The SRTM3 tile N21E105 around Thái Nguyên at 90 m as level-of-detail tiles, from above or
/// obliquely, or drawn whole at full resolution (`full`), without panels and without the
/// cache: the terrain's own drawing cost.
void runSrtm(CameraPreset preset, bool full) {
    const fs::path dem = fs::path(PARKTWIN_SOURCE_DIR) / ".." / "shared" / "data" / "gis" /
                         "srtm3_N21E105" / "N21E105.hgt";
    if (!fs::exists(dem)) {
        std::printf("  SRTM tile %s not found: skipped\n", dem.string().c_str());
        return;
    }
    ParkModel park;
    park.name = "SRTM3 N21E105";
    park.frame.crs = gis::utmCrsFor(105.5, 21.5);
    auto ct = gis::makeTransform(gis::wgs84(), gis::parseCrs(park.frame.crs, "bench", "crs"),
                                 "bench");
    double x = 105.5, y = 21.5;
    ct->Transform(1, &x, &y);
    park.frame.originEasting = x;
    park.frame.originNorthing = y;
    park.extent = Box2{{-51000, -54500}, {51000, 54500}};
    park.terrain = gis::readTerrain(dem, park.frame, park.extent, 90);
    ViewContent content;
    content.park = &park;
    if (preset == CameraPreset::TopNorthUp)
        std::printf("SRTM3 N21E105 at 90 m: %d x %d nodes, 1280x720, no panels\n",
                    park.terrain.heights.nx, park.terrain.heights.ny);
    SessionOptions options = benchOptions(false, false);
    options.camera = preset;
    ViewerSession session(content, options);
    if (full) {
        // The same grid drawn whole, one tile per 64 cells at full resolution.
        auto* root = session.viewer().getSceneData()->asGroup();
        root->getChild(0)->asSwitch()->setChild(
            0, buildTerrain(park.terrain, park.extent, {}, TerrainLod{64, 1, 6.0f}));
    } else if (preset == CameraPreset::ObliqueSouth && !pictures.empty()) {
        writePng(pictures / "srtm_n21e105_oblique.png", session.width(), session.height(),
                 session.frameAndCapture());
    }
    printResult(percentiles(timeFrames(session, 0, 0, std::max(20, frameCount / 5))));
}

int runOne(const std::string& name) {
    if (name == "playing-described")
        runPlaying(true, true, true);
    else if (name == "playing")
        runPlaying(true, true, false);
    else if (name == "playing-drawn")
        runPlaying(true, false, false);
    else if (name == "playing-no-panels")
        runPlaying(false, true, false);
    else if (name == "turning")
        runTurning(true);
    else if (name == "turning-drawn")
        runTurning(false);
    else if (name == "layers")
        runLayers();
    else if (name == "srtm-top")
        runSrtm(CameraPreset::TopNorthUp, false);
    else if (name == "srtm-oblique")
        runSrtm(CameraPreset::ObliqueSouth, false);
    else if (name == "srtm-full")
        runSrtm(CameraPreset::ObliqueSouth, true);
    else {
        std::fprintf(stderr, "viewer_bench: unknown run '%s'\n", name.c_str());
        return 2;
    }
    return 0;
}

/// Runs `a` and `b` alternately three times; prints each run's p50, their medians and the
/// ratio a / b of the medians. Returns the medians.
std::pair<double, double> alternate(const char* label, const std::string& a,
                                    const std::string& b) {
    std::vector<double> pa, pb;
    for (int round = 0; round < 3; ++round)
        for (const std::string& name : {a, b}) {
            const RunResult r = child(name);
            if (!r.ok)
                throw std::runtime_error("the run '" + name + "' failed");
            (name == a ? pa : pb).push_back(r.p.p50);
        }
    std::printf("  %s, p50 of 3 alternated runs: %s %.2f %.2f %.2f ms, %s %.2f %.2f %.2f ms; "
                "ratio of the medians %.2f\n",
                label, a.c_str(), pa[0], pa[1], pa[2], b.c_str(), pb[0], pb[1], pb[2],
                median(pa) / median(pb));
    return {median(pa), median(pb)};
}

void printChild(const char* label, const std::string& name) {
    const RunResult r = child(name);
    if (!r.ok)
        throw std::runtime_error("the run '" + name + "' failed");
    print(label, r.p);
}

} // namespace

int main(int argc, char** argv) {
    self = fs::absolute(argv[0]).string();
    const bool one = argc > 2 && std::string(argv[1]) == "--run";
    const int first = one ? 3 : 1; // where the frame count and picture folder start
    if (argc > first)
        frameCount = std::max(20, std::atoi(argv[first]));
    if (argc > first + 1)
        pictures = argv[first + 1];
    if (!std::getenv("DISPLAY")) {
        std::fprintf(stderr, "viewer_bench: no X display; run under xvfb-run -a -s '-screen 0 "
                             "1280x720x24'\n");
        return 1;
    }
    log::setLevel(log::Level::Error);
    try {
        if (one)
            return runOne(argv[2]);
        // Berlin Adlershof, plume draped, 200 trucks, timeline playing, 1280x720: the target
        // run (panels shown, static layers cached) and its references.
        printChild("  with panels (the target, at most 16 ms)", "playing-described");
        alternate("with panels", "playing", "playing-drawn");
        alternate("panels shown against hidden, static layers cached", "playing",
                  "playing-no-panels");
        alternate("with panels, camera turning", "turning", "turning-drawn");
        printChild("  every layer drawn every frame, no panels", "layers");
        printChild("  LOD tiles, whole tile from above", "srtm-top");
        printChild("  LOD tiles, oblique from the south", "srtm-oblique");
        printChild("  full resolution everywhere, oblique", "srtm-full");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "viewer_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
