#include "engine/physics/triangulate.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace parktwin::physics {
namespace {

double cross(Vec2 a, Vec2 b) { return a.x * b.y - a.y * b.x; }

bool same(Vec2 a, Vec2 b) { return a.x == b.x && a.y == b.y; }

/// Orientation of c against the directed line a->b: positive on its left.
double orient(Vec2 a, Vec2 b, Vec2 c) { return cross(b - a, c - a); }

/// True when the closed segments pq and ab share a point (touching counts).
bool segmentsMeet(Vec2 p, Vec2 q, Vec2 a, Vec2 b) {
    const double d1 = orient(p, q, a);
    const double d2 = orient(p, q, b);
    const double d3 = orient(a, b, p);
    const double d4 = orient(a, b, q);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
        return true;
    auto onSegment = [](Vec2 s, Vec2 t, Vec2 r) {
        return r.x >= std::min(s.x, t.x) && r.x <= std::max(s.x, t.x) &&
               r.y >= std::min(s.y, t.y) && r.y <= std::max(s.y, t.y);
    };
    return (d1 == 0 && onSegment(p, q, a)) || (d2 == 0 && onSegment(p, q, b)) ||
           (d3 == 0 && onSegment(a, b, p)) || (d4 == 0 && onSegment(a, b, q));
}

/// True when p lies inside or on the counter-clockwise triangle abc.
bool inTriangle(Vec2 a, Vec2 b, Vec2 c, Vec2 p) {
    return orient(a, b, p) >= 0 && orient(b, c, p) >= 0 && orient(c, a, p) >= 0;
}

/// Indices of a ring into the shared vertex list, consecutive duplicates dropped.
std::vector<int> ringIndices(const std::vector<Vec2>& pts, int first, int count) {
    std::vector<int> ring;
    for (int k = 0; k < count; ++k) {
        const int index = first + k;
        if (ring.empty() || !same(pts[ring.back()], pts[index]))
            ring.push_back(index);
    }
    while (ring.size() > 1 && same(pts[ring.front()], pts[ring.back()]))
        ring.pop_back();
    return ring;
}

double ringArea(const std::vector<Vec2>& pts, const std::vector<int>& ring) {
    double twice = 0.0;
    for (size_t k = 0; k < ring.size(); ++k)
        twice += cross(pts[ring[k]], pts[ring[(k + 1) % ring.size()]]);
    return twice / 2.0;
}

/// True when direction d from vertex b points into the interior wedge of the
/// counter-clockwise polygon at b, whose neighbours are a (before) and c (after).
bool inWedge(Vec2 a, Vec2 b, Vec2 c, Vec2 d) {
    const Vec2 toA = a - b;
    const Vec2 toC = c - b;
    if (cross(b - a, c - b) > 0)
        return cross(toC, d) > 0 && cross(d, toA) > 0;
    return !(cross(toA, d) > 0 && cross(d, toC) > 0);
}

/// True when the segment from m to v crosses or touches no edge of the given rings, except
/// edges that end at m or v themselves.
bool visible(const std::vector<Vec2>& pts, const std::vector<const std::vector<int>*>& rings,
             Vec2 m, Vec2 v) {
    for (const std::vector<int>* ring : rings) {
        const size_t n = ring->size();
        for (size_t k = 0; k < n; ++k) {
            const Vec2 a = pts[(*ring)[k]];
            const Vec2 b = pts[(*ring)[(k + 1) % n]];
            if (same(a, m) || same(b, m) || same(a, v) || same(b, v))
                continue;
            if (segmentsMeet(m, v, a, b))
                return false;
        }
    }
    return true;
}

/// Joins a clockwise hole into the counter-clockwise polygon by a bridge from the hole's
/// rightmost vertex to the nearest polygon vertex that sees it. False when none does.
bool mergeHole(const std::vector<Vec2>& pts, std::vector<int>& poly, std::vector<int> hole,
               const std::vector<std::vector<int>>& pendingHoles) {
    const auto rightmost = std::max_element(hole.begin(), hole.end(), [&](int a, int b) {
        return pts[a].x < pts[b].x || (pts[a].x == pts[b].x && pts[a].y < pts[b].y);
    });
    std::rotate(hole.begin(), rightmost, hole.end());
    const Vec2 m = pts[hole.front()];

    std::vector<const std::vector<int>*> rings{&poly, &hole};
    for (const std::vector<int>& other : pendingHoles)
        rings.push_back(&other);

    const size_t n = poly.size();
    size_t best = n;
    double bestDistance = std::numeric_limits<double>::infinity();
    for (size_t k = 0; k < n; ++k) {
        const Vec2 v = pts[poly[k]];
        const double distance = length(m - v);
        if (distance >= bestDistance)
            continue;
        const Vec2 before = pts[poly[(k + n - 1) % n]];
        const Vec2 after = pts[poly[(k + 1) % n]];
        if (!inWedge(before, v, after, m - v) || !visible(pts, rings, m, v))
            continue;
        best = k;
        bestDistance = distance;
    }
    if (best == n)
        return false;

    // The polygon walks to v, around the hole from m back to m, then back to v.
    std::vector<int> splice(hole.begin(), hole.end());
    splice.push_back(hole.front());
    splice.push_back(poly[best]);
    poly.insert(poly.begin() + static_cast<long>(best) + 1, splice.begin(), splice.end());
    return true;
}

/// True when two edges of the rings cross or touch anywhere but at a shared vertex.
bool selfIntersecting(const std::vector<Vec2>& pts, const std::vector<std::vector<int>>& rings) {
    std::vector<std::pair<Vec2, Vec2>> edges;
    for (const std::vector<int>& ring : rings)
        for (size_t k = 0; k < ring.size(); ++k)
            edges.emplace_back(pts[ring[k]], pts[ring[(k + 1) % ring.size()]]);
    for (size_t e = 0; e < edges.size(); ++e) {
        const auto [a, b] = edges[e];
        for (size_t f = e + 1; f < edges.size(); ++f) {
            const auto [c, d] = edges[f];
            if (same(a, c) || same(a, d) || same(b, c) || same(b, d))
                continue;
            if (segmentsMeet(a, b, c, d))
                return true;
        }
    }
    return false;
}

/// Clips ears off a counter-clockwise polygon (possibly with bridge edges).
bool clipEars(const std::vector<Vec2>& pts, std::vector<int> poly, std::vector<Triangle>& out) {
    size_t misses = 0;
    size_t k = 0;
    while (poly.size() > 3) {
        const size_t n = poly.size();
        k %= n;
        const int ia = poly[(k + n - 1) % n];
        const int ib = poly[k];
        const int ic = poly[(k + 1) % n];
        const Vec2 a = pts[ia], b = pts[ib], c = pts[ic];

        bool ear = orient(a, b, c) > 0;
        for (size_t q = 0; ear && q < n; ++q) {
            const Vec2 p = pts[poly[q]];
            if (same(p, a) || same(p, b) || same(p, c))
                continue;
            ear = !inTriangle(a, b, c, p);
        }
        if (ear) {
            out.push_back({ia, ib, ic});
            poly.erase(poly.begin() + static_cast<long>(k));
            misses = 0;
            continue;
        }
        if (++misses <= n) {
            ++k;
            continue;
        }

        // No ear in a whole lap: drop the flattest vertex when it is collinear with its
        // neighbours (it bounds no area), otherwise the ring is not simple.
        size_t flattest = n;
        double smallestSine = 1e-9;
        for (size_t q = 0; q < n; ++q) {
            const Vec2 pa = pts[poly[(q + n - 1) % n]];
            const Vec2 pb = pts[poly[q]];
            const Vec2 pc = pts[poly[(q + 1) % n]];
            const double lengths = length(pb - pa) * length(pc - pb);
            const double sine = lengths > 0 ? std::abs(orient(pa, pb, pc)) / lengths : 0.0;
            if (sine <= smallestSine) {
                smallestSine = sine;
                flattest = q;
            }
        }
        if (flattest == n)
            return false;
        poly.erase(poly.begin() + static_cast<long>(flattest));
        misses = 0;
    }
    if (poly.size() == 3 && orient(pts[poly[0]], pts[poly[1]], pts[poly[2]]) > 0)
        out.push_back({poly[0], poly[1], poly[2]});
    return true;
}

} // namespace

