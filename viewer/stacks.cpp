#include "viewer/stacks.h"

#include <algorithm>
#include <cmath>
#include <osg/Geode>
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

} // namespace parktwin::viewer
