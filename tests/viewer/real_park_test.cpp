// The bundled Thái Nguyên park, loaded by gis/ and drawn with a plume from the engine.

#include "engine/dispersion/plume.h"
#include "gis/park_loader.h"
#include "viewer/park_viewer.h"
#include "viewer/plume_drape.h"
#include "viewer_fixture.h"

#include <cmath>
#include <filesystem>
#include <gtest/gtest.h>
#include <iostream>
#include <optional>

using namespace parktwin;
using namespace parktwin::viewer;

namespace {

/// One hour of plume over the park extent on a 100 m grid: every stack at 100 g/s (a round
/// illustrative rate, not an inventory value), wind from the south-east at 3 m/s, class D.
RasterGrid oneHour(const ParkModel& park, const MetHour& met) {
    const Box2 box = park.extent;
    const double spacing = 100;
    const int nx = static_cast<int>(box.width() / spacing);
    const int ny = static_cast<int>(box.height() / spacing);
    RasterGrid grid(box.min.x + spacing / 2, box.min.y + spacing / 2, spacing, spacing, nx, ny);

    std::vector<dispersion::Receptor> receptors;
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i)
            receptors.push_back(
                {grid.position(i, j), park.terrain.heightAt(grid.position(i, j)), 0.0});
    std::vector<dispersion::PointSource> sources;
    for (const Stack& s : park.stacks)
        sources.push_back({s.id, s.position, s.baseElevation_m, s.height_m, s.diameter_m,
                           s.exitVelocity_ms, s.exitTemperature_K, 100.0, std::nullopt});
    dispersion::addHourConcentrations(sources, met, receptors, dispersion::PlumeOptions{},
                                      grid.values);
    return grid;
}

} // namespace

TEST(RealPark, ThaiNguyenSnapshots) {
    PARKTWIN_REQUIRE_DISPLAY();
    const auto manifest = test::assetsDir() / "thai_nguyen" / "park.toml";
    ASSERT_TRUE(std::filesystem::exists(manifest));
    const ParkModel park = gis::loadPark(manifest);
    ASSERT_FALSE(park.stacks.empty());

    MetHour met;
    met.start = fromLocal(2016, 7, 1, 14, 0, 0, park.timeZone);
    met.windSpeed_ms = 3.0;
    met.windFromDir_deg = 135.0;
    met.stability = Stability::D;
    met.mixingHeight_m = 1200;

    ViewContent content;
    content.park = &park;
    content.pollutant = "SO2";
    content.hours = {met.start};
    content.met = {met};
    content.hourly = {oneHour(park, met)};
    content.periodMax = content.hourly.front();
    content.limit_ugm3 = 350.0; // QCVN 05:2013/BTNMT, SO2 one-hour average
    const GridPeak peak = gridPeak(content.hourly.front());
    ASSERT_TRUE(peak.found);
    ASSERT_GT(peak.value_ugm3, 0.0);

    const auto dir = test::scratchDir();
    SnapshotOptions options;
    options.grid = GridChoice{0};
    options.output = dir / "thai_nguyen_oblique.png";
    const SnapshotInfo oblique = renderSnapshot(content, options);
    ASSERT_TRUE(std::filesystem::exists(options.output));

    options.camera = CameraPreset::TopNorthUp;
    options.output = dir / "thai_nguyen_top.png";
    const SnapshotInfo top = renderSnapshot(content, options);
    ASSERT_TRUE(std::filesystem::exists(options.output));
    std::cout << "[ timing ] oblique: first frame " << oblique.firstFrame_ms << " ms, then "
              << oblique.meanFrame_ms << " ms; top: " << top.firstFrame_ms << " / "
              << top.meanFrame_ms << " ms\n";

    // Seen from above, the cell of the maximum shows the top colour of the scale unless a
    // building or the panel stands over it.
    const double z = park.terrain.heightAt(peak.position);
    const Vec2 px = top.project({peak.position.x, peak.position.y, z});
    if (!top.panel.contains(float(px.x), float(px.y))) {
        const auto pixel = top.pixel(int(px.x), int(px.y));
        const Rgb expected = colourFor(peak.value_ugm3, top.scale);
        EXPECT_NEAR(pixel[0], std::lround(expected.r * 255), 3);
        EXPECT_NEAR(pixel[1], std::lround(expected.g * 255), 3);
        EXPECT_NEAR(pixel[2], std::lround(expected.b * 255), 3);
    }
}
