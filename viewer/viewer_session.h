#pragma once
// One window showing one ViewContent: the scene, the camera and the ImGui panel. Both the
// interactive viewer and the headless snapshot drive one of these.

#include "viewer/camera.h"
#include "viewer/colormap.h"
#include "viewer/imgui_adapter.h"
#include "viewer/panels.h"
#include "viewer/view_content.h"
#include "viewer/plume_slice.h"
#include "viewer/what_if.h"

#include <chrono>
#include <memory>
#include <optional>
#include <osg/Matrixd>
#include <osg/Switch>
#include <osgViewer/Viewer>
#include <string>
#include <vector>

namespace parktwin::physics {
class ParkWorld;
}

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
    GridChoice grid;             ///< first grid shown, when `at` is not given
    std::optional<UtcTime> at;   ///< first instant shown
    CameraPreset camera = CameraPreset::ObliqueSouth;
    double colourRange = 1000; ///< ratio of the colour scale's top to its floor
    /// Draw the ground, outlines, buildings and roads once per view and reuse the picture
    /// while only the timeline moves; off, every layer is drawn every frame.
    bool cacheStaticLayers = true;
};

class PlumeDrape;
class SensorLayer;
class TruckLayer;
class WindArrow;
class StaticLayerCache;

class ViewerSession {
public:
    /// Opens a window on the X display named by $DISPLAY and builds the scene. Throws
    /// parktwin::Error when no window can be made (no display) or content.park is null.
    ViewerSession(const ViewContent& content, const SessionOptions& options);
    ~ViewerSession();
    ViewerSession(const ViewerSession&) = delete;
    ViewerSession& operator=(const ViewerSession&) = delete;

    /// Applies what the panels asked for last frame (layers, time, camera, selection), moves
    /// the timeline on when it plays, and renders a frame.
    void frame();

    /// Renders a frame and reads the window's colour buffer back, ImGui included: RGB bytes,
    /// top row first, width * height * 3 of them.
    std::vector<unsigned char> frameAndCapture();

    /// Moves the camera to a preset (and the manipulator's home with it).
    void setPreset(CameraPreset preset);

    /// Shows another grid: an hour (the timeline moves to its start) or the period maximum.
    void setGrid(GridChoice choice);

    /// Moves the timeline to instant t (seconds since the epoch, UTC) and stops it.
    void setTime(double t_s);

    /// What lies under window pixel (column, row from the top-left): a sensor pin within
    /// 12 px, else the first building, stack or ground the view ray meets (Bullet ray cast
    /// against the park's collision world); nullopt when the ray meets nothing.
    std::optional<Selection> pick(float column, float row) const;

    /// Picks at a window pixel and makes the result the inspector's selection (cleared when
    /// nothing is there).
    void selectAt(float column, float row);

    /// What a click (press and release in place, not on a panel) at a window pixel does:
    /// places what the What-if panel is placing, else selects.
    void clickAt(float column, float row);

    /// Places the What-if panel's next building or stack where the view ray through the
    /// window pixel meets open ground (Bullet ray cast), with the panel's dimensions; the
    /// scene shows it at once. Returns false (with the reason in the panel's status) when
    /// nothing is being placed, a run is under way, or the ray meets no open ground.
    bool placeAt(float column, float row);

    /// Runs the scenario again with the What-if panel's edit on a worker thread; frames go
    /// on meanwhile and show its progress. When it ends the run becomes a variant of the
    /// content, chosen, with its change from the baseline on the map.
    void startWhatIf();
    bool whatIfRunning() const { return whatIfRun_ != nullptr; }
    /// Blocks until the what-if run under way (if any) has ended, and takes its result in.
    void waitForWhatIf();

    /// The content shown: the one given, with the variants of what-if runs added.
    const ViewContent& content() const { return content_; }
    /// The figures of the baseline, then of each variant, as the What-if panel shows them.
    const std::vector<RunFigures>& figures() const { return view_.figures; }
    /// The grid on the map in the last frame (a change grid when a change is shown); null
    /// when none.
    const RasterGrid* gridShown() const;
    /// The vertical slice along the plume drawn in the last frame (empty when none is).
    const PlumeSlice& sliceShown() const { return sliceShown_; }
    /// The slice's own colour scale (set while a slice is shown).
    const std::optional<LogScale>& sliceScale() const { return view_.sliceScale; }
    /// The scale of the change shown (meaningful while one is).
    const DivergingScale& changeScale() const { return view_.changeScale; }

