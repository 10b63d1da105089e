// Non-negative least squares against published and hand-checked answers, and source attribution
// on a synthetic incident record.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cmath>
#include <random>
#include <vector>

#include "engine/core/error.h"
#include "engine/dispersion/puff.h"
#include "engine/sensors/attribution.h"
#include "engine/sensors/nnls.h"

using namespace parktwin;
using namespace parktwin::sensors;

namespace {

ColumnMatrix matrixFromRows(const std::vector<std::vector<double>>& rows) {
    ColumnMatrix a(rows.size(), rows.front().size());
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (std::size_t c = 0; c < rows[r].size(); ++c)
            a(r, c) = rows[r][c];
    return a;
}

/// Uniform number in [lo, hi) from the raw generator, so the record is the same with every
/// standard library.
double uniform(std::mt19937_64& rng, double lo, double hi) {
    return lo + (hi - lo) * (double(rng() >> 11) * 0x1.0p-53);
}

} // namespace

TEST(Nnls, ExactNonNegativeSolutionIsRecovered) {
    // b = A [2, 3]ᵀ, so the unconstrained and constrained solutions coincide.
    const ColumnMatrix a = matrixFromRows({{1, 0}, {0, 1}, {1, 1}});
    const NnlsResult r = solveNnls(a, {2, 3, 5});
    ASSERT_EQ(r.x.size(), 2u);
    EXPECT_NEAR(r.x[0], 2.0, 1e-12);
    EXPECT_NEAR(r.x[1], 3.0, 1e-12);
    EXPECT_NEAR(r.residualNorm2, 0.0, 1e-20);
    EXPECT_TRUE(r.converged);
}

TEST(Nnls, NegativeComponentIsClampedToZero) {
    // Identity system with b = (-1, 2): the constrained optimum is (0, 2), residual 1.
    const ColumnMatrix a = matrixFromRows({{1, 0}, {0, 1}});
    const NnlsResult r = solveNnls(a, {-1, 2});
    EXPECT_EQ(r.x[0], 0.0);
    EXPECT_NEAR(r.x[1], 2.0, 1e-12);
    EXPECT_NEAR(r.residualNorm2, 1.0, 1e-12);
}

TEST(Nnls, MatlabLsqnonnegDocumentationExample) {
    // The example of MATLAB's lsqnonneg documentation: the unconstrained least-squares solution
    // is (-2.5627, 3.1108); the non-negative one is (0, 0.6929). By hand: with column 1 out,
    // x2 = (c2 · d) / (c2 · c2) = 0.93753 / 1.35299 = 0.69293.
    const ColumnMatrix a = matrixFromRows(
        {{0.0372, 0.2869}, {0.6861, 0.7071}, {0.6233, 0.6245}, {0.6344, 0.6170}});
    const NnlsResult r = solveNnls(a, {0.8587, 0.1781, 0.0747, 0.8405});
    EXPECT_EQ(r.x[0], 0.0);
    EXPECT_NEAR(r.x[1], 0.6929, 5e-5);
}

TEST(Nnls, RandomProblemsMeetTheOptimalityConditions) {
    // Karush-Kuhn-Tucker conditions of min |Ax - b|², x >= 0, with w = Aᵀ(b - Ax):
    // x_j > 0 implies w_j = 0, and x_j = 0 implies w_j <= 0.
    std::mt19937_64 rng(42);
    for (int trial = 0; trial < 50; ++trial) {
        const std::size_t m = 8 + trial % 20, n = 2 + trial % 7;
        ColumnMatrix a(m, n);
        std::vector<double> b(m);
        for (std::size_t i = 0; i < m; ++i) {
            for (std::size_t j = 0; j < n; ++j)
                a(i, j) = uniform(rng, 0.0, 1.0);
            b[i] = uniform(rng, -1.0, 2.0);
        }
        const NnlsResult r = solveNnls(a, b);
        ASSERT_TRUE(r.converged);
        for (std::size_t j = 0; j < n; ++j) {
            double w = 0;
            for (std::size_t i = 0; i < m; ++i) {
                double ri = b[i];
                for (std::size_t c = 0; c < n; ++c)
                    ri -= a(i, c) * r.x[c];
                w += a(i, j) * ri;
            }
            ASSERT_GE(r.x[j], 0.0);
            if (r.x[j] > 0)
                EXPECT_NEAR(w, 0.0, 1e-9) << "trial " << trial << " column " << j;
            else
                EXPECT_LE(w, 1e-9) << "trial " << trial << " column " << j;
        }
    }
}

