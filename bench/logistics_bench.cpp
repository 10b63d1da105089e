// A park day of 2,000 truck trips: a 12 x 12 grid of 250 m streets (tertiary, 40 km/h, inside
// a primary ring at 60 km/h), four gates at the middle of the sides, 20 docks of 3 bays with
// lognormal 30-minute services, arrivals from 05:00 to 21:00. After the Google Benchmark
// figures, the same network and demand go to SUMO (netconvert + sumo, as installed by Debian's
// `sumo` package) and both wall times are printed with their ratio.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "engine/core/log.h"
#include "engine/logistics/des.h"
#include "engine/logistics/sumo_export.h"

using namespace parktwin;
using namespace parktwin::logistics;

namespace {

constexpr int kGrid = 12;
constexpr double kSpacing_m = 250;
constexpr int kTrips = 2000;

RoadGraph gridGraph() {
    std::vector<RoadLine> roads;
    auto add = [&](Vec2 a, Vec2 b, bool ring) {
        RoadLine r;
        r.id = fmt::format("r{}", roads.size());
        r.highway = ring ? "primary" : "tertiary";
        r.line = {a, b};
        roads.push_back(r);
    };
    for (int j = 0; j < kGrid; ++j)
        for (int i = 0; i < kGrid; ++i) {
            const Vec2 p{i * kSpacing_m, j * kSpacing_m};
            if (i + 1 < kGrid)
                add(p, {p.x + kSpacing_m, p.y}, j == 0 || j == kGrid - 1);
            if (j + 1 < kGrid)
                add(p, {p.x, p.y + kSpacing_m}, i == 0 || i == kGrid - 1);
        }
    return RoadGraph(roads, {});
}

SimConfig dayConfig(const RoadGraph& graph) {
    SimConfig c;
    c.seed = 2026;
    c.backgroundVolumeRatio = 0.3;
    const double edge_m = (kGrid - 1) * kSpacing_m;
    const Vec2 gates[] = {{edge_m / 2, 0}, {edge_m, edge_m / 2}, {edge_m / 2, edge_m},
                          {0, edge_m / 2}};
    // 2,000 arrivals between 05:00 and 21:00, spread over the gates by a seeded draw.
    Rng rng(99);
    std::vector<std::vector<double>> schedules(4);
    for (int k = 0; k < kTrips; ++k)
        schedules[k % 4].push_back(5 * 3600 + rng.uniform() * 16 * 3600);
    for (int g = 0; g < 4; ++g) {
        GateSpec gate;
        gate.id = fmt::format("gate{}", g);
        gate.node = graph.nearestNode(gates[g]);
        gate.lanes = 2;
        gate.checkIn = {Distribution::Kind::Uniform, 60, 0.5};
        gate.schedule_s = schedules[g];
        c.gates.push_back(gate);
    }
    for (int d = 0; d < 20; ++d) {
        DockSpec dock;
        dock.id = fmt::format("dock{}", d);
        const int i = 2 + (d % 5) * 2;
        const int j = 2 + (d / 5) * 2;
        dock.node = graph.nearestNode({i * kSpacing_m, j * kSpacing_m});
        dock.bays = 3;
        dock.service = {Distribution::Kind::Lognormal, 1800, 0.5};
        c.docks.push_back(dock);
    }
    return c;
}

const RoadGraph& graph() {
    static const RoadGraph g = [] {
        log::setLevel(log::Level::Warn);
        return gridGraph();
    }();
    return g;
}

void BM_ParkDay2000Trips(benchmark::State& state) {
    const SimConfig config = dayConfig(graph());
    for (auto _ : state) {
        Simulation sim(graph(), config);
        sim.runToEnd();
        benchmark::DoNotOptimize(sim.kpis().completed);
    }
    state.counters["trips"] = kTrips;
}
BENCHMARK(BM_ParkDay2000Trips)->Unit(benchmark::kMillisecond);

double secondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The same day in ParkTwin and in SUMO, timed here in the same process and machine state.
void compareWithSumo() {
    const SimConfig config = dayConfig(graph());
    auto t0 = std::chrono::steady_clock::now();
    Simulation sim(graph(), config);
    sim.runToEnd();
    const double ours_s = secondsSince(t0);
    const SimKpis k = sim.kpis();
    std::printf("ParkTwin: %d trucks, %d done, %.1f vehicle-km, mean turnaround %.1f min, "
                "wall %.3f s\n",
                k.arrived, k.completed, k.vehicleKm, k.meanTurnaround_s / 60, ours_s);

    if (std::system("command -v sumo >/dev/null 2>&1 && command -v netconvert >/dev/null 2>&1")) {
        std::printf("SUMO: not installed, no ratio\n");
        return;
    }
    const auto dir = std::filesystem::temp_directory_path() / "parktwin_logistics_bench";
    std::filesystem::create_directories(dir);
    writeSumoPlainNetwork(graph(), dir, "grid");
    writeSumoRoutes(sim, dir / "day.rou.xml", 90 / 3.6); // the graph's truck speed cap
    const std::string netconvert = fmt::format(
        "cd '{}' && netconvert --node-files grid.nod.xml --edge-files grid.edg.xml "
        "-o grid.net.xml --no-warnings true >netconvert.log 2>&1",
        dir.string());
    if (std::system(netconvert.c_str())) {
        std::printf("SUMO: netconvert failed, see %s\n", dir.c_str());
        return;
    }
    const std::string sumo = fmt::format(
        "cd '{}' && sumo -n grid.net.xml -r day.rou.xml --no-step-log true --no-warnings true "
        "--statistic-output stats.xml --duration-log.statistics true >sumo.log 2>&1",
        dir.string());
    t0 = std::chrono::steady_clock::now();
    const int rc = std::system(sumo.c_str());
    const double sumo_s = secondsSince(t0);
    if (rc) {
        std::printf("SUMO: sumo failed, see %s/sumo.log\n", dir.c_str());
        return;
    }
    std::printf("SUMO 1.15 on the same network and demand: wall %.3f s (files in %s)\n", sumo_s,
                dir.c_str());
    std::printf("ratio SUMO / ParkTwin: %.0f\n", sumo_s / ours_s);
}

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    compareWithSumo();
    return 0;
}
