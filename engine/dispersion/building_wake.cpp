#include "engine/dispersion/building_wake.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace parktwin::dispersion {
namespace {

double distanceToSegment(Vec2 p, Vec2 a, Vec2 b) {
    const Vec2 ab = b - a;
    const double len2 = ab.x * ab.x + ab.y * ab.y;
    double t = len2 > 0 ? ((p.x - a.x) * ab.x + (p.y - a.y) * ab.y) / len2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    return length(p - (a + ab * t));
}

/// Distance from a point to a footprint, 0 inside it.
double distanceToFootprint(Vec2 p, const Polygon& footprint) {
    const Ring& ring = footprint.outer;
    if (ring.size() < 3)
        return std::numeric_limits<double>::infinity();
    if (contains(footprint, p))
        return 0.0;
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < ring.size(); ++i)
        best = std::min(best, distanceToSegment(p, ring[i], ring[(i + 1) % ring.size()]));
    return best;
}

} // namespace

std::optional<BuildingWakeTable> buildingWake(Vec2 stack, double stackBase_m,
                                              std::span<const Building> buildings) {
    BuildingWakeTable table{};
    bool any = false;
    for (std::size_t k = 0; k < table.size(); ++k) {
        // Sector k is the flow vector 10 (k + 1) degrees, the direction the wind blows toward;
        // the projected width is measured across it.
        const double toward_rad = 10.0 * double(k + 1) * std::numbers::pi / 180.0;
        const Vec2 across{std::cos(toward_rad), -std::sin(toward_rad)};
        double bestGep_m = 0.0;
        for (const Building& b : buildings) {
            const double height_m = b.height_m + (b.baseElevation_m - stackBase_m);
            if (!(height_m > 0.0) || b.footprint.outer.size() < 3)
                continue;
            double lo = std::numeric_limits<double>::infinity(), hi = -lo;
            for (Vec2 v : b.footprint.outer) {
                const double c = v.x * across.x + v.y * across.y;
                lo = std::min(lo, c);
                hi = std::max(hi, c);
            }
            const double width_m = hi - lo;
            const double l_m = std::min(height_m, width_m);
            if (distanceToFootprint(stack, b.footprint) > 5.0 * l_m)
                continue;
            const double gep_m = height_m + 1.5 * l_m;
            if (gep_m > bestGep_m) {
                bestGep_m = gep_m;
                table[k] = {height_m, width_m};
                any = true;
            }
        }
    }
    if (!any)
        return std::nullopt;
    return table;
}

} // namespace parktwin::dispersion
