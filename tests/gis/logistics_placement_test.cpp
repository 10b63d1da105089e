// Trucks set on the real Thái Nguyên terrain (SRTM) along the park's planned roads, through the
// park's Bullet world, against the terrain surface worked out here from the park's height grid.

#include "engine/logistics/placement.h"

#include <cmath>

#include "gis/park_loader.h"
#include "gis/road_reader.h"
#include "gis_test_util.h"

using namespace parktwin;

namespace {

// Height at p on the plane through three grid nodes (i, j are node indices).
double planeHeight(const RasterGrid& g, Vec2 p, std::array<std::array<int, 2>, 3> nodes) {
    Vec3 v[3];
    for (int k = 0; k < 3; ++k) {
        const Vec2 q = g.position(nodes[k][0], nodes[k][1]);
        v[k] = {q.x, q.y, g.at(nodes[k][0], nodes[k][1])};
    }
    // Barycentric coordinates of p in the triangle's plan view.
    const double det =
        (v[1].y - v[2].y) * (v[0].x - v[2].x) + (v[2].x - v[1].x) * (v[0].y - v[2].y);
    const double a =
        ((v[1].y - v[2].y) * (p.x - v[2].x) + (v[2].x - v[1].x) * (p.y - v[2].y)) / det;
    const double b =
        ((v[2].y - v[0].y) * (p.x - v[2].x) + (v[0].x - v[2].x) * (p.y - v[2].y)) / det;
    return a * v[0].z + b * v[1].z + (1 - a - b) * v[2].z;
}

// The two ways of splitting the grid cell around p into triangles give two surface heights;
// a height grid drawn as triangles takes one of them (Bullet's heightfield, for one).
std::pair<double, double> cellSurfaceHeights(const RasterGrid& g, Vec2 p) {
    const double fi = (p.x - g.x0) / g.dx, fj = (p.y - g.y0) / g.dy;
    const int i = static_cast<int>(std::floor(fi)), j = static_cast<int>(std::floor(fj));
    const double u = fi - i, v = fj - j;
    // Diagonal (i,j)-(i+1,j+1): lower-right triangle when u > v.
    const double d1 = u > v ? planeHeight(g, p, {{{i, j}, {i + 1, j}, {i + 1, j + 1}}})
                            : planeHeight(g, p, {{{i, j}, {i + 1, j + 1}, {i, j + 1}}});
    // Diagonal (i+1,j)-(i,j+1): lower-left triangle when u + v < 1.
    const double d2 = u + v < 1 ? planeHeight(g, p, {{{i, j}, {i + 1, j}, {i, j + 1}}})
                                : planeHeight(g, p, {{{i + 1, j}, {i + 1, j + 1}, {i, j + 1}}});
    return {d1, d2};
}

} // namespace

TEST(LogisticsPlacement, TrucksSitOnTheThaiNguyenTerrain) {
    const auto manifest = test::assetsDir() / "thai_nguyen" / "park.toml";
    const ParkModel park = gis::loadPark(manifest);
    ASSERT_FALSE(park.terrain.flat());
    const auto roads = gis::readRoadNetwork(gis::readManifest(manifest), park);
    const logistics::RoadGraph graph(roads.roads, roads.points);
    ASSERT_GT(graph.links().size(), 4u);
    const physics::ParkWorld world(park);
    const RasterGrid& g = park.terrain.heights;

    int checked = 0;
    double lowest = INFINITY, highest = -INFINITY;
    for (size_t li = 0; li < graph.links().size(); ++li) {
        const double length_m = graph.links()[li].length_m;
        for (double d = 0; d <= length_m; d += 37) {
            const auto pose = logistics::placeOnLink(graph, world, static_cast<int>(li), d);
            const auto [h1, h2] = cellSurfaceHeights(g, {pose.position.x, pose.position.y});
            const double error_m = std::min(std::abs(pose.position.z - h1),
                                            std::abs(pose.position.z - h2));
            EXPECT_LT(error_m, 0.1) << "link " << li << " at " << d << " m: truck "
                                    << pose.position.z << ", surface " << h1 << " / " << h2;
            lowest = std::min(lowest, pose.position.z);
            highest = std::max(highest, pose.position.z);
            ++checked;
        }
    }
    EXPECT_GT(checked, 100);
    EXPECT_GT(highest - lowest, 1.0); // the roads climb: the check is not on a flat plane
}

TEST(LogisticsPlacement, HeadingFollowsTheLink) {
    std::vector<logistics::RoadLine> roads(1);
    roads[0].id = std::string("r"); // a literal assigned here trips GCC 12's -Wrestrict
    roads[0].highway = std::string("service");
    roads[0].line = {{0, 0}, {100, 0}, {100, 100}};
    const logistics::RoadGraph graph(roads, {});
    ParkModel flat;
    flat.terrain.flatElevation_m = 12;
    const physics::ParkWorld world(flat);
    int eastward = -1;
    for (size_t i = 0; i < graph.links().size(); ++i)
        if (graph.links()[i].shape.front().x == 0)
            eastward = static_cast<int>(i);
    ASSERT_GE(eastward, 0);
    auto first = logistics::placeOnLink(graph, world, eastward, 50);
    EXPECT_NEAR(first.heading_deg, 90, 1e-9);
    EXPECT_NEAR(first.position.x, 50, 1e-9);
    EXPECT_NEAR(first.position.z, 12, 1e-2); // Bullet intersects in single precision
    auto second = logistics::placeOnLink(graph, world, eastward, 150);
    EXPECT_NEAR(second.heading_deg, 0, 1e-9);
    EXPECT_NEAR(second.position.y, 50, 1e-9);
}
