// Contours against rasters whose crossings are known exactly.

#include "gis/contours.h"

#include <cmath>

#include <gtest/gtest.h>

using namespace parktwin;

namespace {

const LocalFrame kFrame{"EPSG:32648", "WGS 84 / UTM zone 48N", 500000.0, 2400000.0};

} // namespace

TEST(Contours, RampGivesAStraightLineWhereTheValueIsReached) {
    // Value = x / 10 at cell centres x = 0, 10, ..., 100 m (11 columns, 5 rows): 0 to 10.
    // Linear between centres, so the level 2.5 lies at local x = 25 m, easting 500025, on
    // every row (within 0.1 mm: GDAL nudges values by a tiny epsilon); level 20 lies beyond
    // the grid and gives nothing.
    RasterGrid grid(0, 0, 10, 10, 11, 5);
    for (int j = 0; j < grid.ny; ++j)
        for (int i = 0; i < grid.nx; ++i)
            grid.at(i, j) = grid.position(i, j).x / 10.0;
    const auto lines = gis::contourLines(grid, kFrame, {2.5, 20.0});
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_DOUBLE_EQ(lines[0].level, 2.5);
    ASSERT_GE(lines[0].points.size(), 2u);
    double south = 1e300, north = -1e300;
    for (const Vec2& p : lines[0].points) {
        EXPECT_NEAR(p.x, 500025.0, 1e-4);
        south = std::min(south, p.y);
        north = std::max(north, p.y);
    }
    // GDAL carries the line to the raster's outer edge, half a cell beyond the southern and
    // northern rows of centres: northings 2399995 to 2400045.
    EXPECT_NEAR(south, 2399995.0, 1e-6);
    EXPECT_NEAR(north, 2400045.0, 1e-6);
}

TEST(Contours, ConePeakGivesClosedRingsAtTheRightRadius) {
    // Value = 100 - r (r in m from the centre cell at local (50, 50)) on a 1 m grid: the
    // level 80 is the circle of radius 20 m. Linear interpolation between centres puts every
    // vertex within 0.05 m of the circle (the cone is linear along the grid lines up to the
    // curvature of r over one metre, well under 0.05 m at r = 20 m).
    RasterGrid grid(0, 0, 1, 1, 101, 101);
    for (int j = 0; j < grid.ny; ++j)
        for (int i = 0; i < grid.nx; ++i) {
            const Vec2 p = grid.position(i, j);
            grid.at(i, j) = 100.0 - std::hypot(p.x - 50.0, p.y - 50.0);
        }
    const auto lines = gis::contourLines(grid, kFrame, {80.0});
    ASSERT_EQ(lines.size(), 1u);
    const auto& ring = lines[0].points;
    EXPECT_GT(ring.size(), 50u);
    EXPECT_DOUBLE_EQ(ring.front().x, ring.back().x); // closed
    EXPECT_DOUBLE_EQ(ring.front().y, ring.back().y);
    for (const Vec2& p : ring)
        EXPECT_NEAR(std::hypot(p.x - 500050.0, p.y - 2400050.0), 20.0, 0.05);
}

TEST(Contours, NodataCellsAreNotContoured) {
    // A hole of NaN in the middle of a ramp (rows 4-6, centres y = 40..60, cell edges 35 and
    // 65): the line at 2.5 stays at x = 25 and stops at the hole's edge rather than bending
    // through made-up values.
    RasterGrid grid(0, 0, 10, 10, 11, 11);
    for (int j = 0; j < grid.ny; ++j)
        for (int i = 0; i < grid.nx; ++i)
            grid.at(i, j) = grid.position(i, j).x / 10.0;
    for (int j = 4; j <= 6; ++j)
        for (int i = 1; i <= 4; ++i)
            grid.at(i, j) = std::numeric_limits<double>::quiet_NaN();
    const auto lines = gis::contourLines(grid, kFrame, {2.5});
    ASSERT_EQ(lines.size(), 2u);
    for (const auto& line : lines)
        for (const Vec2& p : line.points) {
            EXPECT_NEAR(p.x, 500025.0, 1e-4);
            EXPECT_TRUE(p.y <= 2400035.0 + 1e-6 || p.y >= 2400065.0 - 1e-6) << p.y;
        }
}
