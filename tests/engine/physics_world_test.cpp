#include "engine/physics/park_world.h"
#include "engine/physics/triangulate.h"

#include <cmath>
#include <type_traits>

#include <gtest/gtest.h>

using namespace parktwin;
using namespace parktwin::physics;

namespace {

static_assert(!std::is_copy_constructible_v<ParkWorld>);
static_assert(!std::is_copy_assignable_v<ParkWorld>);

// A tilted plane z = a + b x + c y. Its heights between nodes are exact on any triangulation,
// so every expected height below is the formula itself. Unequal spacings, an off-centre grid
// and slopes of different sign on x and y make a swapped axis, a flipped row order or a
// mis-centred heightfield show up as errors of metres.
constexpr double kA = 120.0, kB = 0.05, kC = -0.03;
double plane(double x, double y) { return kA + kB * x + kC * y; }

constexpr double kX0 = -500, kY0 = -300, kDx = 30, kDy = 20;
constexpr int kNx = 41, kNy = 31;

RasterGrid tiltedGrid() {
    RasterGrid g(kX0, kY0, kDx, kDy, kNx, kNy);
    for (int j = 0; j < kNy; ++j)
        for (int i = 0; i < kNx; ++i)
            g.at(i, j) = plane(g.position(i, j).x, g.position(i, j).y);
    return g;
}

Ring rectangle(double x0, double y0, double x1, double y1) {
    return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
}

Building building(Polygon footprint, double base_m, double height_m) {
    Building b;
    b.footprint = std::move(footprint);
    b.baseElevation_m = base_m;
    b.height_m = height_m;
    return b;
}

// An L whose ring starts next to the reflex corner: a fan from the first vertex would roof
// the notch (x > 220, y > 220). Cells: 200..260 x 200..220 plus 200..220 x 220..260.
Polygon lShape() {
    return {{{260, 220}, {220, 220}, {220, 260}, {200, 260}, {200, 200}, {260, 200}}, {}};
}

ParkModel tiltedPark() {
    ParkModel park;
    park.name = "tilted";
    park.terrain.heights = tiltedGrid();
    // 0: a small block far away, so that the index checks below are not trivially 0.
    park.buildings.push_back(building({rectangle(-400, -200, -380, -180), {}}, 100, 10));
    // 1: 40 m x 30 m, base at the plane under its centre (120, 115):
    //    120 + 0.05*120 - 0.03*115 = 122.55 m; roof at 122.55 + 25 = 147.55 m.
    park.buildings.push_back(building({rectangle(100, 100, 140, 130), {}}, 122.55, 25));
    // 2: the L, base 124 m, roof 136 m.
    park.buildings.push_back(building(lShape(), 124, 12));
    // 3: a 60 m square with a 20 m courtyard, base 130 m, roof 148 m.
    park.buildings.push_back(
        building({rectangle(300, -100, 360, -40), {rectangle(320, -80, 340, -60)}}, 130, 18));

    parktwin::Stack stack;
    stack.position = {-200, 0};
    stack.baseElevation_m = plane(-200, 0); // 110 m
    stack.height_m = 60;
    stack.diameter_m = 3;
    park.stacks.push_back(stack);
    return park;
}

std::optional<RayHit> dropRay(const ParkWorld& world, double x, double y) {
    return world.castRay({x, y, 1000}, {x, y, 0});
}

} // namespace

TEST(PhysicsTriangulate, LShapeCoversItsAreaOnly) {
    const Polygon l = lShape();
    const auto triangles = triangulate(l);
    // A simple polygon of n vertices splits into n - 2 triangles; area 60*20 + 20*40 = 2000 m2.
    ASSERT_EQ(triangles.size(), 4u);
    double total = 0;
    for (const Triangle& t : triangles) {
        const Ring tri{l.outer[t[0]], l.outer[t[1]], l.outer[t[2]]};
        EXPECT_GT(signedArea(tri), 0) << "triangles must be counter-clockwise";
        EXPECT_TRUE(contains(l, centroid(tri)));
        total += signedArea(tri);
    }
    EXPECT_NEAR(total, 2000.0, 1e-9);
}

