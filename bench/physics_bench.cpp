// Ray queries on a park-sized collision world: a 150 x 150 terrain grid at 10 m with 3,000
// box buildings, about the size of a large industrial park.

#include <cmath>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "engine/core/log.h"
#include "engine/physics/park_world.h"

using namespace parktwin;
using namespace parktwin::physics;

namespace {

constexpr int kGrid = 150;
constexpr double kSpacing_m = 10;
constexpr double kHalf_m = (kGrid - 1) * kSpacing_m / 2;
constexpr int kBuildings = 3000;

/// Rolling hills between about 20 and 60 m.
double hills(double x, double y) {
    return 40 + 12 * std::sin(x / 180) * std::cos(y / 230) + 6 * std::sin((x + y) / 90);
}

ParkModel benchPark() {
    ParkModel park;
    park.name = "bench";
    RasterGrid& g = park.terrain.heights;
    g = RasterGrid(-kHalf_m, -kHalf_m, kSpacing_m, kSpacing_m, kGrid, kGrid);
    for (int j = 0; j < kGrid; ++j)
        for (int i = 0; i < kGrid; ++i)
            g.at(i, j) = hills(g.position(i, j).x, g.position(i, j).y);

    // Boxes on a 55 x 55 lattice of 27 m plots, heights 6 to 30 m.
    std::mt19937 random(7);
    std::uniform_real_distribution<double> height(6, 30);
    const int perRow = 55;
    const double plot_m = 2 * kHalf_m / perRow;
    for (int k = 0; k < kBuildings; ++k) {
        const double x = -kHalf_m + (k % perRow + 0.5) * plot_m;
        const double y = -kHalf_m + (k / perRow + 0.5) * plot_m;
        Building b;
        b.footprint.outer = {{x - 8, y - 6}, {x + 8, y - 6}, {x + 8, y + 6}, {x - 8, y + 6}};
        b.baseElevation_m = hills(x, y);
        b.height_m = height(random);
        park.buildings.push_back(std::move(b));
    }
    return park;
}

const ParkWorld& benchWorld() {
    static const ParkWorld world = [] {
        log::setLevel(log::Level::Warn);
        return ParkWorld(benchPark());
    }();
    return world;
}

std::vector<Vec2> randomPoints(int count) {
    std::mt19937 random(11);
    std::uniform_real_distribution<double> coordinate(-kHalf_m, kHalf_m);
    std::vector<Vec2> points(count);
    for (Vec2& p : points)
        p = {coordinate(random), coordinate(random)};
    return points;
}

void BM_BuildWorld(benchmark::State& state) {
    log::setLevel(log::Level::Warn);
    const ParkModel park = benchPark();
    for (auto _ : state) {
        ParkWorld world(park);
        benchmark::DoNotOptimize(world.buildingCount());
    }
}
BENCHMARK(BM_BuildWorld)->Unit(benchmark::kMillisecond);

void BM_GroundHeight(benchmark::State& state) {
    const ParkWorld& world = benchWorld();
    const std::vector<Vec2> points = randomPoints(4096);
    size_t k = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(world.groundHeight(points[k++ & 4095]));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GroundHeight);

void BM_CastRayVertical(benchmark::State& state) {
    const ParkWorld& world = benchWorld();
    const std::vector<Vec2> points = randomPoints(4096);
    size_t k = 0;
    for (auto _ : state) {
        const Vec2 p = points[k++ & 4095];
        benchmark::DoNotOptimize(world.castRay({p.x, p.y, 500}, {p.x, p.y, -100}));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CastRayVertical);

/// Picking rays: from a viewpoint 300 m up beyond the south-west corner, through random
/// ground points of the park and 500 m past them, as a viewer's mouse ray would be.
void BM_CastRayPicking(benchmark::State& state) {
    const ParkWorld& world = benchWorld();
    const std::vector<Vec2> points = randomPoints(4096);
    const Vec3 eye{-kHalf_m - 200, -kHalf_m - 200, 300};
    size_t k = 0;
    int hits = 0;
    for (auto _ : state) {
        const Vec2 p = points[k++ & 4095];
        const Vec3 d{p.x - eye.x, p.y - eye.y, hills(p.x, p.y) - eye.z};
        const double length_m = std::sqrt(d.x * d.x + d.y * d.y + d.z * d.z);
        const double scale = (length_m + 500) / length_m;
        const auto hit =
            world.castRay(eye, {eye.x + d.x * scale, eye.y + d.y * scale, eye.z + d.z * scale});
        hits += hit ? 1 : 0;
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["hitRate"] = static_cast<double>(hits) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_CastRayPicking);

void BM_SurfaceHeight(benchmark::State& state) {
    const ParkWorld& world = benchWorld();
    const std::vector<Vec2> points = randomPoints(4096);
    size_t k = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(world.surfaceHeight(points[k++ & 4095]));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SurfaceHeight);

} // namespace

BENCHMARK_MAIN();
