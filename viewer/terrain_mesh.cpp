#include "viewer/terrain_mesh.h"

#include <algorithm>
#include <cmath>
#include <osg/Geode>
#include <osg/Geometry>
#include <osg/LOD>
#include <osg/LineWidth>
#include <cfloat>

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

namespace {

/// Per-node attributes of the whole grid, shared by every tile and level.
struct TerrainNodes {
    osg::ref_ptr<osg::Vec3Array> positions = new osg::Vec3Array;
    osg::ref_ptr<osg::Vec3Array> normals = new osg::Vec3Array;
    osg::ref_ptr<osg::Vec4Array> colours = new osg::Vec4Array;
};

TerrainNodes terrainNodes(const TerrainGrid& terrain, const std::vector<LandTint>& tints,
                          double zMin, double relief) {
    const RasterGrid& h = terrain.heights;
    TerrainNodes nodes;
    nodes.positions->reserve(h.size());
    nodes.normals->reserve(h.size());
    nodes.colours->reserve(h.size());
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
            nodes.positions->push_back({float(p.x), float(p.y), float(z)});
            // Central differences; the normal of z = f(x, y) is (-fx, -fy, 1).
            const double fx = (value(i + 1, j) - value(i - 1, j)) /
                              (h.dx * (std::min(i + 1, h.nx - 1) - std::max(i - 1, 0)));
            const double fy = (value(i, j + 1) - value(i, j - 1)) /
                              (h.dy * (std::min(j + 1, h.ny - 1) - std::max(j - 1, 0)));
            osg::Vec3 n(float(-(std::isfinite(fx) ? fx : 0)), float(-(std::isfinite(fy) ? fy : 0)),
                        1.0f);
            n.normalize();
            nodes.normals->push_back(n);
            nodes.colours->push_back(elevationColour((z - zMin) / relief));
        }
    }

    // Each tint visits only the nodes inside its parts' bounding boxes.
    for (const LandTint& tint : tints) {
        if (!tint.area)
            continue;
        for (const Polygon& part : tint.area->parts) {
            const Box2 b = bounds(part.outer);
            const int i0 = std::max(0, int(std::floor((b.min.x - h.x0) / h.dx)));
            const int i1 = std::min(h.nx - 1, int(std::ceil((b.max.x - h.x0) / h.dx)));
            const int j0 = std::max(0, int(std::floor((b.min.y - h.y0) / h.dy)));
            const int j1 = std::min(h.ny - 1, int(std::ceil((b.max.y - h.y0) / h.dy)));
            for (int j = j0; j <= j1; ++j) {
                for (int i = i0; i <= i1; ++i) {
                    if (!contains(part, h.position(i, j)))
                        continue;
                    osg::Vec4& c = (*nodes.colours)[size_t(j) * h.nx + i];
                    c = c * (1 - tint.weight) + tint.colour * tint.weight;
                    c.a() = 1.0f;
                }
            }
        }
    }
    return nodes;
}

/// The node indices of a tile's side at a stride: first, first + stride, ..., always last.
std::vector<int> strided(int first, int last, int stride) {
    std::vector<int> out;
    for (int k = first; k < last; k += stride)
        out.push_back(k);
    out.push_back(last);
    return out;
}

