#pragma once
// One window showing one ViewContent: the scene, the camera and the ImGui panel. Both the
// interactive viewer and the headless snapshot drive one of these.

#include "viewer/camera.h"
#include "viewer/colormap.h"
#include "viewer/imgui_adapter.h"
#include "viewer/panels.h"
#include "viewer/view_content.h"

#include <osg/Matrixd>
#include <osg/Switch>
#include <osgViewer/Viewer>
#include <string>
#include <vector>

namespace parktwin::viewer {

struct SessionOptions {
    int width = 1280;
    int height = 720;
    int x = 0;
    int y = 0;
    bool decorated = true;   ///< window-manager frame; snapshots go without
    bool interactive = true; ///< orbit manipulator and input; snapshots fix the camera
    bool showPanel = true;
    std::string title = "ParkTwin";
    std::string fontPath = kDefaultFontPath;
    GridChoice grid;
    CameraPreset camera = CameraPreset::ObliqueSouth;
    double colourRange = 1000; ///< ratio of the colour scale's top to its floor
};

class ViewerSession {
public:
    /// Opens a window on the X display named by $DISPLAY and builds the scene. Throws
    /// parktwin::Error when no window can be made (no display) or content.park is null.
    ViewerSession(const ViewContent& content, const SessionOptions& options);
    ~ViewerSession();
    ViewerSession(const ViewerSession&) = delete;
    ViewerSession& operator=(const ViewerSession&) = delete;

    /// Applies what the panel asked for last frame (layers, hour, camera) and renders a frame.
    void frame();

    /// Renders a frame and reads the window's colour buffer back, ImGui included: RGB bytes,
    /// top row first, width * height * 3 of them.
    std::vector<unsigned char> frameAndCapture();

    /// Moves the camera to a preset (and the manipulator's home with it).
    void setPreset(CameraPreset preset);

    /// Shows another grid; the drape is rebuilt.
    void setGrid(GridChoice choice);

    /// View x projection x window matrix of the last frame: local frame (x east, y north,
    /// z metres) to window pixels, origin bottom-left (OSG row-vector convention).
    osg::Matrixd viewProjectionWindow() const;

    osgViewer::Viewer& viewer() { return *viewer_; }
    osgViewer::GraphicsWindow* window() const { return window_.get(); }
    ImGuiLayer& imgui() { return *imgui_; }
    PanelState& panel() { return panel_; }
    const LogScale& scale() const { return scale_; }
    const GridPeak& peak() const { return peak_; }
    int width() const { return width_; }
    int height() const { return height_; }

private:
    void buildScene();
    void rebuildPlume();
    void applyPanel();

    const ViewContent& content_;
    SessionOptions options_;
    int width_ = 0, height_ = 0;
    Box2 frameBox_;
    double groundZ_m_ = 0;
    double lift_m_ = 1;
    LogScale scale_;
    GridPeak peak_;
    PanelState panel_;
    GridChoice shownGrid_;

    osg::ref_ptr<osgViewer::Viewer> viewer_;
    osg::ref_ptr<osgViewer::GraphicsWindow> window_;
    osg::ref_ptr<ImGuiLayer> imgui_;
    osg::ref_ptr<osg::Switch> layers_;
    osg::ref_ptr<osg::Group> plumeGroup_;
    osg::ref_ptr<osgGA::TrackballManipulator> manipulator_;
    struct Capture;
    osg::ref_ptr<Capture> capture_;
};

} // namespace parktwin::viewer
