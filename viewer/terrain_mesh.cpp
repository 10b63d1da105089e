#include "viewer/terrain_mesh.h"

#include <algorithm>
#include <cmath>
#include <osg/Geode>
#include <osg/Geometry>
#include <osg/LineWidth>

namespace parktwin::viewer {

namespace {

osg::Vec4 elevationColour(double t) {
    // Low ground a muted green, high ground a muted brown: reads as land without competing
    // with the plume's blue-to-red ramp.
    const osg::Vec4 low(0.45f, 0.56f, 0.36f, 1.0f);
    const osg::Vec4 mid(0.58f, 0.58f, 0.40f, 1.0f);
    const osg::Vec4 high(0.60f, 0.50f, 0.40f, 1.0f);
    t = std::clamp(t, 0.0, 1.0);
    const float u = static_cast<float>(t < 0.5 ? t * 2 : (t - 0.5) * 2);
    return t < 0.5 ? low * (1 - u) + mid * u : mid * (1 - u) + high * u;
}

osg::ref_ptr<osg::Node> flatGround(double elevation_m, const Box2& extent) {
    Box2 box = extent.valid() ? extent : Box2{{-1000, -1000}, {1000, 1000}};
    const double margin = 0.1 * std::max(box.width(), box.height());
    const auto z = static_cast<float>(elevation_m);
    auto vertices = new osg::Vec3Array;
    vertices->push_back({float(box.min.x - margin), float(box.min.y - margin), z});
    vertices->push_back({float(box.max.x + margin), float(box.min.y - margin), z});
    vertices->push_back({float(box.max.x + margin), float(box.max.y + margin), z});
    vertices->push_back({float(box.min.x - margin), float(box.max.y + margin), z});

    osg::ref_ptr<osg::Geometry> geometry = new osg::Geometry;
    geometry->setVertexArray(vertices);
    auto normals = new osg::Vec3Array;
    normals->push_back(osg::Vec3(0, 0, 1));
    geometry->setNormalArray(normals, osg::Array::BIND_OVERALL);
    auto colours = new osg::Vec4Array;
    colours->push_back(elevationColour(0.2));
    geometry->setColorArray(colours, osg::Array::BIND_OVERALL);
    geometry->addPrimitiveSet(new osg::DrawArrays(GL_QUADS, 0, 4));

    osg::ref_ptr<osg::Geode> geode = new osg::Geode;
    geode->setName("terrain");
    geode->addDrawable(geometry);
    return geode;
}

} // namespace

double groundAt(const TerrainGrid& terrain, Vec2 p) {
    if (terrain.flat())
        return terrain.flatElevation_m;
    const RasterGrid& h = terrain.heights;
    const double xMax = h.x0 + (h.nx - 1) * h.dx;
    const double yMax = h.y0 + (h.ny - 1) * h.dy;
    const Vec2 q{std::clamp(p.x, std::min(h.x0, xMax), std::max(h.x0, xMax)),
                 std::clamp(p.y, std::min(h.y0, yMax), std::max(h.y0, yMax))};
    return terrain.heightAt(q);
}

double overlayLift_m(const Box2& extent) {
    const double diagonal = extent.valid() ? std::hypot(extent.width(), extent.height()) : 1e3;
    return std::clamp(diagonal * 4e-4, 0.5, 6.0);
}

osg::ref_ptr<osg::Node> buildTerrain(const TerrainGrid& terrain, const Box2& extent) {
    if (terrain.flat())
        return flatGround(terrain.flatElevation_m, extent);

    const RasterGrid& h = terrain.heights;
    double zMin = INFINITY, zMax = -INFINITY;
    for (double z : h.values) {
        if (std::isfinite(z)) {
            zMin = std::min(zMin, z);
            zMax = std::max(zMax, z);
        }
    }
    if (!std::isfinite(zMin))
        return flatGround(terrain.flatElevation_m, extent);
    const double relief = std::max(zMax - zMin, 1e-6);

    auto vertices = new osg::Vec3Array;
    auto normals = new osg::Vec3Array;
    auto colours = new osg::Vec4Array;
    vertices->reserve(h.size());
    auto value = [&](int i, int j) {
        i = std::clamp(i, 0, h.nx - 1);
        j = std::clamp(j, 0, h.ny - 1);
        const double z = h.at(i, j);
        return std::isfinite(z) ? z : terrain.flatElevation_m;
    };
    for (int j = 0; j < h.ny; ++j) {
        for (int i = 0; i < h.nx; ++i) {
            const Vec2 p = h.position(i, j);
            const double z = value(i, j);
            vertices->push_back({float(p.x), float(p.y), float(z)});
            // Central differences; the normal of z = f(x, y) is (-fx, -fy, 1).
            const double fx = (value(i + 1, j) - value(i - 1, j)) /
                              (h.dx * (std::min(i + 1, h.nx - 1) - std::max(i - 1, 0)));
            const double fy = (value(i, j + 1) - value(i, j - 1)) /
                              (h.dy * (std::min(j + 1, h.ny - 1) - std::max(j - 1, 0)));
            osg::Vec3 n(float(-(std::isfinite(fx) ? fx : 0)), float(-(std::isfinite(fy) ? fy : 0)),
                        1.0f);
            n.normalize();
            normals->push_back(n);
            colours->push_back(elevationColour((z - zMin) / relief));
        }
    }

    auto triangles = new osg::DrawElementsUInt(GL_TRIANGLES);
    auto valid = [&](int i, int j) { return std::isfinite(h.at(i, j)); };
    for (int j = 0; j + 1 < h.ny; ++j) {
        for (int i = 0; i + 1 < h.nx; ++i) {
            if (!valid(i, j) || !valid(i + 1, j) || !valid(i, j + 1) || !valid(i + 1, j + 1))
                continue;
            const unsigned a = j * h.nx + i, b = a + 1, c = a + h.nx, d = c + 1;
            for (unsigned v : {a, b, d, a, d, c})
                triangles->push_back(v);
        }
    }

    osg::ref_ptr<osg::Geometry> geometry = new osg::Geometry;
    geometry->setVertexArray(vertices);
    geometry->setNormalArray(normals, osg::Array::BIND_PER_VERTEX);
    geometry->setColorArray(colours, osg::Array::BIND_PER_VERTEX);
    geometry->addPrimitiveSet(triangles);
    geometry->setUseVertexBufferObjects(true);

    osg::ref_ptr<osg::Geode> geode = new osg::Geode;
    geode->setName("terrain");
    geode->addDrawable(geometry);
    return geode;
}

std::vector<Vec3> drapeLine(const std::vector<Vec2>& line, bool closed, const TerrainGrid& terrain,
                            double lift_m) {
    std::vector<Vec3> out;
    if (line.empty())
        return out;
    const double cell = terrain.flat()
                            ? INFINITY
                            : std::min(std::abs(terrain.heights.dx), std::abs(terrain.heights.dy));
    const size_t segments = closed ? line.size() : line.size() - 1;
    auto push = [&](Vec2 p) { out.push_back({p.x, p.y, groundAt(terrain, p) + lift_m}); };
    for (size_t k = 0; k < segments; ++k) {
        const Vec2 a = line[k];
        const Vec2 b = line[(k + 1) % line.size()];
        // At most 64 steps a segment keeps a province outline cheap.
        const int steps =
            std::isfinite(cell) ? std::clamp(static_cast<int>(length(b - a) / cell), 1, 64) : 1;
        for (int s = 0; s < steps; ++s)
            push(a + (b - a) * (double(s) / steps));
    }
    if (!closed)
        push(line.back());
    return out;
}

osg::ref_ptr<osg::Node> buildAreaOutlines(const std::vector<Area>& areas,
                                          const TerrainGrid& terrain, const osg::Vec4& colour,
                                          float lineWidth_px, double lift_m) {
    auto vertices = new osg::Vec3Array;
    osg::ref_ptr<osg::Geometry> geometry = new osg::Geometry;
    auto addRing = [&](const Ring& ring) {
        if (ring.size() < 2)
            return;
        const auto points = drapeLine(ring, true, terrain, lift_m);
        // Outlines are cut at the terrain's edge: beyond it there is no ground to lie on, and
        // a line held at the edge height would float in the air (the province reaches far
        // past the modelled extent).
        const Box2 ground = terrain.flat() ? Box2{} : terrain.heights.extent();
        auto onGround = [&](const Vec3& p) {
            return terrain.flat() || ground.contains(Vec2{p.x, p.y});
        };
        const bool whole = std::all_of(points.begin(), points.end(), onGround);
        size_t k = 0;
        while (k < points.size()) {
            while (k < points.size() && !onGround(points[k]))
                ++k;
            const auto first = static_cast<GLint>(vertices->size());
            while (k < points.size() && onGround(points[k])) {
                const Vec3& p = points[k++];
                vertices->push_back({float(p.x), float(p.y), float(p.z)});
            }
            const auto count = static_cast<GLsizei>(vertices->size() - first);
            if (count >= 2)
                geometry->addPrimitiveSet(
                    new osg::DrawArrays(whole ? GL_LINE_LOOP : GL_LINE_STRIP, first, count));
        }
    };
    for (const Area& area : areas) {
        for (const Polygon& part : area.parts) {
            addRing(part.outer);
            for (const Ring& hole : part.holes)
                addRing(hole);
        }
    }
    geometry->setVertexArray(vertices);
    auto colours = new osg::Vec4Array;
    colours->push_back(colour);
    geometry->setColorArray(colours, osg::Array::BIND_OVERALL);

    osg::StateSet* state = geometry->getOrCreateStateSet();
    state->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
    state->setAttributeAndModes(new osg::LineWidth(lineWidth_px));

    osg::ref_ptr<osg::Geode> geode = new osg::Geode;
    geode->addDrawable(geometry);
    return geode;
}

} // namespace parktwin::viewer