std::vector<Triangle> triangulate(const Polygon& polygon) {
    if (polygon.outer.size() < 3)
        return {};

    // Work relative to the first vertex so that orientation tests keep their precision
    // whatever the frame's origin.
    const Vec2 origin = polygon.outer.front();
    std::vector<Vec2> pts;
    for (const Vec2& p : polygon.outer)
        pts.push_back(p - origin);
    std::vector<int> poly = ringIndices(pts, 0, static_cast<int>(pts.size()));
    if (poly.size() < 3)
        return {};
    if (ringArea(pts, poly) < 0)
        std::reverse(poly.begin(), poly.end());

    std::vector<std::vector<int>> holes;
    for (const Ring& ring : polygon.holes) {
        const int first = static_cast<int>(pts.size());
        for (const Vec2& p : ring)
            pts.push_back(p - origin);
        std::vector<int> hole = ringIndices(pts, first, static_cast<int>(ring.size()));
        if (hole.size() < 3)
            continue;
        if (ringArea(pts, hole) > 0)
            std::reverse(hole.begin(), hole.end());
        holes.push_back(std::move(hole));
    }

    std::vector<std::vector<int>> rings{poly};
    rings.insert(rings.end(), holes.begin(), holes.end());
    if (selfIntersecting(pts, rings))
        return {};

    // Rightmost holes first, so that each bridge runs to the right of the holes still pending.
    auto maxX = [&](const std::vector<int>& ring) {
        double x = -std::numeric_limits<double>::infinity();
        for (int index : ring)
            x = std::max(x, pts[index].x);
        return x;
    };
    std::sort(holes.begin(), holes.end(),
              [&](const auto& a, const auto& b) { return maxX(a) > maxX(b); });
    while (!holes.empty()) {
        std::vector<int> hole = std::move(holes.front());
        holes.erase(holes.begin());
        if (!mergeHole(pts, poly, std::move(hole), holes))
            return {};
    }

    std::vector<Triangle> triangles;
    if (!clipEars(pts, std::move(poly), triangles))
        return {};
    return triangles;
}

} // namespace parktwin::physics