TEST(Nnls, MismatchedSizesAndNaNAreErrors) {
    const ColumnMatrix a = matrixFromRows({{1, 0}, {0, 1}});
    EXPECT_THROW(solveNnls(a, {1, 2, 3}), Error);
    EXPECT_THROW(solveNnls(a, {1, std::nan("")}), Error);
}

TEST(Attribution, MalformedProblemsAreErrors) {
    AttributionProblem p;
    EXPECT_THROW(attributeSources(p), Error); // no readings
    p.sourceIds = {"a"};
    p.samples = {{0, {}, 1.0}};
    p.unitModel = {{1.0, 2.0}};
    EXPECT_THROW(attributeSources(p), Error); // two modelled values for one reading
    p.unitModel = {{-1.0}};
    EXPECT_THROW(attributeSources(p), Error); // negative model value
}

TEST(Attribution, PuffRecordOfTwoSourcesRanksTheLargerFirst) {
    // Two low, non-buoyant releases of the same height 1.2 km apart, six sensors around them, a day
    // of veering wind. The record comes from the puff model (40 g/s and 12 g/s, sampled every 15
    // minutes) plus a 15 µg/m³ background, each reading multiplied by an independent factor in
    // [0.7, 1.3). The attribution explains it with unit-emission puffs released every minute
    // and sampled every 5 minutes, interpolated to the reading times.
    const double trueRate_gs[2] = {40.0, 12.0};
    const double background_ugm3 = 15.0;
    const Vec2 sites[2] = {{0, 0}, {1200, 300}};
    const double height_m[2] = {25, 25};

    std::vector<dispersion::Receptor> sensors;
    for (Vec2 p : {Vec2{1500, -200}, Vec2{-800, 900}, Vec2{600, 2200}, Vec2{2600, 1500},
                   Vec2{-1500, -1200}, Vec2{300, -2000}})
        sensors.push_back({p, 0, 2});

    MetSeries met;
    const UtcTime start = UtcTime{} + std::chrono::hours(24 * 365 * 50);
    for (int h = 0; h < 26; ++h) {
        MetHour hour;
        hour.start = start + std::chrono::hours(h);
        hour.windSpeed_ms = 2.0 + 0.15 * h;
        hour.windFromDir_deg = std::fmod(15.0 * h, 360.0);
        hour.stability = h < 6 || h > 19 ? Stability::E : Stability::C;
        hour.mixingHeight_m = 900;
        met.hours.push_back(hour);
    }

    std::vector<dispersion::PuffRelease> releases(2);
    for (int s = 0; s < 2; ++s) {
        releases[std::size_t(s)] = {s == 0 ? "big" : "small", sites[s], 0, height_m[s], 0, 0,
                                    trueRate_gs[s], start, start + std::chrono::hours(26)};
    }
    dispersion::PuffOptions puffOptions;
    puffOptions.releaseInterval_s = 20;
    const UtcTime first = start + std::chrono::hours(2); // puffs have reached every sensor
    const UtcTime last = start + std::chrono::hours(25);
    const dispersion::PuffSamples record = dispersion::runPuffModel(
        releases, met.hours, sensors, first, last, std::chrono::minutes(15), puffOptions);

    AttributionProblem p;
    p.sourceIds = {"big", "small"};
    std::mt19937_64 rng(2026);
    for (std::size_t t = 0; t < record.times.size(); ++t)
        for (std::size_t s = 0; s < sensors.size(); ++s)
            p.samples.push_back({s, record.times[t],
                                 (background_ugm3 + record.value(t, s)) * uniform(rng, 0.7, 1.3)});

    dispersion::PuffOptions modelOptions;
    modelOptions.releaseInterval_s = 60;
    p.unitModel = puffUnitContributions(releases, met.hours, sensors, p.samples, modelOptions);

    const Attribution a = attributeSources(p);
    ASSERT_EQ(a.ranked.size(), 2u);
    EXPECT_EQ(a.ranked[0].sourceId, "big");
    EXPECT_GT(a.ranked[0].score, a.ranked[1].score);
    for (const SourceAttribution& s : a.ranked) {
        const double truth = s.sourceId == "big" ? trueRate_gs[0] : trueRate_gs[1];
        EXPECT_GT(s.rate_gs, truth / 2) << s.sourceId;
        EXPECT_LT(s.rate_gs, truth * 2) << s.sourceId;
    }
    EXPECT_GT(a.background_ugm3, background_ugm3 / 2);
    EXPECT_LT(a.background_ugm3, background_ugm3 * 2);
    const SourceAttribution& big = a.ranked[0].sourceId == "big" ? a.ranked[0] : a.ranked[1];
    const SourceAttribution& small = a.ranked[0].sourceId == "big" ? a.ranked[1] : a.ranked[0];
    std::printf("attribution: big %.1f g/s (true 40, score %.2f), small %.1f g/s (true 12, "
                "score %.2f), background %.1f µg/m³ (true 15), R² %.2f over %zu readings\n",
                big.rate_gs, big.score, small.rate_gs, small.score, a.background_ugm3, a.r2,
                a.samples);
}

