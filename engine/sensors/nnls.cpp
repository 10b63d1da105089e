// Lawson and Hanson's active-set NNLS (Solving Least Squares Problems, 1974, chapter 23). The
// unconstrained subproblems on the passive set are solved by Householder QR, which stays
// accurate when two sources' footprints at the sensors are nearly alike.

#include "engine/sensors/nnls.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "engine/core/error.h"

namespace parktwin::sensors {
namespace {

/// Least squares on the columns `cols` of A: returns z minimising |A_cols z - b|². A column
/// that is numerically dependent on earlier ones gets z = 0.
std::vector<double> leastSquaresOnColumns(const ColumnMatrix& a, const std::vector<double>& b,
                                          const std::vector<std::size_t>& cols) {
    const std::size_t m = a.rows();
    const std::size_t k = cols.size();
    std::vector<double> q(m * k); // working copy, column-major
    for (std::size_t j = 0; j < k; ++j)
        std::copy_n(a.column(cols[j]), m, q.begin() + static_cast<std::ptrdiff_t>(j * m));
    std::vector<double> rhs = b;
    std::vector<double> diag(k, 0.0);

    // Householder reflections: column j is reduced below row j, and rhs follows.
    for (std::size_t j = 0; j < k && j < m; ++j) {
        double* col = q.data() + j * m;
        double norm = 0.0;
        for (std::size_t i = j; i < m; ++i)
            norm += col[i] * col[i];
        norm = std::sqrt(norm);
        if (norm == 0.0)
            continue;
        const double alpha = col[j] > 0 ? -norm : norm;
        col[j] -= alpha; // v = x - alpha e1, stored in place
        double vnorm2 = 0.0;
        for (std::size_t i = j; i < m; ++i)
            vnorm2 += col[i] * col[i];
        diag[j] = alpha;
        if (vnorm2 == 0.0)
            continue;
        auto reflect = [&](double* y) {
            double dot = 0.0;
            for (std::size_t i = j; i < m; ++i)
                dot += col[i] * y[i];
            const double f = 2.0 * dot / vnorm2;
            for (std::size_t i = j; i < m; ++i)
                y[i] -= f * col[i];
        };
        for (std::size_t c = j + 1; c < k; ++c)
            reflect(q.data() + c * m);
        reflect(rhs.data());
    }

    // Back substitution on R (diagonal in diag, above-diagonal entries in q).
    double maxDiag = 0.0;
    for (double d : diag)
        maxDiag = std::max(maxDiag, std::abs(d));
    const double rankTol = maxDiag * 1e-12 * static_cast<double>(std::max(m, k));
    std::vector<double> z(k, 0.0);
    for (std::size_t jj = std::min(k, m); jj-- > 0;) {
        if (std::abs(diag[jj]) <= rankTol)
            continue;
        double s = rhs[jj];
        for (std::size_t c = jj + 1; c < k; ++c)
            s -= q[c * m + jj] * z[c];
        z[jj] = s / diag[jj];
    }
    return z;
}

std::vector<double> residual(const ColumnMatrix& a, const std::vector<double>& b,
                             const std::vector<double>& x) {
    std::vector<double> r = b;
    for (std::size_t c = 0; c < a.cols(); ++c) {
        if (x[c] == 0.0)
            continue;
        const double* col = a.column(c);
        for (std::size_t i = 0; i < a.rows(); ++i)
            r[i] -= col[i] * x[c];
    }
    return r;
}

} // namespace

NnlsResult solveNnls(const ColumnMatrix& a, const std::vector<double>& b) {
    const std::size_t m = a.rows();
    const std::size_t n = a.cols();
    if (b.size() != m)
        throw Error("NNLS: " + std::to_string(b.size()) + " observations for a matrix of " +
                    std::to_string(m) + " rows");
    double norm1 = 0.0; // largest column sum, for the tolerance below
    for (std::size_t c = 0; c < n; ++c) {
        double sum = 0.0;
        for (std::size_t i = 0; i < m; ++i) {
            if (!std::isfinite(a(i, c)))
                throw Error("NNLS: non-finite model value in column " + std::to_string(c));
            sum += std::abs(a(i, c));
        }
        norm1 = std::max(norm1, sum);
    }
    for (double v : b)
        if (!std::isfinite(v))
            throw Error("NNLS: non-finite observation");

    // The stopping tolerance of Lawson and Hanson's implementation as MATLAB's lsqnonneg
    // also uses it: 10 eps |A|_1 max(m, n).
    const double tol =
        10.0 * std::numeric_limits<double>::epsilon() * norm1 * static_cast<double>(std::max(m, n));

    NnlsResult result;
    result.x.assign(n, 0.0);
    std::vector<bool> passive(n, false);
    const int maxIterations = static_cast<int>(3 * n + 30);

    std::vector<double> r = b;
    while (true) {
        // Gradient of -|r|²/2: w = Aᵀ r. Enter the most promising inactive column.
        std::size_t enter = n;
        double best = tol;
        for (std::size_t c = 0; c < n; ++c) {
            if (passive[c])
                continue;
            const double* col = a.column(c);
            double w = 0.0;
            for (std::size_t i = 0; i < m; ++i)
                w += col[i] * r[i];
            if (w > best) {
                best = w;
                enter = c;
            }
        }
        if (enter == n)
            break;
        if (++result.iterations > maxIterations) {
            result.converged = false;
            break;
        }
        passive[enter] = true;

        // Inner loop: step towards the unconstrained solution on the passive set, dropping
        // columns that would turn negative.
        while (true) {
            std::vector<std::size_t> cols;
            for (std::size_t c = 0; c < n; ++c)
                if (passive[c])
                    cols.push_back(c);
            const std::vector<double> z = leastSquaresOnColumns(a, b, cols);

            bool allPositive = true;
            double alpha = 1.0;
            for (std::size_t j = 0; j < cols.size(); ++j) {
                if (z[j] <= 0.0) {
                    allPositive = false;
                    const double xj = result.x[cols[j]];
                    if (xj - z[j] > 0.0)
                        alpha = std::min(alpha, xj / (xj - z[j]));
                }
            }
            if (allPositive) {
                for (std::size_t c = 0; c < n; ++c)
                    result.x[c] = 0.0;
                for (std::size_t j = 0; j < cols.size(); ++j)
                    result.x[cols[j]] = z[j];
                break;
            }
            for (std::size_t j = 0; j < cols.size(); ++j) {
                double& xj = result.x[cols[j]];
                xj += alpha * (z[j] - xj);
                if (xj <= tol) {
                    xj = 0.0;
                    passive[cols[j]] = false;
                }
            }
            if (std::none_of(passive.begin(), passive.end(), [](bool p) { return p; }))
                break;
        }
        r = residual(a, b, result.x);
    }

    r = residual(a, b, result.x);
    for (double v : r)
        result.residualNorm2 += v * v;
    return result;
}

} // namespace parktwin::sensors
