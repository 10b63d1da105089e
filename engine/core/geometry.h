#pragma once
// Plane geometry in the park-local frame: metres east (x) and north (y) of the park origin.

#include <cmath>
#include <vector>

namespace parktwin {

struct Vec2 {
    double x = 0.0;
    double y = 0.0;
};

struct Vec3 {
    double x = 0.0;
    double y = 0.0;
    double z = 0.0;
};

inline Vec2 operator+(Vec2 a, Vec2 b) { return {a.x + b.x, a.y + b.y}; }
inline Vec2 operator-(Vec2 a, Vec2 b) { return {a.x - b.x, a.y - b.y}; }
inline Vec2 operator*(Vec2 a, double s) { return {a.x * s, a.y * s}; }
inline double length(Vec2 a) { return std::hypot(a.x, a.y); }

/// A closed ring of vertices; the closing vertex is not repeated.
using Ring = std::vector<Vec2>;

/// A polygon with one outer ring and any number of holes.
struct Polygon {
    Ring outer;
    std::vector<Ring> holes;
};

/// Axis-aligned bounding box in the local frame, metres.
struct Box2 {
    Vec2 min{INFINITY, INFINITY};
    Vec2 max{-INFINITY, -INFINITY};

    void expand(Vec2 p) {
        min.x = std::min(min.x, p.x);
        min.y = std::min(min.y, p.y);
        max.x = std::max(max.x, p.x);
        max.y = std::max(max.y, p.y);
    }
    void expand(const Box2& b) {
        if (b.valid()) {
            expand(b.min);
            expand(b.max);
        }
    }
    bool valid() const { return min.x <= max.x && min.y <= max.y; }
    bool contains(Vec2 p) const {
        return p.x >= min.x && p.x <= max.x && p.y >= min.y && p.y <= max.y;
    }
    double width() const { return max.x - min.x; }
    double height() const { return max.y - min.y; }
    Vec2 centre() const { return {(min.x + max.x) / 2, (min.y + max.y) / 2}; }
};

/// Signed area of a ring in square metres; positive when counter-clockwise.
double signedArea(const Ring& ring);

/// Area of a polygon (outer minus holes), square metres.
double area(const Polygon& polygon);

/// Area-weighted centroid of a ring.
Vec2 centroid(const Ring& ring);

/// True when p lies inside the ring (even-odd rule).
bool contains(const Ring& ring, Vec2 p);

/// True when p lies inside the outer ring and in none of the holes.
bool contains(const Polygon& polygon, Vec2 p);

Box2 bounds(const Ring& ring);

} // namespace parktwin
