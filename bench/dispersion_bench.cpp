// Throughput of the point-source plume: source-receptor-hours per second for 10 stacks and
// a 100 x 100 receptor grid (10,000 receptors) with varied terrain, over 24 hours of varied
// wind, stability and mixing height; plume rise, stack-tip downwash and terrain on.

#include <cmath>
#include <vector>

#include <benchmark/benchmark.h>

#include "engine/dispersion/plume.h"

using namespace parktwin;
using namespace parktwin::dispersion;

namespace {

std::vector<PointSource> stacks() {
    std::vector<PointSource> out;
    for (int i = 0; i < 10; ++i) {
        PointSource s;
        s.id = std::to_string(i).insert(0, 1, 'S'); // not operator+: GCC 12's -Wrestrict misfires
        s.position = {-400.0 + 90.0 * i, -300.0 + 60.0 * (i % 4)};
        s.baseElevation_m = 20.0 + 3.0 * i;
        s.height_m = 30.0 + 8.0 * i;
        s.diameter_m = 1.0 + 0.2 * i;
        s.exitVelocity_ms = 6.0 + 1.5 * i; // the slower ones get stack-tip downwash
        s.exitTemperature_K = 350.0 + 12.0 * i;
        s.emissionRate_gs = 5.0 + i;
        out.push_back(s);
    }
    return out;
}

std::vector<Receptor> grid() {
    std::vector<Receptor> out;
    for (int j = 0; j < 100; ++j)
        for (int i = 0; i < 100; ++i) {
            const double x = -5000.0 + 100.0 * i, y = -5000.0 + 100.0 * j;
            // Rolling terrain up to ~60 m, partly above some stack bases and tops.
            const double z = 30.0 + 30.0 * std::sin(x / 1300.0) * std::cos(y / 1700.0);
            out.push_back(Receptor{{x, y}, z, 1.5});
        }
    return out;
}

std::vector<MetHour> day() {
    std::vector<MetHour> out;
    const Stability classes[24] = {
        Stability::F, Stability::F, Stability::F, Stability::E, Stability::E, Stability::D,
        Stability::D, Stability::C, Stability::B, Stability::B, Stability::A, Stability::A,
        Stability::A, Stability::B, Stability::B, Stability::C, Stability::C, Stability::D,
        Stability::D, Stability::E, Stability::E, Stability::F, Stability::F, Stability::F};
    for (int h = 0; h < 24; ++h) {
        MetHour m;
        m.windSpeed_ms = 1.5 + 0.25 * (h % 9);
        m.windFromDir_deg = 15.0 * h;
        m.temperature_K = 288.0 + 0.5 * h;
        m.stability = classes[h];
        m.mixingHeight_m = 320.0 * m.windSpeed_ms + 300.0;
        out.push_back(m);
    }
    return out;
}

void BM_PlumeSourceReceptorHours(benchmark::State& state) {
    const auto sources = stacks();
    const auto receptors = grid();
    const auto hours = day();
    PlumeOptions options;
    options.landUse = state.range(0) ? LandUse::Urban : LandUse::Rural;
    options.stackTipDownwash = true;
    options.terrain = true;
    std::vector<double> out(receptors.size(), 0.0);
    for (auto _ : state) {
        for (const MetHour& met : hours)
            addHourConcentrations(sources, met, receptors, options, out);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(sources.size()) *
                            int64_t(receptors.size()) * int64_t(hours.size()));
    state.SetLabel(options.landUse == LandUse::Urban ? "urban" : "rural");
}

} // namespace

BENCHMARK(BM_PlumeSourceReceptorHours)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