TEST(PhysicsTriangulate, ClockwiseRingWithCourtyardAndCollinearVertex) {
    // Clockwise outer square 60 m with a redundant vertex on its west edge, and a 20 m hole:
    // area 3600 - 400 = 3200 m2.
    Polygon p{{{0, 0}, {0, 30}, {0, 60}, {60, 60}, {60, 0}}, {rectangle(20, 20, 40, 40)}};
    const auto triangles = triangulate(p);
    ASSERT_FALSE(triangles.empty());
    std::vector<Vec2> all = p.outer;
    all.insert(all.end(), p.holes[0].begin(), p.holes[0].end());
    double total = 0;
    for (const Triangle& t : triangles) {
        const Ring tri{all[t[0]], all[t[1]], all[t[2]]};
        EXPECT_GE(signedArea(tri), 0);
        if (signedArea(tri) > 0) {
            EXPECT_TRUE(contains(p, centroid(tri)));
        }
        total += signedArea(tri);
    }
    EXPECT_NEAR(total, 3200.0, 1e-9);
}

TEST(PhysicsTriangulate, SelfIntersectingRingIsRefused) {
    const Polygon bowtie{{{0, 0}, {10, 10}, {10, 0}, {0, 10}}, {}};
    EXPECT_TRUE(triangulate(bowtie).empty());
}

TEST(PhysicsWorld, GroundHeightAtNodesMatchesThePlane) {
    const ParkWorld world(tiltedPark());
    for (int j = 0; j < kNy; ++j)
        for (int i = 0; i < kNx; ++i) {
            const double x = kX0 + i * kDx, y = kY0 + j * kDy;
            EXPECT_NEAR(world.groundHeight({x, y}), plane(x, y), 1e-3) << "node " << i << "," << j;
        }
}

TEST(PhysicsWorld, GroundHeightBetweenNodesMatchesThePlane) {
    const ParkWorld world(tiltedPark());
    for (int j = 0; j + 1 < kNy; ++j)
        for (int i = 0; i + 1 < kNx; ++i) {
            // Two points per cell, one on each side of any diagonal the cell is cut along.
            for (const Vec2 f : {Vec2{0.37, 0.81}, Vec2{0.9, 0.15}}) {
                const double x = kX0 + (i + f.x) * kDx, y = kY0 + (j + f.y) * kDy;
                EXPECT_NEAR(world.groundHeight({x, y}), plane(x, y), 1e-3);
            }
        }
}

TEST(PhysicsWorld, GroundHeightIgnoresBuildingsAndIsNaNOutside) {
    const ParkWorld world(tiltedPark());
    EXPECT_NEAR(world.groundHeight({120, 115}), plane(120, 115), 1e-3); // under building 1
    EXPECT_TRUE(std::isnan(world.groundHeight({kX0 - 1, 0})));
    EXPECT_TRUE(std::isnan(world.groundHeight({0, kY0 + (kNy - 1) * kDy + 0.5})));
}

TEST(PhysicsWorld, VerticalRayHitsRoofAndGroundBeside) {
    const ParkWorld world(tiltedPark());
    EXPECT_EQ(world.buildingCount(), 4);

    const auto roof = dropRay(world, 120, 115);
    ASSERT_TRUE(roof);
    EXPECT_EQ(roof->kind, RayHit::Building);
    EXPECT_EQ(roof->index, 1);
    EXPECT_NEAR(roof->point.z, 147.55, 1e-3);
    EXPECT_NEAR(roof->normal.z, 1.0, 1e-6);
    EXPECT_NEAR(roof->fraction, (1000 - 147.55) / 1000, 1e-6);

    // 20 m east of the east wall: 120 + 0.05*160 - 0.03*115 = 124.55 m.
    const auto ground = dropRay(world, 160, 115);
    ASSERT_TRUE(ground);
    EXPECT_EQ(ground->kind, RayHit::Ground);
    EXPECT_EQ(ground->index, -1);
    EXPECT_NEAR(ground->point.z, 124.55, 1e-3);
}

TEST(PhysicsWorld, HorizontalRayHitsTheWall) {
    const ParkWorld world(tiltedPark());
    // From x = 50 to x = 200 at 130 m (above the ground, 119-122 m there, below the roof):
    // the west wall at x = 100 is 50 m along a 150 m ray.
    const auto hit = world.castRay({50, 115, 130}, {200, 115, 130});
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->kind, RayHit::Building);
    EXPECT_EQ(hit->index, 1);
    EXPECT_NEAR(hit->point.x, 100, 1e-3);
    EXPECT_NEAR(hit->fraction, 1.0 / 3.0, 1e-6);
    EXPECT_NEAR(hit->normal.x, -1.0, 1e-6);
}

