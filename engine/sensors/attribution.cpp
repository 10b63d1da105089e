#include "engine/sensors/attribution.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <string>

#include "engine/core/error.h"
#include "engine/sensors/nnls.h"

namespace parktwin::sensors {
namespace {

struct Fit {
    std::vector<double> x; ///< one per column
    double residual2 = 0;
};

/// NNLS over the given source columns, plus a background column of ones when asked.
Fit fitColumns(const AttributionProblem& p, const std::vector<std::size_t>& sources,
               const std::vector<double>& target) {
    const std::size_t m = target.size();
    const std::size_t cols = sources.size() + (p.fitBackground ? 1 : 0);
    ColumnMatrix a(m, cols);
    for (std::size_t j = 0; j < sources.size(); ++j)
        for (std::size_t k = 0; k < m; ++k)
            a(k, j) = p.unitModel[sources[j]][k];
    if (p.fitBackground)
        for (std::size_t k = 0; k < m; ++k)
            a(k, cols - 1) = 1.0;
    const NnlsResult r = solveNnls(a, target);
    return {r.x, r.residualNorm2};
}

void checkProblem(const AttributionProblem& p) {
    if (p.samples.empty())
        throw Error("attribution: no readings to explain");
    if (p.sourceIds.empty())
        throw Error("attribution: no sources to rank");
    if (p.unitModel.size() != p.sourceIds.size())
        throw Error("attribution: " + std::to_string(p.unitModel.size()) +
                    " modelled columns for " + std::to_string(p.sourceIds.size()) + " sources");
    for (std::size_t s = 0; s < p.unitModel.size(); ++s) {
        if (p.unitModel[s].size() != p.samples.size())
            throw Error("attribution: source " + p.sourceIds[s] + " has " +
                        std::to_string(p.unitModel[s].size()) + " modelled values for " +
                        std::to_string(p.samples.size()) + " readings");
        for (double v : p.unitModel[s])
            if (!std::isfinite(v) || v < 0)
                throw Error("attribution: source " + p.sourceIds[s] +
                            " has a modelled value that is negative or not a number");
    }
    for (const AttributionSample& s : p.samples)
        if (!std::isfinite(s.observed_ugm3))
            throw Error("attribution: a reading is not a number");
}

} // namespace

Attribution attributeSources(const AttributionProblem& problem) {
    checkProblem(problem);
    const std::size_t m = problem.samples.size();
    const std::size_t n = problem.sourceIds.size();

    std::vector<double> target(m);
    for (std::size_t k = 0; k < m; ++k)
        target[k] = problem.samples[k].observed_ugm3;
    const double mean = std::accumulate(target.begin(), target.end(), 0.0) / double(m);
    double total2 = 0.0;
    for (double v : target)
        total2 += (v - mean) * (v - mean);

    std::vector<std::size_t> all(n);
    std::iota(all.begin(), all.end(), 0);
    const Fit full = fitColumns(problem, all, target);

    Attribution out;
    out.samples = m;
    out.background_ugm3 = problem.fitBackground ? full.x.back() : 0.0;
    out.r2 = total2 > 0 ? 1.0 - full.residual2 / total2 : 0.0;

    std::vector<double> signal(n, 0.0);
    for (std::size_t s = 0; s < n; ++s)
        for (std::size_t k = 0; k < m; ++k)
            signal[s] += full.x[s] * problem.unitModel[s][k];
    const double signalSum = std::accumulate(signal.begin(), signal.end(), 0.0);

    for (std::size_t s = 0; s < n; ++s) {
        SourceAttribution a;
        a.sourceId = problem.sourceIds[s];
        a.rate_gs = full.x[s];
        a.share = signalSum > 0 ? signal[s] / signalSum : 0.0;
        if (a.rate_gs > 0 && total2 > 0) {
            std::vector<std::size_t> others;
            for (std::size_t o = 0; o < n; ++o)
                if (o != s)
                    others.push_back(o);
            const double residualWithout =
                others.empty() && !problem.fitBackground
                    ? std::inner_product(target.begin(), target.end(), target.begin(), 0.0)
                    : (others.empty() ? total2 : fitColumns(problem, others, target).residual2);
            a.score = std::clamp((residualWithout - full.residual2) / total2, 0.0, 1.0);
        }
        out.ranked.push_back(a);
    }
    std::stable_sort(out.ranked.begin(), out.ranked.end(),
                     [](const SourceAttribution& l, const SourceAttribution& r) {
                         return l.share > r.share;
                     });
    return out;
}

std::vector<std::vector<double>>
plumeUnitContributions(std::span<const dispersion::PointSource> sources, const MetSeries& met,
                       std::span<const dispersion::Receptor> sensors,
                       std::span<const AttributionSample> samples,
                       const dispersion::PlumeOptions& options, std::size_t* samplesWithoutMet) {
    std::vector<std::vector<double>> columns(sources.size(),
                                             std::vector<double>(samples.size(), 0.0));
    if (samplesWithoutMet)
        *samplesWithoutMet = 0;

    // Group the samples by met hour, so each hour's plume is computed once for all sensors.
    std::map<std::size_t, std::vector<std::size_t>> byHour;
    for (std::size_t k = 0; k < samples.size(); ++k) {
        if (samples[k].sensor >= sensors.size())
            throw Error("attribution: a reading refers to sensor " +
                        std::to_string(samples[k].sensor) + " of " +
                        std::to_string(sensors.size()));
        const auto it = std::upper_bound(
            met.hours.begin(), met.hours.end(), samples[k].time,
            [](UtcTime t, const MetHour& h) { return t < h.start; });
        if (it == met.hours.begin() ||
            samples[k].time >= std::prev(it)->start + std::chrono::hours(1)) {
            if (samplesWithoutMet)
                ++*samplesWithoutMet;
            continue;
        }
        byHour[static_cast<std::size_t>(std::prev(it) - met.hours.begin())].push_back(k);
    }

    std::vector<double> conc(sensors.size());
    for (const auto& [hour, ks] : byHour) {
        for (std::size_t s = 0; s < sources.size(); ++s) {
            dispersion::PointSource unit = sources[s];
            unit.emissionRate_gs = 1.0;
            std::fill(conc.begin(), conc.end(), 0.0);
            dispersion::addHourConcentrations(std::span(&unit, 1), met.hours[hour], sensors,
                                              options, conc);
            for (std::size_t k : ks)
                columns[s][k] = conc[samples[k].sensor];
        }
    }
    return columns;
}

std::vector<std::vector<double>>
puffUnitContributions(std::span<const dispersion::PuffRelease> releases,
                      std::span<const MetHour> met, std::span<const dispersion::Receptor> sensors,
                      std::span<const AttributionSample> samples,
                      const dispersion::PuffOptions& options, std::chrono::seconds step) {
    std::vector<std::vector<double>> columns(releases.size(),
                                             std::vector<double>(samples.size(), 0.0));
    if (samples.empty() || releases.empty())
        return columns;
    if (step.count() <= 0)
        throw Error("attribution: the puff sampling step must be positive");
    for (const AttributionSample& s : samples)
        if (s.sensor >= sensors.size())
            throw Error("attribution: a reading refers to sensor " + std::to_string(s.sensor) +
                        " of " + std::to_string(sensors.size()));

    const auto [lo, hi] = std::minmax_element(
        samples.begin(), samples.end(),
        [](const AttributionSample& a, const AttributionSample& b) { return a.time < b.time; });
    const UtcTime first = lo->time;
    const auto steps = (hi->time - first + step - std::chrono::seconds(1)) / step;
    const UtcTime last = first + steps * step;

    for (std::size_t r = 0; r < releases.size(); ++r) {
        dispersion::PuffRelease unit = releases[r];
        unit.emissionRate_gs = 1.0;
        const dispersion::PuffSamples run =
            dispersion::runPuffModel(std::span(&unit, 1), met, sensors, first, last, step, options);
        for (std::size_t k = 0; k < samples.size(); ++k) {
            const double offset_s =
                std::chrono::duration<double>(samples[k].time - first).count();
            const double where = offset_s / double(step.count());
            const std::size_t i0 = std::min(static_cast<std::size_t>(where), run.times.size() - 1);
            const std::size_t i1 = std::min(i0 + 1, run.times.size() - 1);
            const double f = where - double(i0);
            columns[r][k] = (1.0 - f) * run.value(i0, samples[k].sensor) +
                            f * run.value(i1, samples[k].sensor);
        }
    }
    return columns;
}

} // namespace parktwin::sensors
