#pragma once
// Non-negative least squares: minimise |A x - b|² subject to x >= 0, by the active-set method
// of Lawson and Hanson (Solving Least Squares Problems, 1974, chapter 23, algorithm NNLS).

#include <cstddef>
#include <vector>

namespace parktwin::sensors {

/// A dense matrix stored by columns, so each column is one source's contribution.
class ColumnMatrix {
public:
    ColumnMatrix(std::size_t rows, std::size_t cols) : rows_(rows), cols_(cols), v_(rows * cols) {}

    std::size_t rows() const { return rows_; }
    std::size_t cols() const { return cols_; }
    double& operator()(std::size_t r, std::size_t c) { return v_[c * rows_ + r]; }
    double operator()(std::size_t r, std::size_t c) const { return v_[c * rows_ + r]; }
    const double* column(std::size_t c) const { return v_.data() + c * rows_; }

private:
    std::size_t rows_;
    std::size_t cols_;
    std::vector<double> v_;
};

struct NnlsResult {
    std::vector<double> x;        ///< the non-negative solution, one per column
    double residualNorm2 = 0;     ///< |A x - b|²
    int iterations = 0;
    bool converged = true;        ///< false when the iteration cap was reached
};

/// Solves min |A x - b|² with x >= 0. b.size() must equal A.rows(). Throws parktwin::Error on
/// mismatched sizes or non-finite input.
NnlsResult solveNnls(const ColumnMatrix& a, const std::vector<double>& b);

} // namespace parktwin::sensors