    /// View x projection x window matrix of the last frame: local frame (x east, y north,
    /// z metres) to window pixels, origin bottom-left (OSG row-vector convention).
    osg::Matrixd viewProjectionWindow() const;

    osgViewer::Viewer& viewer() { return *viewer_; }
    osgViewer::GraphicsWindow* window() const { return window_.get(); }
    ImGuiLayer& imgui() { return *imgui_; }
    PanelState& panel() { return panel_; }
    const LogScale& scale() const { return scale_; }
    const GridPeak& peak() const { return view_.peak; }
    /// Index of the hour shown, -1 when none (or the period maximum is shown).
    int hourShown() const { return view_.hour; }
    /// Trucks drawn in the last frame.
    int trucksShown() const;
    /// The cache of the static layers: how often it was re-rendered and reused.
    /// Null when the session draws every layer every frame.
    const StaticLayerCache* layerCache() const { return cache_.get(); }
    int width() const { return width_; }
    int height() const { return height_; }

private:
    void buildScene();
    void applyPanel();
    void pollWhatIf();
    void addWhatIfVariant(scenario::RunResult result, const WhatIfEdit& edit);
    void rebuildProposals();
    /// The view ray through a window pixel: its near and far points, local frame.
    std::pair<Vec3, Vec3> viewRay(float column, float row) const;
    void advanceTimeline();
    void updateTimed();
    void updateFlight();
    void updateSlice(const MetHour* met);
    void fitNearFar();
    void startLayerCache(int width, int height);
    void stopLayerCache();
    void flyTo(const Selection& selection);

    ViewContent content_;
    SessionOptions options_;
    int width_ = 0, height_ = 0;
    Box2 frameBox_;
    double groundZ_m_ = 0;
    double lift_m_ = 1;
    LogScale scale_;
    PanelState panel_;
    PanelView view_;
    GridChoice shownGrid_{-2, -2};
    RasterGrid changeGrid_;                    ///< the change shown, when one is
    std::vector<DivergingScale> changeScales_; ///< per variant
    int placedBuildings_ = 0, placedStacks_ = 0, whatIfRuns_ = 0;
    int shownRiseHour_ = -2;
    int sliceHour_ = -2, sliceVariant_ = -2;
    PlumeSlice sliceShown_;
    std::chrono::steady_clock::time_point lastFrame_;
    bool firstFrame_ = true;

    /// A camera move under way to the selection: the orbit centre and distance glide over
    /// a short time.
    struct Flight {
        osg::Vec3d fromCentre, toCentre;
        double fromDistance = 0, toDistance = 0;
        double progress = 1; ///< 0 at start, 1 done
    } flight_;

    osg::ref_ptr<osgViewer::Viewer> viewer_;
    osg::ref_ptr<osgViewer::GraphicsWindow> window_;
    osg::ref_ptr<ImGuiLayer> imgui_;
    osg::ref_ptr<osg::Switch> layers_;
    std::unique_ptr<StaticLayerCache> cache_;
    osg::ref_ptr<osg::Group> plumeRise_;
    osg::ref_ptr<osg::Group> proposals_; ///< planned buildings of the what-if edit
    osg::ref_ptr<osg::Group> slice_;     ///< the vertical slice along the plume, when shown
    std::unique_ptr<PlumeDrape> plume_;
    std::unique_ptr<SensorLayer> sensors_;
    std::unique_ptr<TruckLayer> trucks_;
    std::unique_ptr<WindArrow> wind_;
    std::unique_ptr<physics::ParkWorld> world_;
    osg::ref_ptr<osgGA::TrackballManipulator> manipulator_;
    struct Capture;
    osg::ref_ptr<Capture> capture_;
    std::unique_ptr<WhatIfRun> whatIfRun_;
};

} // namespace parktwin::viewer
