#include "viewer/trucks.h"

#include "viewer/terrain_mesh.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace parktwin::viewer {

namespace {
constexpr int kVerticesPerTruck = 20; // five faces (no floor) of four corners
}

TruckLayer::TruckLayer(const std::vector<TruckTrack>& trucks, const TerrainGrid& terrain,
                       const Box2& extent)
    : trucks_(trucks), terrain_(terrain), geode_(new osg::Geode), geometry_(new osg::Geometry) {
    const double span = extent.valid() ? std::max(extent.width(), extent.height()) : 2000.0;
    length_m_ = std::max(12.0, span / 150.0);
    const size_t n = trucks.size() * kVerticesPerTruck;
    auto vertices = new osg::Vec3Array(n);
    auto normals = new osg::Vec3Array(n);
    auto colours = new osg::Vec4Array;
    colours->push_back({0.95f, 0.80f, 0.10f, 1.0f}); // yellow: stands out on roads and roofs
    geometry_->setVertexArray(vertices);
    geometry_->setNormalArray(normals, osg::Array::BIND_PER_VERTEX);
    geometry_->setColorArray(colours, osg::Array::BIND_OVERALL);
    quads_ = new osg::DrawArrays(GL_QUADS, 0, 0);
    geometry_->addPrimitiveSet(quads_);
    geometry_->setDataVariance(osg::Object::DYNAMIC);
    geometry_->setUseDisplayList(false);
    geometry_->setUseVertexBufferObjects(true);
    geode_->setName("trucks");
    geode_->addDrawable(geometry_);
}

void TruckLayer::update(double t_s) {
    auto* vertices = static_cast<osg::Vec3Array*>(geometry_->getVertexArray());
    auto* normals = static_cast<osg::Vec3Array*>(geometry_->getNormalArray());
    const float l = float(length_m_ / 2), w = float(length_m_ / 6), h = float(length_m_ / 3);
    size_t at = 0;
    shown_ = 0;
    for (const TruckTrack& truck : trucks_) {
        const auto p = truckPositionAt(truck, t_s);
        if (!p)
            continue;
        // Heading from where the truck was a few seconds earlier and will be a few later.
        const auto before = truckPositionAt(truck, t_s - 2).value_or(*p);
        const auto after = truckPositionAt(truck, t_s + 2).value_or(*p);
        Vec2 d = after - before;
        const double len = length(d);
        d = len > 1e-6 ? d * (1 / len) : Vec2{1, 0};
        const osg::Vec3 ahead(float(d.x), float(d.y), 0), side(float(-d.y), float(d.x), 0),
            up(0, 0, 1);
        const osg::Vec3 base(float(p->x), float(p->y), float(groundAt(terrain_, *p)));
        auto corner = [&](float a, float s, float z) {
            return base + ahead * (a * l) + side * (s * w) + up * (z * h);
        };
        const std::array<std::pair<osg::Vec3, std::array<osg::Vec3, 4>>, 5> faces{{
            {up, {corner(-1, -1, 1), corner(1, -1, 1), corner(1, 1, 1), corner(-1, 1, 1)}},
            {ahead, {corner(1, -1, 0), corner(1, 1, 0), corner(1, 1, 1), corner(1, -1, 1)}},
            {-ahead, {corner(-1, 1, 0), corner(-1, -1, 0), corner(-1, -1, 1), corner(-1, 1, 1)}},
            {side, {corner(1, 1, 0), corner(-1, 1, 0), corner(-1, 1, 1), corner(1, 1, 1)}},
            {-side, {corner(-1, -1, 0), corner(1, -1, 0), corner(1, -1, 1), corner(-1, -1, 1)}},
        }};
        for (const auto& [normal, corners] : faces) {
            for (const osg::Vec3& c : corners) {
                (*vertices)[at] = c;
                (*normals)[at] = normal;
                ++at;
            }
        }
        ++shown_;
    }
    quads_->setCount(GLsizei(at));
    vertices->dirty();
    normals->dirty();
    geometry_->dirtyBound();
}

} // namespace parktwin::viewer