/// One level of one tile: the nodes every `stride` cells, triangulated, and skirts hanging
/// `skirt_m` down from its four sides so a coarser neighbour leaves no gap to the sky.
osg::ref_ptr<osg::Geometry> tileLevel(const TerrainGrid& terrain, const TerrainNodes& nodes,
                                      int i0, int i1, int j0, int j1, int stride,
                                      double skirt_m) {
    const RasterGrid& h = terrain.heights;
    const std::vector<int> is = strided(i0, i1, stride);
    const std::vector<int> js = strided(j0, j1, stride);
    auto vertices = new osg::Vec3Array;
    auto normals = new osg::Vec3Array;
    auto colours = new osg::Vec4Array;
    auto copyNode = [&](int i, int j, float drop_m) {
        const size_t n = size_t(j) * h.nx + i;
        vertices->push_back((*nodes.positions)[n] - osg::Vec3(0, 0, drop_m));
        normals->push_back((*nodes.normals)[n]);
        colours->push_back((*nodes.colours)[n]);
        return static_cast<unsigned>(vertices->size() - 1);
    };
    for (int j : js)
        for (int i : is)
            copyNode(i, j, 0);

    auto triangles = new osg::DrawElementsUInt(GL_TRIANGLES);
    auto valid = [&](int i, int j) { return std::isfinite(h.at(i, j)); };
    const auto columns = static_cast<unsigned>(is.size());
    for (size_t b = 0; b + 1 < js.size(); ++b) {
        for (size_t a = 0; a + 1 < is.size(); ++a) {
            if (!valid(is[a], js[b]) || !valid(is[a + 1], js[b]) || !valid(is[a], js[b + 1]) ||
                !valid(is[a + 1], js[b + 1]))
                continue;
            const unsigned sw = unsigned(b) * columns + unsigned(a), se = sw + 1,
                           nw = sw + columns, ne = nw + 1;
            for (unsigned v : {sw, se, ne, sw, ne, nw})
                triangles->push_back(v);
        }
    }

    // Skirts: each side's nodes again, lowered, joined to the side by a vertical strip.
    auto skirt = [&](const std::vector<std::pair<int, int>>& side) {
        for (size_t k = 0; k + 1 < side.size(); ++k) {
            const auto [ia, ja] = side[k];
            const auto [ib, jb] = side[k + 1];
            if (!valid(ia, ja) || !valid(ib, jb))
                continue;
            const unsigned topA = copyNode(ia, ja, 0), topB = copyNode(ib, jb, 0);
            const unsigned lowA = copyNode(ia, ja, float(skirt_m));
            const unsigned lowB = copyNode(ib, jb, float(skirt_m));
            for (unsigned v : {topA, lowA, lowB, topA, lowB, topB})
                triangles->push_back(v);
        }
    };
    std::vector<std::pair<int, int>> south, north, west, east;
    for (int i : is) {
        south.push_back({i, js.front()});
        north.push_back({i, js.back()});
    }
    for (int j : js) {
        west.push_back({is.front(), j});
        east.push_back({is.back(), j});
    }
    for (const auto* side : {&south, &north, &west, &east})
        skirt(*side);

    osg::ref_ptr<osg::Geometry> geometry = new osg::Geometry;
    geometry->setVertexArray(vertices);
    geometry->setNormalArray(normals, osg::Array::BIND_PER_VERTEX);
    geometry->setColorArray(colours, osg::Array::BIND_PER_VERTEX);
    geometry->addPrimitiveSet(triangles);
    geometry->setUseDisplayList(false);
    geometry->setUseVertexBufferObjects(true);
    return geometry;
}

} // namespace

osg::ref_ptr<osg::Node> buildTerrain(const TerrainGrid& terrain, const Box2& extent,
                                     const std::vector<LandTint>& tints, const TerrainLod& lod) {
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
    const TerrainNodes nodes = terrainNodes(terrain, tints, zMin, std::max(zMax - zMin, 1e-6));

    const int tile = std::max(lod.tileCells, 2);
    const int levels = std::clamp(lod.levels, 1, 8);
    const double cell_m = std::max(std::abs(h.dx), std::abs(h.dy));
    osg::ref_ptr<osg::Group> group = new osg::Group;
    group->setName("terrain");
    for (int j0 = 0; j0 + 1 < h.ny; j0 += tile) {
        for (int i0 = 0; i0 + 1 < h.nx; i0 += tile) {
            const int i1 = std::min(i0 + tile, h.nx - 1);
            const int j1 = std::min(j0 + tile, h.ny - 1);
            const int cells = std::max(i1 - i0, j1 - j0);
            osg::ref_ptr<osg::LOD> lodNode = new osg::LOD;
            lodNode->setRangeMode(osg::LOD::PIXEL_SIZE_ON_SCREEN);
            // OSG measures a node's size on screen as its bounding radius in pixels; the
            // tile's radius is about cells / sqrt(2) cell widths. Level k (stride 2^k) may be
            // drawn while a coarse cell spans at most maxCellPixels, i.e. while the radius
            // stays under maxCellPixels * cells / (sqrt(2) * stride).
            float upper = FLT_MAX;
            for (int k = 0; k < levels; ++k) {
                const int stride = 1 << k;
                if (k > 0 && stride > cells)
                    break;
                const bool coarsest = k == levels - 1 || (2 << k) > cells;
                const float lower =
                    coarsest ? 0.0f : float(lod.maxCellPixels * cells / (std::sqrt(2.0) * stride));
                // Deep enough for a coarse edge against slopes up to about 45 degrees.
                const double skirt_m = stride * cell_m;
                lodNode->addChild(tileLevel(terrain, nodes, i0, i1, j0, j1, stride, skirt_m),
                                  lower, upper);
                upper = lower;
            }
            group->addChild(lodNode);
        }
    }
    return group;
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
    // Every ring's pieces in one list of segments: one draw call for all outlines.
    auto segments = new osg::DrawElementsUInt(GL_LINES);
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
            const auto first = static_cast<unsigned>(vertices->size());
            while (k < points.size() && onGround(points[k])) {
                const Vec3& p = points[k++];
                vertices->push_back({float(p.x), float(p.y), float(p.z)});
            }
            const auto end = static_cast<unsigned>(vertices->size());
            for (unsigned v = first; v + 1 < end; ++v) {
                segments->push_back(v);
                segments->push_back(v + 1);
            }
            if (whole && end >= first + 3) {
                segments->push_back(end - 1);
                segments->push_back(first);
            }
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
    geometry->addPrimitiveSet(segments);
    geometry->setUseDisplayList(false);
    geometry->setUseVertexBufferObjects(true);
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
