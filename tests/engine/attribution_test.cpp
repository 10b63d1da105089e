// Non-negative least squares against published and hand-checked answers, and source attribution
// on a synthetic incident record.

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <random>
#include <vector>

#include "engine/core/error.h"
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
