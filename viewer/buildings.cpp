#include "viewer/buildings.h"

#include "viewer/terrain_mesh.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <osg/Geode>
#include <osg/Geometry>
#include <osg/LineWidth>
#include <osg/ShadeModel>
#include <osg/TriangleFunctor>
#include <osgUtil/Tessellator>

namespace parktwin::viewer {

namespace {

bool contains(const std::string& text, const char* word) {
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower.find(word) != std::string::npos;
}

struct TriangleSink {
    osg::Vec3Array* out = nullptr;
    void operator()(const osg::Vec3& a, const osg::Vec3& b, const osg::Vec3& c) {
        // Keep every roof triangle facing up, whatever winding the tessellator chose.
        if (((b - a) ^ (c - a)).z() >= 0) {
            out->push_back(a);
            out->push_back(b);
            out->push_back(c);
        } else {
            out->push_back(a);
            out->push_back(c);
            out->push_back(b);
        }
    }
};

/// Triangles of a flat roof at height z over a footprint, via the GLU tessellator.
void addRoof(const Polygon& footprint, float z, osg::Vec3Array* triangles) {
    osg::ref_ptr<osg::Geometry> outline = new osg::Geometry;
    auto vertices = new osg::Vec3Array;
    auto addRing = [&](const Ring& ring) {
        const auto first = static_cast<GLint>(vertices->size());
        for (const Vec2& p : ring)
            vertices->push_back({float(p.x), float(p.y), z});
        outline->addPrimitiveSet(
            new osg::DrawArrays(GL_POLYGON, first, static_cast<GLsizei>(ring.size())));
    };
    addRing(footprint.outer);
    for (const Ring& hole : footprint.holes)
        if (hole.size() >= 3)
            addRing(hole);
    outline->setVertexArray(vertices);

    osg::ref_ptr<osgUtil::Tessellator> tessellator = new osgUtil::Tessellator;
    tessellator->setTessellationType(osgUtil::Tessellator::TESS_TYPE_GEOMETRY);
    tessellator->setWindingType(osgUtil::Tessellator::TESS_WINDING_ODD);
    tessellator->setBoundaryOnly(false);
    tessellator->retessellatePolygons(*outline);

    osg::TriangleFunctor<TriangleSink> sink;
    sink.out = triangles;
    outline->accept(sink);
}

/// One indexed triangle mesh for all buildings: shared corners are shaded once, which is
/// what costs on a software rasteriser's single-threaded vertex stage.
struct BuildingMesh {
    osg::ref_ptr<osg::Vec3Array> vertices = new osg::Vec3Array;
    osg::ref_ptr<osg::Vec3Array> normals = new osg::Vec3Array;
    osg::ref_ptr<osg::Vec4ubArray> colours = new osg::Vec4ubArray;
    osg::ref_ptr<osg::DrawElementsUInt> triangles = new osg::DrawElementsUInt(GL_TRIANGLES);

