// Throughput of the volume, area, road and puff models on a 100 x 100 receptor grid over 24
// hours of varied weather, each printed as source-receptor-hours (puff-receptor samples for
// the puff model) per second and as a ratio to the point-source plume run in the same process
// on the same grid and hours, so the machine's noise cancels out of the ratio.

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "engine/dispersion/plume.h"
#include "engine/dispersion/puff.h"
#include "engine/dispersion/volume_area.h"

using namespace parktwin;
using namespace parktwin::dispersion;

namespace {

std::vector<Receptor> grid(int n, double spacing_m) {
    std::vector<Receptor> out;
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) {
            const double x = -0.5 * n * spacing_m + spacing_m * i;
            const double y = -0.5 * n * spacing_m + spacing_m * j;
            out.push_back(Receptor{{x, y}, 20.0 + 10.0 * std::sin(x / 900.0), 1.5});
        }
    return out;
}

std::vector<MetHour> day() {
    std::vector<MetHour> out;
    for (int h = 0; h < 24; ++h) {
        MetHour m;
        m.windSpeed_ms = 1.5 + 0.25 * (h % 9);
        m.windFromDir_deg = 15.0 * h;
        m.stability = Stability(1 + (h * 5) % 6);
        m.mixingHeight_m = 320.0 * m.windSpeed_ms + 300.0;
        out.push_back(m);
    }
    return out;
}

void setItems(benchmark::State& state, std::size_t sources, std::size_t receptors,
              std::size_t hours) {
    state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(sources) * int64_t(receptors) *
                            int64_t(hours));
}

template <class Source, class AddHour>
void runHours(benchmark::State& state, const std::vector<Source>& sources,
              const std::vector<Receptor>& receptors, AddHour addHour) {
    const auto hours = day();
    std::vector<double> out(receptors.size(), 0.0);
    for (auto _ : state) {
        for (const MetHour& met : hours)
            addHour(std::span<const Source>(sources), met, std::span<const Receptor>(receptors),
                    PlumeOptions{}, std::span<double>(out));
        benchmark::DoNotOptimize(out.data());
    }
    setItems(state, sources.size(), receptors.size(), hours.size());
}

void BM_PointReference(benchmark::State& state) {
    std::vector<PointSource> sources;
    for (int i = 0; i < 10; ++i) {
        PointSource s;
        s.position = {-400.0 + 90.0 * i, 0.0};
        s.baseElevation_m = 20.0;
        s.height_m = 5.0;
        s.diameter_m = 0.5;
        s.exitTemperature_K = 293.15; // passive, as the volumes are
        s.emissionRate_gs = 1.0;
        sources.push_back(s);
    }
    runHours(state, sources, grid(100, 100.0), addHourConcentrations);
}

void BM_VolumeSources(benchmark::State& state) {
    std::vector<VolumeSource> sources;
    for (int i = 0; i < 10; ++i) {
        VolumeSource v;
        v.position = {-400.0 + 90.0 * i, 0.0};
        v.baseElevation_m = 20.0;
        v.releaseHeight_m = 5.0;
        v.initialSigmaY_m = 5.0;
        v.initialSigmaZ_m = 2.0; // rural: the vertical virtual distance per receptor
        v.emissionRate_gs = 1.0;
        sources.push_back(v);
    }
    runHours(state, sources, grid(100, 100.0), addVolumeHour);
}

void BM_AreaSources(benchmark::State& state) {
    std::vector<AreaSource> sources;
    for (int i = 0; i < 10; ++i) {
        AreaSource a;
        a.corner = {-400.0 + 90.0 * i, -25.0};
        a.baseElevation_m = 20.0;
        a.xLength_m = 50.0;
        a.yLength_m = 50.0;
        a.angle_deg = 10.0 * i;
        a.emissionRate_gsm2 = 1e-4;
        sources.push_back(a);
    }
    runHours(state, sources, grid(100, 100.0), addAreaHour);
}

void BM_PuffSamples(benchmark::State& state) {
    // A 2 h release, a puff every 10 s (720 puffs), sampled every 5 min over 3 h.
    const auto hours = day();
    std::vector<MetHour> met(hours.begin(), hours.begin() + 4);
    const UtcTime t0{};
    for (std::size_t h = 0; h < met.size(); ++h)
        met[h].start = t0 + std::chrono::hours(h);
    PuffRelease leak;
    leak.releaseHeight_m = 5.0;
    leak.emissionRate_gs = 10.0;
    leak.start = t0;
    leak.stop = t0 + std::chrono::hours(2);
    const auto receptors = grid(100, 100.0);
    std::size_t samples = 0;
    for (auto _ : state) {
        const auto result =
            runPuffModel(std::span(&leak, 1), met, receptors, t0 + std::chrono::minutes(5),
                         t0 + std::chrono::hours(3), std::chrono::minutes(5), {});
        samples = result.times.size();
        benchmark::DoNotOptimize(result.values_ugm3.data());
    }
    // Items: puff-receptor pairs looked at (all 720 puffs once the release has ended).
    setItems(state, 720, receptors.size(), samples);
}

/// Keeps each run's items per second so main() can print the ratios to the reference.
class RatioReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        for (const Run& run : runs)
            if (const auto it = run.counters.find("items_per_second"); it != run.counters.end())
                rates[run.benchmark_name()] = it->second.value;
        ConsoleReporter::ReportRuns(runs);
    }
    std::map<std::string, double> rates;
};

} // namespace

BENCHMARK(BM_PointReference)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_VolumeSources)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AreaSources)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PuffSamples)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    const auto reference = reporter.rates.find("BM_PointReference");
    if (reference == reporter.rates.end())
        return 0;
    for (const auto& [name, rate] : reporter.rates)
        std::printf("%-20s %10.3g items/s  %6.3f x the point-source plume\n", name.c_str(), rate,
                    rate / reference->second);
    return 0;
}
