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
#include "viewer/park_viewer.h"
#include "viewer/terrain_mesh.h"
#include "viewer/viewer_session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
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

void berlin(int frames) {
    const fs::path manifest = fs::path(PARKTWIN_SOURCE_DIR) / "assets" / "berlin_adlershof" /
                              "park.toml";
    const ParkModel park = gis::loadPark(manifest);
    const UtcTime start = fromLocal(2023, 6, 1, 0, 0, 0, park.timeZone);
    ViewContent content;
    content.park = &park;
    addPlume(content, park, start);
    addTrucks(content, park, start, 200);
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
                park.buildings.size(), park.roads.size(), content.trucks.size(),
                content.hourly.front().nx, content.hourly.front().ny);

    // 36 s of scenario time per frame: the timeline crosses hours (new plume) as it plays.
    const double from_s = toSeconds(start) + 6 * 3600, step_s = 36;
    Percentiles with, without;
    for (bool panels : {true, false}) {
        SessionOptions options;
        options.decorated = false;
        options.interactive = false;
        options.showPanel = panels;
        ViewerSession session(content, options);
        const auto p = percentiles(timeFrames(session, from_s, step_s, frames));
        std::printf("  trucks drawn in the last frame: %d\n", session.trucksShown());
        if (panels && !pictures.empty())
            writePng(pictures / "berlin_adlershof.png", session.width(), session.height(),
                     session.frameAndCapture());
        print(panels ? "  with panels" : "  without panels", p);
        (panels ? with : without) = p;
    }
    std::printf("  ratio with / without panels: p50 %.2f, mean %.2f\n", with.p50 / without.p50,
                with.mean / without.mean);

    // Where the time goes: the same session with layers added one at a time, starting from
    // an empty picture (clear and swap only), which is the floor on this display.
    SessionOptions options;
    options.decorated = false;
    options.interactive = false;
    options.showPanel = false;
    ViewerSession session(content, options);
    LayerToggles& layers = session.panel().layers;
    layers = LayerToggles{false, false, false, false, false, false, false, false, false, false,
                          false};
    const Percentiles empty = percentiles(timeFrames(session, from_s, step_s, frames / 2));
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
    for (const Step& step : steps) {
        layers.*step.flag = true;
        if (step.flag == &LayerToggles::plume)
            layers.contours = true;
        const auto p = percentiles(timeFrames(session, from_s, step_s, frames / 2));
        std::printf("  %-34s p50 %6.2f ms (%5.2f x empty); cpu %6.2f ms (%5.2f x empty)\n",
                    step.name, p.p50, p.p50 / empty.p50, p.cpu, p.cpu / empty.cpu);
    }
    std::printf("  full scene with panels / empty picture: p50 %.2f, cpu %.2f\n",
                with.p50 / empty.p50, with.cpu / empty.cpu);
}

void srtmTile(int frames) {
    const fs::path dem = fs::path(PARKTWIN_SOURCE_DIR) / ".." / "shared" / "data" / "gis" /
                         "srtm3_N21E105" / "N21E105.hgt";
    if (!fs::exists(dem)) {
        std::printf("SRTM tile %s not found: terrain bench skipped\n", dem.string().c_str());
        return;
    }
    // The tile's centre as the origin of its UTM 48N frame; the grid spans the tile at 90 m.
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
    std::printf("SRTM3 N21E105 at 90 m: %d x %d nodes, 1280x720, no panels\n",
                park.terrain.heights.nx, park.terrain.heights.ny);

    for (CameraPreset preset : {CameraPreset::TopNorthUp, CameraPreset::ObliqueSouth}) {
        SessionOptions options;
        options.decorated = false;
        options.interactive = false;
        options.showPanel = false;
        options.camera = preset;
        ViewerSession session(content, options);
        if (preset == CameraPreset::ObliqueSouth && !pictures.empty())
            writePng(pictures / "srtm_n21e105_oblique.png", session.width(), session.height(),
                     session.frameAndCapture());
        print(preset == CameraPreset::TopNorthUp ? "  LOD tiles, whole tile from above"
                                                 : "  LOD tiles, oblique from the south",
              percentiles(timeFrames(session, 0, 0, frames)));
    }
    // The reference: the same grid drawn whole, one tile per 64 cells at full resolution.
    osg::ref_ptr<osg::Node> full =
        buildTerrain(park.terrain, park.extent, {}, TerrainLod{64, 1, 6.0f});
    SessionOptions options;
    options.decorated = false;
    options.interactive = false;
    options.showPanel = false;
    options.camera = CameraPreset::ObliqueSouth;
    ViewerSession session(content, options);
    auto* root = session.viewer().getSceneData()->asGroup();
    auto* layers = root->getChild(0)->asSwitch();
    layers->setChild(0, full);
    print("  full resolution everywhere, oblique", percentiles(timeFrames(session, 0, 0, frames)));
}

} // namespace

int main(int argc, char** argv) {
    const int frames = argc > 1 ? std::max(20, std::atoi(argv[1])) : 300;
    if (argc > 2)
        pictures = argv[2];
    if (!std::getenv("DISPLAY")) {
        std::fprintf(stderr, "viewer_bench: no X display; run under xvfb-run -a -s '-screen 0 "
                             "1280x720x24'\n");
        return 1;
    }
    log::setLevel(log::Level::Warn);
    try {
        berlin(frames);
        srtmTile(std::max(20, frames / 5));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "viewer_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
