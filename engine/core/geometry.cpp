#include "engine/core/geometry.h"

namespace parktwin {

double signedArea(const Ring& ring) {
    double twice = 0.0;
    const size_t n = ring.size();
    for (size_t i = 0; i < n; ++i) {
        const Vec2& a = ring[i];
        const Vec2& b = ring[(i + 1) % n];
        twice += a.x * b.y - b.x * a.y;
    }
    return twice / 2.0;
}

double area(const Polygon& polygon) {
    double total = std::abs(signedArea(polygon.outer));
    for (const Ring& hole : polygon.holes)
        total -= std::abs(signedArea(hole));
    return total;
}

Vec2 centroid(const Ring& ring) {
    // Shift to the first vertex so large coordinates do not cancel.
    if (ring.empty())
        return {};
    const Vec2 o = ring.front();
    double cx = 0.0, cy = 0.0, twice = 0.0;
    const size_t n = ring.size();
    for (size_t i = 0; i < n; ++i) {
        const Vec2 a = ring[i] - o;
        const Vec2 b = ring[(i + 1) % n] - o;
        const double cross = a.x * b.y - b.x * a.y;
        twice += cross;
        cx += (a.x + b.x) * cross;
        cy += (a.y + b.y) * cross;
    }
    if (std::abs(twice) < 1e-12) {
        Vec2 mean{};
        for (const Vec2& p : ring)
            mean = mean + p;
        return mean * (1.0 / static_cast<double>(n));
    }
    return {o.x + cx / (3.0 * twice), o.y + cy / (3.0 * twice)};
}

bool contains(const Ring& ring, Vec2 p) {
    bool inside = false;
    const size_t n = ring.size();
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        const Vec2& a = ring[i];
        const Vec2& b = ring[j];
        if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x)
            inside = !inside;
    }
    return inside;
}

bool contains(const Polygon& polygon, Vec2 p) {
    if (!contains(polygon.outer, p))
        return false;
    for (const Ring& hole : polygon.holes)
        if (contains(hole, p))
            return false;
    return true;
}

Box2 bounds(const Ring& ring) {
    Box2 box;
    for (const Vec2& p : ring)
        box.expand(p);
    return box;
}

} // namespace parktwin
