#pragma once
// Camera presets framed on the park, and the orbit manipulator the interactive viewer uses.

#include <functional>
#include "engine/core/park.h"

#include <osg/Vec3d>
#include <osgGA/TrackballManipulator>

namespace parktwin::viewer {

enum class CameraPreset {
    ObliqueSouth, ///< looking north from the south, about 40 degrees down
    TopNorthUp,   ///< straight down, north at the top of the picture
};

/// Vertical field of view of every view, degrees.
inline constexpr double kFieldOfView_deg = 35.0;

struct CameraPose {
    osg::Vec3d eye;
    osg::Vec3d centre;
    osg::Vec3d up;
};

/// The box a camera frames: the park's modelling extent, else what the park holds
/// (terrain, buildings, stacks), else 2 km around the origin.
Box2 framingExtent(const ParkModel& park);

/// Eye, centre and up of a preset so `extent` (at ground height `groundZ_m`) fills a
/// width x height pixel view, less a strip of `leftInset_px` on the left (where the panel
/// sits), with a small margin.
CameraPose presetPose(CameraPreset preset, const Box2& extent, double groundZ_m, int width_px,
                      int height_px, double leftInset_px = 0);

/// A trackball that leaves alone the events the ImGui panel takes. osgViewer hands events to
/// the camera manipulator before the view's event handlers, so the handled flag set by the
/// panel's handler comes too late; the trackball asks the panel itself.
class PanelAwareTrackball : public osgGA::TrackballManipulator {
public:
    /// `wantsMouse` and `wantsKeyboard` report whether the panel claims the pointer or keys.
    void setPanelQuery(std::function<bool()> wantsMouse, std::function<bool()> wantsKeyboard) {
        wantsMouse_ = std::move(wantsMouse);
        wantsKeyboard_ = std::move(wantsKeyboard);
    }
    bool handle(const osgGA::GUIEventAdapter& ea, osgGA::GUIActionAdapter& us) override;

private:
    std::function<bool()> wantsMouse_;
    std::function<bool()> wantsKeyboard_;
};

} // namespace parktwin::viewer
