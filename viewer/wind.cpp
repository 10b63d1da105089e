#include "viewer/wind.h"

#include <cmath>
#include <osg/Geode>
#include <osg/Geometry>

namespace parktwin::viewer {

int windSector(double windFromDir_deg) {
    const double d = std::fmod(std::fmod(windFromDir_deg, 360.0) + 360.0, 360.0);
    return static_cast<int>(std::floor(d / 22.5 + 0.5)) % WindRose::kSectors;
}

WindRose windRose(const std::vector<MetHour>& met) {
    WindRose rose;
    for (const MetHour& h : met) {
        if (!std::isfinite(h.windSpeed_ms) || !std::isfinite(h.windFromDir_deg))
            continue;
        ++rose.totalHours;
        if (h.calm || h.windSpeed_ms <= 0) {
            ++rose.calmHours;
            continue;
        }
        size_t speedClass = 0;
        while (speedClass + 1 < WindRose::kClassTop_ms.size() &&
               h.windSpeed_ms >= WindRose::kClassTop_ms[speedClass])
            ++speedClass;
        ++rose.hours[windSector(h.windFromDir_deg)][speedClass];
    }
    return rose;
}

WindArrow::WindArrow(const Vec3& anchor, double length_m)
    : anchor_(anchor.x, anchor.y, anchor.z), transform_(new osg::MatrixTransform) {
    // An arrow one unit long pointing north (+y), its middle at the origin, in the plane z = 0.
    const float w = 0.12f, head = 0.3f, headW = 0.3f;
    auto vertices = new osg::Vec3Array;
    for (const osg::Vec3& v : {osg::Vec3(-w / 2, -0.5f, 0), osg::Vec3(w / 2, -0.5f, 0),
                               osg::Vec3(w / 2, 0.5f - head, 0), osg::Vec3(-w / 2, -0.5f, 0),
                               osg::Vec3(w / 2, 0.5f - head, 0), osg::Vec3(-w / 2, 0.5f - head, 0),
                               osg::Vec3(-headW, 0.5f - head, 0), osg::Vec3(headW, 0.5f - head, 0),
                               osg::Vec3(0, 0.5f, 0)})
        vertices->push_back(v * float(length_m));
    osg::ref_ptr<osg::Geometry> geometry = new osg::Geometry;
    geometry->setVertexArray(vertices);
    auto colour = new osg::Vec4Array;
    colour->push_back({0.10f, 0.20f, 0.55f, 1.0f});
    geometry->setColorArray(colour, osg::Array::BIND_OVERALL);
    geometry->addPrimitiveSet(new osg::DrawArrays(GL_TRIANGLES, 0, 9));
    osg::StateSet* state = geometry->getOrCreateStateSet();
    state->setMode(GL_LIGHTING, osg::StateAttribute::OFF | osg::StateAttribute::PROTECTED);
    state->setMode(GL_CULL_FACE, osg::StateAttribute::OFF);

    osg::ref_ptr<osg::Geode> geode = new osg::Geode;
    geode->setName("wind arrow");
    geode->addDrawable(geometry);
    transform_->addChild(geode);
    update(nullptr);
}

void WindArrow::update(const MetHour* hour) {
    if (!hour || hour->calm || !(hour->windSpeed_ms > 0)) {
        transform_->setNodeMask(0);
        return;
    }
    transform_->setNodeMask(~0u);
    // The wind blows towards from + 180 degrees, clockwise from north; OSG turns
    // counter-clockwise about +z.
    const double towards_rad = (hour->windFromDir_deg + 180.0) * M_PI / 180.0;
    transform_->setMatrix(osg::Matrixd::rotate(-towards_rad, osg::Vec3d(0, 0, 1)) *
                          osg::Matrixd::translate(anchor_));
}

} // namespace parktwin::viewer
