// Building dimensions by wind sector from footprints, checked against hand geometry.

#include <gtest/gtest.h>

#include <cmath>

#include "engine/dispersion/building_wake.h"

using namespace parktwin;
using namespace parktwin::dispersion;

namespace {

Building box(double x0, double y0, double w, double d, double h) {
    Building b;
    b.id = "box";
    b.footprint.outer = {{x0, y0}, {x0 + w, y0}, {x0 + w, y0 + d}, {x0, y0 + d}};
    b.height_m = h;
    return b;
}

} // namespace

TEST(BuildingWake, ProjectedWidthOfARectangleBySector) {
    // A 40 m (east-west) by 20 m (north-south) block, 30 m high, the stack 10 m east of it.
    const Building b = box(-40, -10, 40, 20, 30);
    const auto table = buildingWake({10, 0}, 0, std::span(&b, 1));
    ASSERT_TRUE(table);
    // Flow toward 90° (east): the width across the wind is the north-south side, 20 m.
    EXPECT_NEAR((*table)[8].width_m, 20.0, 1e-9);
    EXPECT_NEAR((*table)[8].height_m, 30.0, 1e-9);
    // Flow toward 360° (north): the east-west side, 40 m.
    EXPECT_NEAR((*table)[35].width_m, 40.0, 1e-9);
    // Flow toward 30°: |40 cos 30°| + |20 sin 30°| = 34.641 + 10 = 44.641 m.
    EXPECT_NEAR((*table)[2].width_m, 40 * std::cos(M_PI / 6) + 20 * std::sin(M_PI / 6), 1e-9);
}

TEST(BuildingWake, BuildingsBeyondFiveLDoNotCount) {
    // L = min(10 m height, width >= 20 m) = 10 m: the wake reaches 50 m from the footprint.
    const Building b = box(0, 0, 20, 20, 10);
    EXPECT_TRUE(buildingWake({69, 10}, 0, std::span(&b, 1)));   // 49 m from the east wall
    EXPECT_FALSE(buildingWake({71, 10}, 0, std::span(&b, 1)));  // 51 m
}

TEST(BuildingWake, TheHighestGepHeightWins) {
    // A low wide hall (12 m: GEP 12 + 18 = 30 m) and a tower (40 m high, 15 m wide: GEP
    // 40 + 22.5 = 62.5 m) both reach the stack; the tower decides in every sector where it
    // counts. Heights are taken above the stack base (the hall stands 2 m higher).
    Building hall = box(-60, -30, 50, 60, 12);
    hall.baseElevation_m = 2;
    const Building tower = box(5, -7.5, 15, 15, 40);
    const Building both[] = {hall, tower};
    const auto table = buildingWake({0, 0}, 0, both);
    ASSERT_TRUE(table);
    EXPECT_NEAR((*table)[8].height_m, 40.0, 1e-9);
    EXPECT_NEAR((*table)[8].width_m, 15.0, 1e-9);
    const auto hallOnly = buildingWake({0, 0}, 0, std::span(&hall, 1));
    ASSERT_TRUE(hallOnly);
    EXPECT_NEAR((*hallOnly)[8].height_m, 14.0, 1e-9);
}
