#include "viewer/stacks.h"

#include "engine/dispersion/plume_rise.h"
#include "engine/dispersion/wind_profile.h"

#include <algorithm>
#include <cmath>
#include <osg/Geode>
#include <osg/Geometry>
#include <osg/LineWidth>
#include <osg/Shape>
#include <osg/ShapeDrawable>

namespace parktwin::viewer {

double stackDrawRadius_m(const Stack& stack, const Box2& extent) {
    const double span = extent.valid() ? std::max(extent.width(), extent.height()) : 2000.0;
    return std::max(stack.diameter_m / 2.0, span * 0.003);
}

osg::ref_ptr<osg::Node> buildStacks(const std::vector<Stack>& stacks, const Box2& extent) {
    osg::ref_ptr<osg::Geode> geode = new osg::Geode;
    geode->setName("stacks");
    auto hints = new osg::TessellationHints;
    hints->setDetailRatio(0.6f);
    for (const Stack& s : stacks) {
        const double radius = stackDrawRadius_m(s, extent);
        const double height = std::max(s.height_m, 1.0);
        const osg::Vec3 base(float(s.position.x), float(s.position.y), float(s.baseElevation_m));

        auto cylinder = new osg::Cylinder(base + osg::Vec3(0, 0, float(height / 2)), float(radius),
                                          float(height));
        auto body = new osg::ShapeDrawable(cylinder, hints);
        body->setColor(s.planned ? osg::Vec4(0.86f, 0.88f, 0.95f, 1.0f)
                                 : osg::Vec4(0.75f, 0.74f, 0.72f, 1.0f));
        geode->addDrawable(body);

        auto sphere = new osg::Sphere(base + osg::Vec3(0, 0, float(height)), float(radius * 2));
        auto marker = new osg::ShapeDrawable(sphere, hints);
        marker->setColor(s.planned ? osg::Vec4(1.0f, 0.6f, 0.1f, 1.0f)
                                   : osg::Vec4(0.12f, 0.12f, 0.14f, 1.0f));
        geode->addDrawable(marker);
    }
    return geode;
}


std::vector<Vec3> plumeRisePath(const Stack& stack, const MetHour& hour,
                                dispersion::LandUse landUse) {
    using namespace dispersion;
    const double windAtStack_ms =
        stackHeightWind_ms(hour.calm ? 1.0 : hour.windSpeed_ms, hour.anemometerHeight_m,
                           stack.height_m, landUse, hour.stability);
    const double release_m = stackTipDownwashHeight_m(stack.height_m, stack.diameter_m,
                                                      stack.exitVelocity_ms, windAtStack_ms);
    // A stack without exit conditions (no velocity or temperature given) is drawn without
    // rise: the fluxes are undefined for it.
    const bool exhaust = stack.exitVelocity_ms > 0 && stack.exitTemperature_K > 0 &&
                         stack.diameter_m > 0;
    const PlumeRise rise = exhaust ? briggsPlumeRise(stack.diameter_m, stack.exitVelocity_ms,
                                                     stack.exitTemperature_K, hour.temperature_K,
                                                     windAtStack_ms, hour.stability)
                                   : PlumeRise{};
    const Vec3 top{stack.position.x, stack.position.y, stack.baseElevation_m + release_m};
    std::vector<Vec3> path;
    if (hour.calm) {
        path = {top, {top.x, top.y, top.z + rise.final_m}};
        return path;
    }
    // Downwind is where the wind blows to: from + 180 degrees, clockwise from north.
    const double towards = (hour.windFromDir_deg + 180.0) * M_PI / 180.0;
    const Vec2 downwind{std::sin(towards), std::cos(towards)};
    const double reach_m = std::max(rise.finalDistance_m, 1.0) * 1.2;
    for (int k = 0; k <= 16; ++k) {
        const double x = reach_m * k / 16;
        const Vec2 p = stack.position + downwind * x;
        path.push_back({p.x, p.y, top.z + gradualRise_m(rise, x)});
    }
    return path;
}

osg::ref_ptr<osg::Node> buildPlumeRise(const std::vector<Stack>& stacks, const MetHour& hour,
                                       dispersion::LandUse landUse) {
    auto vertices = new osg::Vec3Array;
    osg::ref_ptr<osg::Geometry> geometry = new osg::Geometry;
    for (const Stack& s : stacks) {
        const auto path = plumeRisePath(s, hour, landUse);
        const auto first = GLint(vertices->size());
        for (const Vec3& p : path)
            vertices->push_back({float(p.x), float(p.y), float(p.z)});
        geometry->addPrimitiveSet(new osg::DrawArrays(GL_LINE_STRIP, first, GLsizei(path.size())));
    }
    geometry->setVertexArray(vertices);
    auto colour = new osg::Vec4Array;
    colour->push_back({0.97f, 0.97f, 0.97f, 1.0f});
    geometry->setColorArray(colour, osg::Array::BIND_OVERALL);
    osg::StateSet* state = geometry->getOrCreateStateSet();
    state->setMode(GL_LIGHTING, osg::StateAttribute::OFF | osg::StateAttribute::PROTECTED);
    state->setAttributeAndModes(new osg::LineWidth(4.0f));
    osg::ref_ptr<osg::Geode> geode = new osg::Geode;
    geode->setName("plume rise");
    geode->addDrawable(geometry);
    return geode;
}

} // namespace parktwin::viewer
