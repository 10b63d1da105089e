#pragma once
// A regular grid of values over the park-local frame (terrain heights, concentrations).

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "engine/core/geometry.h"

namespace parktwin {

/// Regular grid of cell-centred samples. Row j = 0 is the southernmost row and
/// column i = 0 the westernmost; value(i, j) sits at (x0 + i*dx, y0 + j*dy) in the
/// local frame. Missing samples are NaN.
struct RasterGrid {
    double x0 = 0.0; ///< local x of the centre of column 0, metres
    double y0 = 0.0; ///< local y of the centre of row 0, metres
    double dx = 1.0; ///< column spacing, metres
    double dy = 1.0; ///< row spacing, metres
    int nx = 0;
    int ny = 0;
    std::vector<double> values; ///< row-major, index j * nx + i

    RasterGrid() = default;
    RasterGrid(double x0_, double y0_, double dx_, double dy_, int nx_, int ny_, double fill = 0.0)
        : x0(x0_), y0(y0_), dx(dx_), dy(dy_), nx(nx_), ny(ny_),
          values(static_cast<size_t>(nx_) * static_cast<size_t>(ny_), fill) {}

    size_t size() const { return values.size(); }
    bool empty() const { return values.empty(); }
    double& at(int i, int j) { return values[static_cast<size_t>(j) * nx + i]; }
    double at(int i, int j) const { return values[static_cast<size_t>(j) * nx + i]; }
    Vec2 position(int i, int j) const { return {x0 + i * dx, y0 + j * dy}; }

    /// Extent of the cells (not the centres), metres.
    Box2 extent() const {
        Box2 box;
        box.expand(Vec2{x0 - dx / 2, y0 - dy / 2});
        box.expand(Vec2{x0 + (nx - 0.5) * dx, y0 + (ny - 0.5) * dy});
        return box;
    }

    /// Bilinear interpolation between cell centres; NaN outside the centres' hull
    /// or next to a missing sample.
    double sample(Vec2 p) const;
};

/// The park's terrain: heights in metres above the vertical datum of the DEM
/// (SRTM: EGM96 geoid), on a grid in the local frame.
struct TerrainGrid {
    RasterGrid heights;
    /// Height used where the park has no DEM (flat parks), metres.
    double flatElevation_m = 0.0;

    bool flat() const { return heights.empty(); }
    /// Ground height at p, metres; the flat elevation where the grid has no value.
    double heightAt(Vec2 p) const {
        if (flat())
            return flatElevation_m;
        const double h = heights.sample(p);
        return std::isnan(h) ? flatElevation_m : h;
    }
};

} // namespace parktwin
