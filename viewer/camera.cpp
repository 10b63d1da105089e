#include "viewer/camera.h"

#include <algorithm>
#include <cmath>

namespace parktwin::viewer {

Box2 framingExtent(const ParkModel& park) {
    if (park.extent.valid())
        return park.extent;
    Box2 box;
    if (!park.terrain.flat())
        box.expand(park.terrain.heights.extent());
    for (const Building& b : park.buildings)
        box.expand(bounds(b.footprint.outer));
    for (const Stack& s : park.stacks)
        box.expand(s.position);
    if (!box.valid() || box.width() + box.height() <= 0)
        box = Box2{{-1000, -1000}, {1000, 1000}};
    return box;
}

CameraPose presetPose(CameraPreset preset, const Box2& extent, double groundZ_m, double aspect) {
    const double halfFov = kFieldOfView_deg * M_PI / 360.0;
    const double halfW = extent.width() / 2, halfH = extent.height() / 2;
    const Vec2 c = extent.centre();
    const osg::Vec3d centre(c.x, c.y, groundZ_m);
    const double fit = std::max(halfH / std::tan(halfFov),
                                halfW / (std::tan(halfFov) * std::max(aspect, 0.1)));

    if (preset == CameraPreset::TopNorthUp)
        return {centre + osg::Vec3d(0, 0, fit * 1.05), centre, osg::Vec3d(0, 1, 0)};

    // From the south at 40 degrees elevation; a little farther out than the top view since
    // the near edge of the box comes closer to the eye.
    const double elevation = 40.0 * M_PI / 180.0;
    const double distance = fit * 1.25;
    const osg::Vec3d eye =
        centre + osg::Vec3d(0, -distance * std::cos(elevation), distance * std::sin(elevation));
    return {eye, centre, osg::Vec3d(0, 0, 1)};
}

bool PanelAwareTrackball::handle(const osgGA::GUIEventAdapter& ea, osgGA::GUIActionAdapter& us) {
    if (ea.getHandled())
        return false;
    return osgGA::TrackballManipulator::handle(ea, us);
}

} // namespace parktwin::viewer
