#include "engine/core/raster.h"

#include <algorithm>

namespace parktwin {

double RasterGrid::sample(Vec2 p) const {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (nx < 1 || ny < 1)
        return nan;
    const double fi = (p.x - x0) / dx;
    const double fj = (p.y - y0) / dy;
    if (fi < 0.0 || fj < 0.0 || fi > nx - 1 || fj > ny - 1)
        return nan;

    const int i = std::min(static_cast<int>(fi), std::max(nx - 2, 0));
    const int j = std::min(static_cast<int>(fj), std::max(ny - 2, 0));
    const double u = nx > 1 ? fi - i : 0.0;
    const double v = ny > 1 ? fj - j : 0.0;
    const int i1 = std::min(i + 1, nx - 1);
    const int j1 = std::min(j + 1, ny - 1);
    return (1 - u) * (1 - v) * at(i, j) + u * (1 - v) * at(i1, j) + (1 - u) * v * at(i, j1) +
           u * v * at(i1, j1);
}

} // namespace parktwin
