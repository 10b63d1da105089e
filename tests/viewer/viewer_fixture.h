#pragma once
// A small synthetic park with a known plume, and the display check every viewer test needs.

#include "engine/core/park.h"
#include "test_paths.h"
#include "viewer/view_content.h"

#include <cmath>
#include <cstdlib>
#include <gtest/gtest.h>
#include <utility>

namespace parktwin::test {

/// Skips without an X display, except under CI=true where that is a failure.
#define PARKTWIN_REQUIRE_DISPLAY()                                                                 \
    do {                                                                                           \
        const char* display = std::getenv("DISPLAY");                                              \
        if (!display || !*display) {                                                               \
            if (parktwin::test::underCi())                                                         \
                FAIL() << "no X display under CI; run the tests under xvfb-run -a";                \
            GTEST_SKIP() << "no X display; run under xvfb-run -a -s '-screen 0 1280x720x24'";      \
        }                                                                                          \
    } while (0)

/// 2 km x 2 km park around the origin on ground sloping up 2 m per 100 m eastwards, a stack
/// of 60 m at the origin and three buildings (one L-shaped) south and north of the plume.
inline ParkModel syntheticPark() {
    ParkModel park;
    park.name = "Khu công nghiệp thử nghiệm";
    park.timeZone = UtcOffset{420};
    park.extent = Box2{{-1000, -1000}, {1000, 1000}};
    park.terrain.heights = RasterGrid(-1000, -1000, 50, 50, 41, 41);
    for (int j = 0; j < 41; ++j)
        for (int i = 0; i < 41; ++i)
            park.terrain.heights.at(i, j) = 100.0 + 0.02 * park.terrain.heights.position(i, j).x;
    park.terrain.flatElevation_m = 100;

    auto box = [](double x, double y, double w, double h) {
        return Polygon{{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}, {}};
    };
    auto building = [](const char* id, const char* name, const char* use, Polygon footprint,
                       double height_m, double base_m) {
        Building b;
        b.id = id;
        b.name = name;
        b.use = use;
        b.footprint = std::move(footprint);
        b.height_m = height_m;
        b.baseElevation_m = base_m;
        return b;
    };
    const Building office = building("b1", "Office", "office", box(-400, -500, 120, 80), 25, 92);
    const Building warehouse =
        building("b2", "Store", "warehouse", box(200, -600, 200, 100), 15, 106);
    Building planned = building(
        "b3", "Hall", "industrial",
        Polygon{{{-300, 400}, {0, 400}, {0, 480}, {-220, 480}, {-220, 600}, {-300, 600}}, {}}, 30,
        97);
    planned.planned = true;
    park.buildings = {office, warehouse, planned};

    Stack stack;
    stack.id = "S1";
    stack.name = "Stack 1";
    stack.position = {0, 0};
    stack.baseElevation_m = 100;
    stack.height_m = 60;
    stack.diameter_m = 3;
    park.stacks = {stack};

    Area boundary;
    boundary.id = "park";
    boundary.parts = {box(-900, -900, 1800, 1800)};
    park.boundary = {boundary};
    Road road;
    road.id = "r1";
    road.line = {{-900, -300}, {900, -300}};
    park.roads = {road};
    return park;
}

/// Where the synthetic plume peaks: the centre of cell (60, 40), 512.5 m east of the stack.
inline Vec2 syntheticPeak() {
    return {-987.5 + 60 * 25.0, -987.5 + 40 * 25.0};
}
inline constexpr double kSyntheticMax_ugm3 = 400.0;

/// A plume blowing east from the stack: 3 x 3 cells of 400 µg/m³ around syntheticPeak(), a
/// second 3 x 3 block at the log midpoint 400 / sqrt(1000) = 12.649 µg/m³ 300 m further east,
/// a thin tail of 2 µg/m³ between, zero elsewhere (transparent: under the floor 0.4).
inline RasterGrid syntheticPlume() {
    RasterGrid grid(-987.5, -987.5, 25, 25, 80, 80, 0.0);
    for (int i = 44; i < 76; ++i)
        grid.at(i, 40) = 2.0;
    for (int dj = -1; dj <= 1; ++dj) {
        for (int di = -1; di <= 1; ++di) {
            grid.at(60 + di, 40 + dj) = kSyntheticMax_ugm3;
            grid.at(72 + di, 40 + dj) = kSyntheticMax_ugm3 / std::sqrt(1000.0);
        }
    }
    return grid;
}

inline viewer::ViewContent syntheticContent(const ParkModel& park) {
    viewer::ViewContent content;
    content.park = &park;
    content.pollutant = "SO2";
    content.periodMax = syntheticPlume();
    content.limit_ugm3 = 350.0;
    return content;
}

} // namespace parktwin::test
