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

CameraPose presetPose(CameraPreset preset, const Box2& extent, double groundZ_m, int width_px,
                      int height_px, double leftInset_px) {
    const double tanHalf = std::tan(kFieldOfView_deg * M_PI / 360.0);
    const double height = std::max(height_px, 1);
    const double inset = std::clamp(leftInset_px, 0.0, 0.6 * width_px);
    const double usable = std::max(width_px - inset, 1.0);
    const double halfW = extent.width() / 2, halfH = extent.height() / 2;
    const Vec2 c = extent.centre();
    const double fit = std::max(halfH / tanHalf, halfW / (tanHalf * usable / height));
    // The box is centred in the part right of the inset: the eye looks at a point
    // inset / 2 pixels (converted to metres at the box's distance) west of the box centre.
    const double metresPerPixel = 2.0 * fit * tanHalf / height;
    const double shift_m = inset / 2 * metresPerPixel;
    const osg::Vec3d centre(c.x - shift_m, c.y, groundZ_m);

    if (preset == CameraPreset::TopNorthUp)
        return {centre + osg::Vec3d(0, 0, fit * 1.05), centre, osg::Vec3d(0, 1, 0)};

    // From the south at 40 degrees elevation, a fifth farther than the top view: the box's
    // near edge comes closer to the eye and widens in perspective.
    const double elevation = 40.0 * M_PI / 180.0;
    const double distance = 1.2 * fit;
    const osg::Vec3d eye =
        centre + osg::Vec3d(0, -distance * std::cos(elevation), distance * std::sin(elevation));
    return {eye, centre, osg::Vec3d(0, 0, 1)};
}

bool PanelAwareTrackball::handle(const osgGA::GUIEventAdapter& ea, osgGA::GUIActionAdapter& us) {
    using E = osgGA::GUIEventAdapter;
    if (ea.getHandled())
        return false;
    switch (ea.getEventType()) {
    case E::PUSH:
    case E::RELEASE:
    case E::DOUBLECLICK:
    case E::DRAG:
    case E::MOVE:
    case E::SCROLL:
        if (wantsMouse_ && wantsMouse_())
            return false;
        break;
    case E::KEYDOWN:
    case E::KEYUP:
        if (wantsKeyboard_ && wantsKeyboard_())
            return false;
        break;
    default:
        break;
    }
    return osgGA::TrackballManipulator::handle(ea, us);
}

} // namespace parktwin::viewer
