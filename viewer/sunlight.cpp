#include "viewer/sunlight.h"

#include <algorithm>

namespace parktwin::viewer {

Sunlight sunlight() {
    osg::Vec3 toward(-0.35f, -0.55f, 0.76f);
    toward.normalize();
    return {toward, {0.42f, 0.42f, 0.42f, 1.0f}, {0.70f, 0.70f, 0.68f, 1.0f},
            {0.10f, 0.10f, 0.10f, 1.0f}};
}

osg::Vec4 sunlit(const osg::Vec4& colour, const osg::Vec3& normal) {
    const Sunlight sun = sunlight();
    const float facing = std::max(0.0f, normal * sun.towardSun);
    osg::Vec4 lit;
    for (int k = 0; k < 3; ++k)
        lit[k] = std::min(1.0f, colour[k] * (sun.scene[k] + sun.ambient[k] + facing * sun.diffuse[k]));
    lit[3] = colour[3];
    return lit;
}

} // namespace parktwin::viewer