TEST(PhysicsWorld, RayIntoTheNotchOfAnLHitsTheGround) {
    const ParkWorld world(tiltedPark());
    // (235, 240) is in the notch: ground 120 + 0.05*235 - 0.03*240 = 124.55 m.
    const auto notch = dropRay(world, 235, 240);
    ASSERT_TRUE(notch);
    EXPECT_EQ(notch->kind, RayHit::Ground);
    EXPECT_NEAR(notch->point.z, 124.55, 1e-3);

    const auto arm = dropRay(world, 210, 250);
    ASSERT_TRUE(arm);
    EXPECT_EQ(arm->kind, RayHit::Building);
    EXPECT_EQ(arm->index, 2);
    EXPECT_NEAR(arm->point.z, 136, 1e-3);
}

TEST(PhysicsWorld, RayIntoACourtyardHitsTheGround) {
    const ParkWorld world(tiltedPark());
    // Courtyard centre (330, -70): 120 + 16.5 + 2.1 = 138.6 m; roof at 130 + 18 = 148 m.
    const auto yard = dropRay(world, 330, -70);
    ASSERT_TRUE(yard);
    EXPECT_EQ(yard->kind, RayHit::Ground);
    EXPECT_NEAR(yard->point.z, 138.6, 1e-3);

    const auto roof = dropRay(world, 310, -70);
    ASSERT_TRUE(roof);
    EXPECT_EQ(roof->kind, RayHit::Building);
    EXPECT_EQ(roof->index, 3);
    EXPECT_NEAR(roof->point.z, 148, 1e-3);
}

TEST(PhysicsWorld, ObliqueRayMeetsTheTiltedGround) {
    const ParkWorld world(tiltedPark());
    // Ray (0,0,500) + t (100,50,-600). On the plane: 500 - 600 t = 120 + 0.05*100 t - 0.03*50 t
    // = 120 + 3.5 t, so t = 380 / 603.5. Plane normal (-b, -c, 1) / |(-b, -c, 1)|.
    const double t = 380.0 / 603.5;
    const auto hit = world.castRay({0, 0, 500}, {100, 50, -100});
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->kind, RayHit::Ground);
    EXPECT_NEAR(hit->fraction, t, 1e-5);
    EXPECT_NEAR(hit->point.x, 100 * t, 1e-3);
    EXPECT_NEAR(hit->point.y, 50 * t, 1e-3);
    EXPECT_NEAR(hit->point.z, 500 - 600 * t, 1e-3);
    const double n = std::sqrt(kB * kB + kC * kC + 1);
    EXPECT_NEAR(hit->normal.x, -kB / n, 1e-5);
    EXPECT_NEAR(hit->normal.y, -kC / n, 1e-5);
    EXPECT_NEAR(hit->normal.z, 1 / n, 1e-5);
}

TEST(PhysicsWorld, ObliqueRaysThroughGroundNodesAllHitAtOrBeforeTheNode) {
    // Hilly terrain; every ray runs from a viewpoint beyond the south-west corner through a
    // grid node (a point on the surface by construction) and 200 m on. A surface that the
    // ray passes through must stop it, at the node or earlier if a hill is in the way.
    ParkModel park;
    RasterGrid g(-745, -745, 10, 10, 150, 150);
    for (int j = 0; j < g.ny; ++j)
        for (int i = 0; i < g.nx; ++i) {
            const Vec2 p = g.position(i, j);
            g.at(i, j) = 40 + 12 * std::sin(p.x / 180) * std::cos(p.y / 230) +
                         6 * std::sin((p.x + p.y) / 90);
        }
    park.terrain.heights = g;
    const ParkWorld world(park);

    const Vec3 eye{-945, -945, 300};
    int missed = 0, late = 0;
    for (int j = 3; j < g.ny; j += 6)
        for (int i = 3; i < g.nx; i += 6) {
            const Vec3 node{g.position(i, j).x, g.position(i, j).y, g.at(i, j)};
            const Vec3 d{node.x - eye.x, node.y - eye.y, node.z - eye.z};
            const double length_m = std::sqrt(d.x * d.x + d.y * d.y + d.z * d.z);
            const double scale = (length_m + 200) / length_m;
            const auto hit =
                world.castRay(eye, {eye.x + d.x * scale, eye.y + d.y * scale, eye.z + d.z * scale});
            if (!hit)
                ++missed;
            else if (hit->fraction > 1 / scale + 1e-6)
                ++late;
        }
    EXPECT_EQ(missed, 0);
    EXPECT_EQ(late, 0);
}

