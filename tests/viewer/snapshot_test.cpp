// Headless snapshots of a synthetic park: the plume's colours land where the model put them.

#include "engine/core/error.h"
#include "viewer/park_viewer.h"
#include "viewer_fixture.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <gtest/gtest.h>
#include <iostream>

using namespace parktwin;
using namespace parktwin::viewer;

namespace {

/// Largest per-channel difference between a pixel and a colour of the scale, in 8-bit steps.
int channelDistance(const std::array<unsigned char, 3>& pixel, const Rgb& colour) {
    const int r = std::abs(pixel[0] - int(std::lround(colour.r * 255)));
    const int g = std::abs(pixel[1] - int(std::lround(colour.g * 255)));
    const int b = std::abs(pixel[2] - int(std::lround(colour.b * 255)));
    return std::max({r, g, b});
}

std::array<unsigned char, 3> pixelAt(const SnapshotInfo& info, Vec2 local, double z) {
    const Vec2 p = info.project({local.x, local.y, z});
    return info.pixel(static_cast<int>(std::floor(p.x)), static_cast<int>(std::floor(p.y)));
}

} // namespace

TEST(Snapshot, TopViewShowsThePlumeColoursAtTheirPlaces) {
    PARKTWIN_REQUIRE_DISPLAY();
    const ParkModel park = test::syntheticPark();
    const ViewContent content = test::syntheticContent(park);

    SnapshotOptions options;
    options.width = 960;
    options.height = 640;
    options.camera = CameraPreset::TopNorthUp;
    options.output = test::scratchDir() / "synthetic_top.png";
    const SnapshotInfo info = renderSnapshot(content, options);

    ASSERT_TRUE(std::filesystem::exists(options.output));
    ASSERT_EQ(info.rgb.size(), size_t(960) * 640 * 3);
    EXPECT_DOUBLE_EQ(info.scale.max_ugm3, test::kSyntheticMax_ugm3);

    // The peak, on the ground (100 m + 0.02 * 512.5 = 110.25 m), must be in the picture and
    // clear of the panel for the check to mean anything.
    const Vec2 peak = test::syntheticPeak();
    const Vec2 peakPx = info.project({peak.x, peak.y, 110.25});
    ASSERT_GT(peakPx.x, 0);
    ASSERT_LT(peakPx.x, info.width);
    ASSERT_GT(peakPx.y, 0);
    ASSERT_LT(peakPx.y, info.height);
    ASSERT_FALSE(info.panel.contains(float(peakPx.x), float(peakPx.y)));
    ASSERT_GT(info.panel.width, 100.0f);

    // The maximum shows the top of the scale: dark red (0.80, 0.05, 0.10) = (204, 13, 26).
    const Rgb top = colourFor(test::kSyntheticMax_ugm3, info.scale);
    EXPECT_EQ(int(std::lround(top.r * 255)), 204);
    const auto atPeak = pixelAt(info, peak, 110.25);
    EXPECT_LE(channelDistance(atPeak, top), 3)
        << "pixel " << int(atPeak[0]) << "," << int(atPeak[1]) << "," << int(atPeak[2]);

    // 400 / sqrt(1000) sits half-way up three decades: yellow (0.95, 0.90, 0.20).
    const Vec2 middle{peak.x + 300, peak.y};
    const auto atMiddle = pixelAt(info, middle, 100 + 0.02 * middle.x);
    EXPECT_LE(channelDistance(atMiddle, colourFor(400 / std::sqrt(1000.0), info.scale)), 3)
        << "pixel " << int(atMiddle[0]) << "," << int(atMiddle[1]) << "," << int(atMiddle[2]);

    // The mirror of the peak across the stack, upwind, has no plume: terrain shows there.
    const Vec2 upwind{-peak.x, -peak.y};
    const auto atUpwind = pixelAt(info, upwind, 100 + 0.02 * upwind.x);
    EXPECT_GT(channelDistance(atUpwind, top), 60)
        << "pixel " << int(atUpwind[0]) << "," << int(atUpwind[1]) << "," << int(atUpwind[2]);
    for (double v : {test::kSyntheticMax_ugm3, 12.649, 2.0})
        EXPECT_GT(channelDistance(atUpwind, colourFor(v, info.scale)), 30);
}

TEST(Snapshot, BuildingsAndStackStandOutOfTheGround) {
    PARKTWIN_REQUIRE_DISPLAY();
    const ParkModel park = test::syntheticPark();
    ViewContent content = test::syntheticContent(park);

    SnapshotOptions options;
    options.width = 960;
    options.height = 640;
    options.camera = CameraPreset::TopNorthUp;
    options.showPanel = false;
    const SnapshotInfo info = renderSnapshot(content, options);
    EXPECT_EQ(info.panel.width, 0.0f);

    // The warehouse roof (200..400 m east, -600..-500 m north, top at 106 + 15 m) against
    // open ground 150 m south of it.
    const auto roof = pixelAt(info, {300, -550}, 121);
    const auto ground = pixelAt(info, {300, -700}, 100 + 0.02 * 300);
    const int difference = std::abs(roof[0] - ground[0]) + std::abs(roof[1] - ground[1]) +
                           std::abs(roof[2] - ground[2]);
    EXPECT_GT(difference, 40);

    // The marker on top of the stack is dark; the ground is not.
    const auto marker = pixelAt(info, {0, 0}, 160);
    EXPECT_LT(int(marker[0]) + marker[1] + marker[2], 200);
    EXPECT_GT(int(ground[0]) + ground[1] + ground[2], 250);
}

TEST(Snapshot, ObliqueViewWritesAPicture) {
    PARKTWIN_REQUIRE_DISPLAY();
    const ParkModel park = test::syntheticPark();
    const ViewContent content = test::syntheticContent(park);

    SnapshotOptions options;
    options.width = 1280;
    options.height = 720;
    options.output = test::scratchDir() / "synthetic_oblique.png";
    const SnapshotInfo info = renderSnapshot(content, options);
    ASSERT_TRUE(std::filesystem::exists(options.output));

    // From the south the stack's base projects below its top in the picture.
    const Vec2 base = info.project({0, 0, 100});
    const Vec2 top = info.project({0, 0, 160});
    EXPECT_GT(base.y, top.y);
    std::cout << "[ timing ] first frame " << info.firstFrame_ms << " ms, then "
              << info.meanFrame_ms << " ms per frame\n";
}

TEST(Snapshot, WithoutAParkIsAnError) {
    PARKTWIN_REQUIRE_DISPLAY();
    ViewContent content;
    EXPECT_THROW(renderSnapshot(content, SnapshotOptions{}), Error);
}
