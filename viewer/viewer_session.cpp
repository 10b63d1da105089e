#include "viewer/viewer_session.h"

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "viewer/buildings.h"
#include "viewer/plume_drape.h"
#include "viewer/stacks.h"
#include "viewer/terrain_mesh.h"

#include <cmath>
#include <cstdlib>
#include <osg/GL>
#include <osg/Light>
#include <osg/Material>
#include <osg/Viewport>

namespace parktwin::viewer {

namespace {

enum Layer : unsigned { Terrain, Areas, Buildings, Roads, Stacks, Plume };

double contentMaximum(const ViewContent& content) {
    double best = gridPeak(content.periodMax).value_ugm3;
    for (const RasterGrid& g : content.hourly)
        best = std::max(best, gridPeak(g).value_ugm3);
    return best;
}

} // namespace

/// Reads the back buffer after everything (ImGui included) is drawn, before the swap.
struct ViewerSession::Capture : public osg::Camera::DrawCallback {
    mutable bool armed = false;
    mutable std::vector<unsigned char> rgb;
    int width = 0, height = 0;

    void operator()(osg::RenderInfo&) const override {
        if (!armed)
            return;
        armed = false;
        std::vector<unsigned char> upsideDown(static_cast<size_t>(width) * height * 3);
        glReadBuffer(GL_BACK);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, upsideDown.data());
        rgb.resize(upsideDown.size());
        const size_t row = static_cast<size_t>(width) * 3;
        for (int y = 0; y < height; ++y)
            std::copy_n(upsideDown.data() + (height - 1 - y) * row, row, rgb.data() + y * row);
    }
};

ViewerSession::ViewerSession(const ViewContent& content, const SessionOptions& options)
    : content_(content), options_(options), width_(options.width), height_(options.height) {
    if (!content.park)
        throw Error("viewer: no park to show");
    const char* display = std::getenv("DISPLAY");
    if (!display || !*display)
        throw Error("viewer: no X display (DISPLAY is not set); run under xvfb-run for "
                    "headless pictures");

    osg::ref_ptr<osg::GraphicsContext::Traits> traits = new osg::GraphicsContext::Traits;
    traits->readDISPLAY(); // follow $DISPLAY (xvfb-run -a picks a free one) instead of :0
    traits->setUndefinedScreenDetailsToDefaultScreen();
    traits->x = options.x;
    traits->y = options.y;
    traits->width = options.width;
    traits->height = options.height;
    traits->windowDecoration = options.decorated;
    traits->doubleBuffer = true;
    traits->windowName = options.title;
    osg::ref_ptr<osg::GraphicsContext> gc =
        osg::GraphicsContext::createGraphicsContext(traits.get());
    window_ = dynamic_cast<osgViewer::GraphicsWindow*>(gc.get());
    if (!window_)
        throw Error("viewer: could not open a " + std::to_string(options.width) + "x" +
                    std::to_string(options.height) + " OpenGL window on display " + display);

    viewer_ = new osgViewer::Viewer;
    // ImGui's state is touched from event handling and drawing: keep them on one thread.
    viewer_->setThreadingModel(osgViewer::Viewer::SingleThreaded);
    osg::Camera* camera = viewer_->getCamera();
    camera->setGraphicsContext(gc.get());
    camera->setViewport(new osg::Viewport(0, 0, options.width, options.height));
    camera->setProjectionMatrixAsPerspective(kFieldOfView_deg,
                                             double(options.width) / options.height, 1.0, 1e5);
    camera->setDrawBuffer(GL_BACK);
    camera->setReadBuffer(GL_BACK);
    camera->setClearColor(osg::Vec4(0.80f, 0.86f, 0.92f, 1.0f));

    viewer_->setLightingMode(osg::View::SKY_LIGHT);
    osg::Light* sun = viewer_->getLight();
    sun->setPosition(osg::Vec4(-0.35f, -0.55f, 0.76f, 0.0f)); // from the south-west, high
    sun->setAmbient(osg::Vec4(0.42f, 0.42f, 0.42f, 1.0f));
    sun->setDiffuse(osg::Vec4(0.70f, 0.70f, 0.68f, 1.0f));
    sun->setSpecular(osg::Vec4(0, 0, 0, 1));

    frameBox_ = framingExtent(*content.park);
    groundZ_m_ = groundAt(content.park->terrain, frameBox_.centre());
    lift_m_ = overlayLift_m(frameBox_);
    scale_ = scaleForMaximum(contentMaximum(content), options.colourRange);
    panel_.grid = options.grid;
    buildScene();

    if (options.showPanel) {
        imgui_ = new ImGuiLayer([this] { drawParkPanel(content_, scale_, peak_, panel_); },
                                options.fontPath);
        imgui_->attach(*viewer_);
    }
    capture_ = new Capture;
    capture_->width = options.width;
    capture_->height = options.height;
    camera->setFinalDrawCallback(capture_.get());

    if (options.interactive) {
        osg::ref_ptr<PanelAwareTrackball> trackball = new PanelAwareTrackball;
        trackball->setAutoComputeHomePosition(false);
        if (ImGuiLayer* layer = imgui_.get())
            trackball->setPanelQuery([layer] { return layer->wantCaptureMouse(); },
                                     [layer] { return layer->wantCaptureKeyboard(); });
        manipulator_ = trackball;
        viewer_->setCameraManipulator(manipulator_.get(), false);
    } else {
        viewer_->setCameraManipulator(nullptr);
    }
    setPreset(options.camera);
    viewer_->realize();
    log::get("viewer").info("showing '{}': {} buildings, {} stacks, window {}x{}",
                            content.park->name, content.park->buildings.size(),
                            content.park->stacks.size(), options.width, options.height);
}