    unsigned add(const osg::Vec3& v, const osg::Vec3& n, const osg::Vec4ub& c) {
        vertices->push_back(v);
        normals->push_back(n);
        colours->push_back(c);
        return static_cast<unsigned>(vertices->size() - 1);
    }
};

osg::Vec4ub bytes(const osg::Vec4& c) {
    auto b = [](float v) {
        return static_cast<unsigned char>(std::lround(std::clamp(v, 0.f, 1.f) * 255));
    };
    return {b(c.r()), b(c.g()), b(c.b()), b(c.a())};
}

/// Walls of a ring facing out of the building: away from the ring's inside for an outer
/// ring, into the courtyard for a hole. Triangles wind counter-clockwise seen from the side
/// they face, so back faces can be culled. Walls are flat-shaded: each corner of the ring has
/// one vertex at the bottom and one at the top, shared by the two walls that meet there, and
/// every triangle takes its lit colour from its last vertex (OpenGL's provoking vertex), which
/// carries the normal of its wall. Half the vertices of one quad per wall, the same picture.
void addWalls(const Ring& ring, bool hole, float bottom, float top, const osg::Vec4ub& colour,
              BuildingMesh& mesh) {
    const size_t n = ring.size();
    const bool counterClockwise = signedArea(ring) >= 0;
    const double sign = counterClockwise != hole ? 1.0 : -1.0;
    const auto first = static_cast<unsigned>(mesh.vertices->size());
    for (const Vec2& p : ring) {
        mesh.add({float(p.x), float(p.y), bottom}, {0, 0, 1}, colour);
        mesh.add({float(p.x), float(p.y), top}, {0, 0, 1}, colour);
    }
    auto lower = [&](size_t k) { return first + 2 * unsigned(k % n); };
    auto upper = [&](size_t k) { return first + 2 * unsigned(k % n) + 1; };
    for (size_t k = 0; k < n; ++k) {
        const Vec2 d = ring[(k + 1) % n] - ring[k];
        const double len = length(d);
        if (len <= 0)
            continue;
        const osg::Vec3 normal(float(sign * d.y / len), float(-sign * d.x / len), 0.0f);
        // Seen from outside the wall runs from corner p to corner q, left to right.
        const size_t p = sign > 0 ? k : k + 1, q = sign > 0 ? k + 1 : k;
        // (p top, p bottom, q bottom) ends on q's bottom; (q bottom, q top, p top) on p's top.
        // Around the ring each bottom and each top vertex ends exactly one wall's triangle.
        for (unsigned v : {upper(p), lower(p), lower(q), lower(q), upper(q), upper(p)})
            mesh.triangles->push_back(v);
        (*mesh.normals)[lower(q)] = normal;
        (*mesh.normals)[upper(p)] = normal;
    }
}

void addRoofTriangles(const osg::Vec3Array& roof, const osg::Vec4ub& colour, BuildingMesh& mesh) {
    // The tessellator repeats corners across triangles; each corner becomes one vertex.
    std::map<std::pair<float, float>, unsigned> corners;
    for (const osg::Vec3& v : roof) {
        const auto key = std::make_pair(v.x(), v.y());
        auto found = corners.find(key);
        if (found == corners.end())
            found = corners.emplace(key, mesh.add(v, {0, 0, 1}, colour)).first;
        mesh.triangles->push_back(found->second);
    }
}

} // namespace

osg::Vec4 buildingColour(const std::string& use, bool planned) {
    osg::Vec4 colour(0.70f, 0.68f, 0.66f, 1.0f);
    if (contains(use, "office") || contains(use, "commercial"))
        colour = {0.58f, 0.64f, 0.74f, 1.0f};
    else if (contains(use, "warehouse") || contains(use, "storage"))
        colour = {0.74f, 0.64f, 0.50f, 1.0f};
    else if (contains(use, "power") || contains(use, "energy"))
        colour = {0.66f, 0.52f, 0.52f, 1.0f};
    else if (contains(use, "industr") || contains(use, "factory") || contains(use, "manufact"))
        colour = {0.64f, 0.60f, 0.57f, 1.0f};
    if (planned) {
        const osg::Vec4 tint(0.85f, 0.93f, 1.0f, 1.0f);
        colour = colour * 0.4f + tint * 0.6f;
    }
    return colour;
}

osg::ref_ptr<osg::Node> buildBuildings(const std::vector<Building>& buildings,
                                       const TerrainGrid& terrain) {
    // Square tiles of about 200 buildings, each one mesh: a view of part of the park culls
    // the tiles outside it, and a whole-park view still costs a handful of draw calls.
    Box2 box{{INFINITY, INFINITY}, {-INFINITY, -INFINITY}};
    std::vector<Vec2> centres(buildings.size());
    for (size_t k = 0; k < buildings.size(); ++k) {
        const Ring& outer = buildings[k].footprint.outer;
        Vec2 c{0, 0};
        for (const Vec2& p : outer)
            c = c + p * (1.0 / double(std::max<size_t>(outer.size(), 1)));
        centres[k] = c;
        box.min = {std::min(box.min.x, c.x), std::min(box.min.y, c.y)};
        box.max = {std::max(box.max.x, c.x), std::max(box.max.y, c.y)};
    }
    const int side = std::clamp(int(std::ceil(std::sqrt(double(buildings.size()) / 200.0))), 1, 8);
    auto tileOf = [&](Vec2 c) {
        auto index = [&](double v, double lo, double hi) {
            return hi > lo ? std::clamp(int((v - lo) / (hi - lo) * side), 0, side - 1) : 0;
        };
        return index(c.y, box.min.y, box.max.y) * side + index(c.x, box.min.x, box.max.x);
    };
    std::vector<BuildingMesh> tiles(size_t(side) * side);

    for (size_t k = 0; k < buildings.size(); ++k) {
        const Building& b = buildings[k];
        if (b.footprint.outer.size() < 3)
            continue;
        BuildingMesh& mesh = tiles[size_t(tileOf(centres[k]))];
        const osg::Vec4 colour = buildingColour(b.use, b.planned);
        double ground = b.baseElevation_m;
        for (const Vec2& p : b.footprint.outer)
            ground = std::min(ground, groundAt(terrain, p));
        const auto bottom = static_cast<float>(ground - 0.5);
        const auto top = static_cast<float>(b.baseElevation_m + std::max(b.height_m, 0.5));

        addWalls(b.footprint.outer, false, bottom, top, bytes(colour), mesh);
        for (const Ring& hole : b.footprint.holes)
            if (hole.size() >= 3)
                addWalls(hole, true, bottom, top, bytes(colour), mesh);

        osg::ref_ptr<osg::Vec3Array> roof = new osg::Vec3Array;
        addRoof(b.footprint, top, roof.get());
        // Roofs a shade lighter than walls: the eye reads the massing from the contrast.
        const osg::Vec4 roofColour(std::min(colour.r() * 1.12f, 1.0f),
                                   std::min(colour.g() * 1.12f, 1.0f),
                                   std::min(colour.b() * 1.12f, 1.0f), 1.0f);
        addRoofTriangles(*roof, bytes(roofColour), mesh);
    }

    osg::ref_ptr<osg::Geode> geode = new osg::Geode;
    geode->setName("buildings");
    for (BuildingMesh& mesh : tiles) {
        if (mesh.triangles->empty())
            continue;
        osg::ref_ptr<osg::Geometry> geometry = new osg::Geometry;
        geometry->setVertexArray(mesh.vertices);
        geometry->setNormalArray(mesh.normals, osg::Array::BIND_PER_VERTEX);
        geometry->setColorArray(mesh.colours, osg::Array::BIND_PER_VERTEX);
        geometry->addPrimitiveSet(mesh.triangles);
        geometry->setUseDisplayList(false);
        geometry->setUseVertexBufferObjects(true);
        geometry->setDataVariance(osg::Object::STATIC);
        geode->addDrawable(geometry);
    }
    osg::StateSet* state = geode->getOrCreateStateSet();
    // Closed prisms: faces turned away are never seen, and culling them halves the walls a
    // software rasteriser sets up.
    state->setMode(GL_CULL_FACE, osg::StateAttribute::ON);
    state->setAttributeAndModes(new osg::ShadeModel(osg::ShadeModel::FLAT));
    // The normals are unit vectors and nothing above scales them.
    state->setMode(GL_NORMALIZE, osg::StateAttribute::OFF);
    geode->setDataVariance(osg::Object::STATIC);
    return geode;
}

osg::ref_ptr<osg::Node> buildRoads(const std::vector<Road>& roads, const TerrainGrid& terrain,
                                   double lift_m) {
    auto vertices = new osg::Vec3Array;
    auto colours = new osg::Vec4Array;
    // All roads in one list of segments: one draw call however many roads there are.
    auto segments = new osg::DrawElementsUInt(GL_LINES);
    for (const Road& road : roads) {
        if (road.line.size() < 2)
            continue;
        const osg::Vec4 colour = road.planned ? osg::Vec4(0.95f, 0.55f, 0.15f, 1.0f)
                                              : osg::Vec4(0.22f, 0.22f, 0.24f, 1.0f);
        const auto points = drapeLine(road.line, false, terrain, lift_m);
        const auto first = static_cast<unsigned>(vertices->size());
        for (const Vec3& p : points) {
            vertices->push_back({float(p.x), float(p.y), float(p.z)});
            colours->push_back(colour);
        }
        for (unsigned k = 0; k + 1 < points.size(); ++k) {
            segments->push_back(first + k);
            segments->push_back(first + k + 1);
        }
    }
    osg::ref_ptr<osg::Geometry> geometry = new osg::Geometry;
    geometry->setVertexArray(vertices);
    geometry->setColorArray(colours, osg::Array::BIND_PER_VERTEX);
    geometry->addPrimitiveSet(segments);
    geometry->setUseDisplayList(false);
    geometry->setUseVertexBufferObjects(true);

    osg::StateSet* state = geometry->getOrCreateStateSet();
    state->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
    state->setAttributeAndModes(new osg::LineWidth(2.0f));

    osg::ref_ptr<osg::Geode> geode = new osg::Geode;
    geode->setName("roads");
    geode->addDrawable(geometry);
    return geode;
}

} // namespace parktwin::viewer