TEST(Attribution, HourlyPlumeRecordRanksTheLargerSourceFirst) {
    // Two stacks 1.2 km apart, six sensors around them, a day of veering wind. The record is
    // the plume model's concentrations for 40 g/s and 12 g/s plus a 15 µg/m³ background, each
    // reading multiplied by an independent factor in [0.7, 1.3).
    std::vector<dispersion::PointSource> stacks(2);
    stacks[0] = {"big", {0, 0}, 0, 30, 1.5, 8, 380, 0, {}};
    stacks[1] = {"small", {1200, 300}, 0, 20, 1.0, 6, 360, 0, {}};
    const double trueRate_gs[2] = {40.0, 12.0};
    const double background_ugm3 = 15.0;

    std::vector<dispersion::Receptor> sensors;
    for (Vec2 p : {Vec2{1500, -200}, Vec2{-800, 900}, Vec2{600, 2200}, Vec2{2600, 1500},
                   Vec2{-1500, -1200}, Vec2{300, -2000}})
        sensors.push_back({p, 0, 2});

    MetSeries met;
    const UtcTime start = UtcTime{} + std::chrono::hours(24 * 365 * 50);
    for (int h = 0; h < 24; ++h) {
        MetHour hour;
        hour.start = start + std::chrono::hours(h);
        hour.windSpeed_ms = 2.0 + 0.15 * h;
        hour.windFromDir_deg = std::fmod(15.0 * h, 360.0);
        hour.stability = h < 6 || h > 19 ? Stability::E : Stability::C;
        hour.mixingHeight_m = 900;
        met.hours.push_back(hour);
    }

    AttributionProblem p;
    p.sourceIds = {"big", "small"};
    for (int h = 0; h < 24; ++h)
        for (std::size_t s = 0; s < sensors.size(); ++s)
            for (int minute : {10, 40})
                p.samples.push_back(
                    {s, met.hours[std::size_t(h)].start + std::chrono::minutes(minute), 0.0});
    const dispersion::PlumeOptions options;
    std::size_t withoutMet = 99;
    p.unitModel = plumeUnitContributions(stacks, met, sensors, p.samples, options, &withoutMet);
    EXPECT_EQ(withoutMet, 0u);

    std::mt19937_64 rng(2026);
    for (std::size_t k = 0; k < p.samples.size(); ++k) {
        const double clean = background_ugm3 + trueRate_gs[0] * p.unitModel[0][k] +
                             trueRate_gs[1] * p.unitModel[1][k];
        p.samples[k].observed_ugm3 = clean * uniform(rng, 0.7, 1.3);
    }

    const Attribution a = attributeSources(p);
    ASSERT_EQ(a.ranked.size(), 2u);
    EXPECT_EQ(a.ranked[0].sourceId, "big");
    EXPECT_GT(a.ranked[0].score, a.ranked[1].score);
    for (const SourceAttribution& s : a.ranked) {
        const double truth = s.sourceId == "big" ? trueRate_gs[0] : trueRate_gs[1];
        EXPECT_GT(s.rate_gs, truth / 2) << s.sourceId;
        EXPECT_LT(s.rate_gs, truth * 2) << s.sourceId;
    }
    EXPECT_GT(a.background_ugm3, background_ugm3 / 2);
    EXPECT_LT(a.background_ugm3, background_ugm3 * 2);
    std::printf("attribution: big %.1f g/s (true 40), small %.1f g/s (true 12), background "
                "%.1f µg/m³ (true 15), R² %.2f over %zu readings\n",
                a.ranked[0].sourceId == "big" ? a.ranked[0].rate_gs : a.ranked[1].rate_gs,
                a.ranked[0].sourceId == "big" ? a.ranked[1].rate_gs : a.ranked[0].rate_gs,
                a.background_ugm3, a.r2, a.samples);
}