ViewerSession::~ViewerSession() {
    if (imgui_ && window_ && window_->valid() && window_->makeCurrent()) {
        imgui_->releaseGl();
        window_->releaseContext();
    }
}

void ViewerSession::buildScene() {
    const ParkModel& park = *content_.park;
    osg::ref_ptr<osg::Group> root = new osg::Group;
    osg::StateSet* state = root->getOrCreateStateSet();
    auto material = new osg::Material;
    material->setColorMode(osg::Material::AMBIENT_AND_DIFFUSE);
    state->setAttributeAndModes(material);
    state->setMode(GL_LIGHTING, osg::StateAttribute::ON);
    state->setMode(GL_NORMALIZE, osg::StateAttribute::ON);

    layers_ = new osg::Switch;
    layers_->addChild(buildTerrain(park.terrain, frameBox_), true);

    // Lines sit above the plume drape so outlines and roads stay readable over a plume.
    const double lineLift_m = 2.5 * lift_m_;
    osg::ref_ptr<osg::Group> areas = new osg::Group;
    areas->addChild(buildAreaOutlines(park.areas, park.terrain,
                                      osg::Vec4(0.30f, 0.30f, 0.42f, 1.0f), 1.5f, lineLift_m));
    areas->addChild(buildAreaOutlines(park.boundary, park.terrain,
                                      osg::Vec4(0.98f, 0.98f, 0.98f, 1.0f), 2.5f, lineLift_m));
    layers_->addChild(areas, true);
    layers_->addChild(buildBuildings(park.buildings, park.terrain), true);
    layers_->addChild(buildRoads(park.roads, park.terrain, lineLift_m), true);
    layers_->addChild(buildStacks(park.stacks, frameBox_), true);
    plumeGroup_ = new osg::Group;
    layers_->addChild(plumeGroup_, true);
    root->addChild(layers_);

    shownGrid_ = GridChoice{-2}; // forces the first build
    rebuildPlume();
    viewer_->setSceneData(root);
}

void ViewerSession::rebuildPlume() {
    if (shownGrid_.hour == panel_.grid.hour)
        return;
    shownGrid_ = panel_.grid;
    plumeGroup_->removeChildren(0, plumeGroup_->getNumChildren());
    const RasterGrid* grid = chosenGrid(content_, panel_.grid);
    peak_ = grid ? gridPeak(*grid) : GridPeak{};
    if (grid)
        plumeGroup_->addChild(buildPlumeDrape(*grid, scale_, content_.park->terrain, lift_m_));
}

void ViewerSession::applyPanel() {
    const LayerToggles& t = panel_.layers;
    layers_->setValue(Terrain, t.terrain);
    layers_->setValue(Areas, t.areas);
    layers_->setValue(Buildings, t.buildings);
    layers_->setValue(Roads, t.roads);
    layers_->setValue(Stacks, t.stacks);
    layers_->setValue(Plume, t.plume);
    rebuildPlume();
    if (panel_.presetRequest) {
        setPreset(*panel_.presetRequest);
        panel_.presetRequest.reset();
    }
}

void ViewerSession::frame() {
    applyPanel();
    viewer_->frame();
}

std::vector<unsigned char> ViewerSession::frameAndCapture() {
    capture_->armed = true;
    frame();
    return std::move(capture_->rgb);
}

void ViewerSession::setPreset(CameraPreset preset) {
    const double inset = options_.showPanel ? kPanelWidth_px + 16 : 0.0;
    const CameraPose pose = presetPose(preset, frameBox_, groundZ_m_, width_, height_, inset);
    if (manipulator_) {
        manipulator_->setHomePosition(pose.eye, pose.centre, pose.up);
        manipulator_->home(0.0);
    } else {
        viewer_->getCamera()->setViewMatrixAsLookAt(pose.eye, pose.centre, pose.up);
    }
}

void ViewerSession::setGrid(GridChoice choice) {
    panel_.grid = choice;
    rebuildPlume();
}

osg::Matrixd ViewerSession::viewProjectionWindow() const {
    const osg::Camera* camera = viewer_->getCamera();
    return camera->getViewMatrix() * camera->getProjectionMatrix() *
           camera->getViewport()->computeWindowMatrix();
}

} // namespace parktwin::viewer