TEST(PhysicsWorld, StackIsACylinder) {
    const ParkWorld world(tiltedPark());
    // Top at 110 + 60 = 170 m; radius 1.5 m. Bullet solves rays on convex shapes by an
    // iterative cast that stops within millimetres, hence the looser tolerance here.
    const auto top = dropRay(world, -200.9, 0.5);
    ASSERT_TRUE(top);
    EXPECT_EQ(top->kind, RayHit::Stack);
    EXPECT_EQ(top->index, 0);
    EXPECT_NEAR(top->point.z, 170, 5e-3);

    const auto side = world.castRay({-300, 0, 150}, {-100, 0, 150});
    ASSERT_TRUE(side);
    EXPECT_EQ(side->kind, RayHit::Stack);
    EXPECT_NEAR(side->point.x, -201.5, 5e-3);

    const auto miss = dropRay(world, -202, 0);
    ASSERT_TRUE(miss);
    EXPECT_EQ(miss->kind, RayHit::Ground);
}

TEST(PhysicsWorld, SurfaceHeightTakesRoofsOverGround) {
    const ParkWorld world(tiltedPark());
    EXPECT_NEAR(world.surfaceHeight({120, 115}), 147.55, 1e-3);
    EXPECT_NEAR(world.surfaceHeight({160, 115}), 124.55, 1e-3);
    EXPECT_TRUE(std::isnan(world.surfaceHeight({kX0 - 100, 0})));
}

TEST(PhysicsWorld, RayMissingEverythingReturnsNothing) {
    const ParkWorld world(tiltedPark());
    EXPECT_FALSE(world.castRay({0, 0, 500}, {10, 0, 400})); // ends above the ground
    EXPECT_FALSE(world.castRay({0, 0, 200}, {0, 0, 200}));  // zero length
}

TEST(PhysicsWorld, FlatParkIsAPlane) {
    ParkModel park;
    park.terrain.flatElevation_m = 42;
    park.buildings.push_back(building({rectangle(0, 0, 10, 10), {}}, 42, 8));
    const ParkWorld world(park);

    EXPECT_DOUBLE_EQ(world.groundHeight({12345, -6789}), 42);
    const auto hit = world.castRay({30, 30, 100}, {30, 30, 0});
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->kind, RayHit::Ground);
    EXPECT_NEAR(hit->point.z, 42, 1e-4);
    EXPECT_NEAR(world.surfaceHeight({5, 5}), 50, 1e-4);
    EXPECT_NEAR(world.surfaceHeight({-5, 5}), 42, 1e-4);
}

TEST(PhysicsWorld, MissingSamplesGiveNaNNearThemOnly) {
    ParkModel park;
    park.terrain.heights = RasterGrid(0, 0, 10, 10, 5, 5, 20.0);
    park.terrain.heights.at(2, 2) = std::nan("");
    const ParkWorld world(park);
    EXPECT_TRUE(std::isnan(world.groundHeight({20, 20})));
    EXPECT_TRUE(std::isnan(world.groundHeight({15, 25})));
    EXPECT_NEAR(world.groundHeight({5, 5}), 20, 1e-4);
    EXPECT_NEAR(world.groundHeight({35, 35}), 20, 1e-4);
}

TEST(PhysicsWorld, DegenerateBuildingsAreSkipped) {
    ParkModel park = tiltedPark();
    park.buildings.push_back(building({{{0, 0}, {1, 1}}, {}}, 120, 10)); // two vertices
    park.buildings.push_back(building({rectangle(0, 0, 5, 5), {}}, 120, 0)); // no height
    const ParkWorld world(park);
    EXPECT_EQ(world.buildingCount(), 4);
}
