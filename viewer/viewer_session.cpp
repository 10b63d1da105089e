#include "viewer/viewer_session.h"

#include "viewer/layer_cache.h"

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/physics/park_world.h"
#include "viewer/buildings.h"
#include "viewer/plume_drape.h"
#include "viewer/plume_slice.h"
#include "viewer/sensor_markers.h"
#include "viewer/stacks.h"
#include "viewer/terrain_mesh.h"
#include "viewer/trucks.h"
#include "viewer/wind.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <tuple>
#include <osg/Depth>
#include <osg/GL>
#include <osg/Light>
#include <osg/Material>
#include <osg/Viewport>

namespace parktwin::viewer {

namespace {

enum Layer : unsigned {
    Terrain,
    Areas,
    Buildings,
    Roads,
    Stacks,
    PlumeRise,
    Plume,
    Sensors,
    Trucks,
    Wind,
    Proposals,
    Slice
};

/// Turns a click (press and release within a few pixels, not on a panel) into a pick.
class ClickPicker : public osgGA::GUIEventHandler {
public:
    explicit ClickPicker(ViewerSession* session) : session_(session) {}
    bool handle(const osgGA::GUIEventAdapter& ea, osgGA::GUIActionAdapter&) override {
        using E = osgGA::GUIEventAdapter;
        if (ea.getButton() != E::LEFT_MOUSE_BUTTON)
            return false;
        if (ea.getEventType() == E::PUSH) {
            pressedAt_ = pixel(ea);
            pressed_ = !(session_->imgui().wantCaptureMouse());
        } else if (ea.getEventType() == E::RELEASE && pressed_) {
            pressed_ = false;
            const auto at = pixel(ea);
            if (std::hypot(at.first - pressedAt_.first, at.second - pressedAt_.second) < 4)
                session_->clickAt(at.first, at.second);
        }
        return false;
    }

private:
    std::pair<float, float> pixel(const osgGA::GUIEventAdapter& ea) const {
        const float spanX = ea.getXmax() - ea.getXmin();
        const float spanY = ea.getYmax() - ea.getYmin();
        const float u = spanX != 0 ? (ea.getX() - ea.getXmin()) / spanX : 0.0f;
        float v = spanY != 0 ? (ea.getY() - ea.getYmin()) / spanY : 0.0f;
        if (ea.getMouseYOrientation() == osgGA::GUIEventAdapter::Y_INCREASING_UPWARDS)
            v = 1.0f - v;
        return {u * session_->width(), v * session_->height()};
    }
    ViewerSession* session_;
    std::pair<float, float> pressedAt_;
    bool pressed_ = false;
};

double contentMaximum(const ViewContent& content) {
    double best = gridPeak(content.periodMax).value_ugm3;
    for (const RasterGrid& g : content.hourly)
        best = std::max(best, gridPeak(g).value_ugm3);
    // Variants share the baseline's scale, so a colour means the same value in both.
    for (const Variant& v : content.variants) {
        best = std::max(best, gridPeak(v.periodMax).value_ugm3);
        for (const RasterGrid& g : v.hourly)
            best = std::max(best, gridPeak(g).value_ugm3);
    }
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
    // content_ is a copy: what-if runs add their variants to it.
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
    // Xvfb on a busy machine now and then refuses a connection that succeeds a moment later;
    // a window is tried three times before giving up.
    osg::ref_ptr<osg::GraphicsContext> gc;
    for (int attempt = 1; attempt <= 3 && !window_; ++attempt) {
        if (attempt > 1) {
            log::get("viewer").warn("display {} refused a window; trying again", display);
            std::this_thread::sleep_for(std::chrono::milliseconds(250 * attempt));
        }
        gc = osg::GraphicsContext::createGraphicsContext(traits.get());
        window_ = dynamic_cast<osgViewer::GraphicsWindow*>(gc.get());
    }
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
    // The cached static layers and the live ones are drawn by two passes that must agree on
    // depth: one projection for both, its near and far planes fitted by fitNearFar().

    viewer_->setLightingMode(osg::View::SKY_LIGHT);
    osg::Light* sun = viewer_->getLight();
    sun->setPosition(osg::Vec4(-0.35f, -0.55f, 0.76f, 0.0f)); // from the south-west, high
    sun->setAmbient(osg::Vec4(0.42f, 0.42f, 0.42f, 1.0f));
    sun->setDiffuse(osg::Vec4(0.70f, 0.70f, 0.68f, 1.0f));
    sun->setSpecular(osg::Vec4(0, 0, 0, 1));

    frameBox_ = framingExtent(*content.park);
    groundZ_m_ = groundAt(content.park->terrain, frameBox_.centre());
    lift_m_ = overlayLift_m(frameBox_);
    scale_ = scaleForMaximum(contentMaximum(content_), options.colourRange);
    view_.scale = scale_;
    view_.rose = windRose(content.met);
    view_.figures.push_back(runFigures(content_, GridChoice::Baseline));
    for (size_t v = 0; v < content_.variants.size(); ++v) {
        view_.figures.push_back(runFigures(content_, int(v)));
        changeScales_.push_back(
            divergingScaleFor(largestChange(content_, int(v)), options.colourRange));
    }
    view_.whatIfPossible = content.scenario && content.metSeries;
    if (content_.sources.empty() && content.scenario && !content.scenario->sources.empty()) {
        content_.sources = scenario::modelledSources(*content.scenario, *content.park);
        for (const scenario::SourceSpec& spec : content.scenario->sources)
            content_.sourceFactors.push_back(spec.hourlyFactors);
        content_.plumeOptions = content.scenario->plume;
    }
    if (content.scenario)
        panel_.whatIf.edit = unchangedEdit(*content.scenario, *content.park);
    if (const auto window = timeWindow(content)) {
        view_.windowStart_s = toSeconds(window->first);
        view_.windowEnd_s = toSeconds(window->second);
    }
    panel_.timeline.time_s = view_.windowStart_s;
    if (options.at) {
        panel_.timeline.time_s = toSeconds(*options.at);
    } else if (options.grid.hour >= 0 && options.grid.hour < int(content.hours.size())) {
        panel_.timeline.time_s = toSeconds(content.hours[options.grid.hour]);
    } else if (options.grid.hour == GridChoice::PeriodMax && !content.hours.empty()) {
        panel_.timeline.periodMax = true;
    }
    world_ = std::make_unique<physics::ParkWorld>(*content.park);
    buildScene();

    if (options.showPanel) {
        imgui_ = new ImGuiLayer([this] { drawPanels(content_, view_, panel_); },
                                options.fontPath);
        imgui_->attach(*viewer_);
        viewer_->addEventHandler(new ClickPicker(this));
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
    if (options.cacheStaticLayers)
        startLayerCache(options.width, options.height);
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

    // Land use painted on the ground: the park's own plots strongly, other plots lightly;
    // the province is too large to tint and keeps its outline only.
    std::vector<LandTint> tints;
    for (const Area& a : park.areas)
        if (a.kind != "province")
            tints.push_back({&a, osg::Vec4(0.62f, 0.60f, 0.68f, 1.0f), 0.30f});
    for (const Area& a : park.boundary)
        tints.push_back({&a, osg::Vec4(0.66f, 0.58f, 0.74f, 1.0f), 0.45f});

    layers_ = new osg::Switch;
    layers_->addChild(buildTerrain(park.terrain, frameBox_, tints), true);

    // Lines sit above the plume drape so outlines and roads stay readable over a plume.
    const double lineLift_m = 2.5 * lift_m_;
    osg::ref_ptr<osg::Group> areas = new osg::Group;
    areas->addChild(buildAreaOutlines(park.areas, park.terrain,
                                      osg::Vec4(0.30f, 0.30f, 0.42f, 1.0f), 1.5f, lineLift_m));
    areas->addChild(buildAreaOutlines(park.boundary, park.terrain,
                                      osg::Vec4(0.98f, 0.98f, 0.98f, 1.0f), 2.5f, lineLift_m));
    // Where an outline crosses a road at the same height, the outline shows: drawn after the
    // opaque bin and passing at equal depth, whatever else the frame draws.
    osg::StateSet* outlines = areas->getOrCreateStateSet();
    outlines->setRenderBinDetails(1, "RenderBin");
    outlines->setAttributeAndModes(new osg::Depth(osg::Depth::LEQUAL));
    layers_->addChild(areas, true);
    layers_->addChild(buildBuildings(park.buildings, park.terrain), true);
    layers_->addChild(buildRoads(park.roads, park.terrain, lineLift_m), true);
    layers_->addChild(buildStacks(park.stacks, frameBox_), true);
    plumeRise_ = new osg::Group;
    layers_->addChild(plumeRise_, true);
    plume_ = std::make_unique<PlumeDrape>(park.terrain, lift_m_);
    layers_->addChild(plume_->node(), true);
    sensors_ = std::make_unique<SensorLayer>(content_.sensors, park.terrain, frameBox_);
    layers_->addChild(sensors_->node(), true);
    trucks_ = std::make_unique<TruckLayer>(content_.trucks, park.terrain, frameBox_);
    layers_->addChild(trucks_->node(), true);
    // The arrow floats over the north-east corner of the view, clear of the plume's core.
    const double span = std::max(frameBox_.width(), frameBox_.height());
    const Vec2 corner{frameBox_.max.x - 0.12 * frameBox_.width(),
                      frameBox_.max.y - 0.12 * frameBox_.height()};
    wind_ = std::make_unique<WindArrow>(
        Vec3{corner.x, corner.y, groundAt(park.terrain, corner) + 0.04 * span}, 0.12 * span);
    layers_->addChild(wind_->node(), true);
    proposals_ = new osg::Group;
    layers_->addChild(proposals_, true);
    slice_ = new osg::Group;
    layers_->addChild(slice_, false);
    root->addChild(layers_);

    updateTimed();
    viewer_->setSceneData(root);
}

void ViewerSession::updateTimed() {
    const double t = panel_.timeline.time_s;
    view_.hour = hourAt(content_, t);
    GridChoice choice{view_.hour};
    if (panel_.timeline.periodMax || (content_.hours.empty() && !content_.periodMax.empty()))
        choice.hour = GridChoice::PeriodMax;
    choice.variant = panel_.variant;
    choice.change = panel_.showChange && choice.variant >= 0 &&
                    choice.variant < int(content_.variants.size());
    panel_.grid = choice;
    if (choice.hour != shownGrid_.hour || choice.variant != shownGrid_.variant ||
        choice.change != shownGrid_.change) {
        shownGrid_ = choice;
        if (choice.change) {
            changeGrid_ = changeGrid(content_, choice);
            view_.changeScale = changeScales_.at(choice.variant);
            view_.peak = changeGrid_.empty() ? GridPeak{} : gridPeak(changeGrid_);
            plume_->showChange(changeGrid_.empty() ? nullptr : &changeGrid_, view_.changeScale);
        } else {
            const RasterGrid* grid = chosenGrid(content_, choice);
            view_.peak = grid ? gridPeak(*grid) : GridPeak{};
            plume_->show(grid, scale_, content_.limit_ugm3);
        }
    }

    const int metHour = view_.hour < int(content_.met.size()) ? view_.hour : -1;
    const MetHour* met = metHour >= 0 ? &content_.met[metHour] : nullptr;
    if (metHour != shownRiseHour_) {
        shownRiseHour_ = metHour;
        plumeRise_->removeChildren(0, plumeRise_->getNumChildren());
        if (met)
            plumeRise_->addChild(buildPlumeRise(content_.park->stacks, *met, content_.landUse));
        wind_->update(met);
    }
    updateSlice(met);
    sensors_->update(t);
    trucks_->update(t);
}

void ViewerSession::updateSlice(const MetHour* met) {
    // Computed only while shown, and again only when the hour or the run changes.
    const int hour = panel_.layers.slice && met && shownGrid_.hour >= 0 ? shownGrid_.hour : -1;
    const int variant = shownGrid_.variant;
    if (hour == sliceHour_ && variant == sliceVariant_)
        return;
    sliceHour_ = hour;
    sliceVariant_ = variant;
    slice_->removeChildren(0, slice_->getNumChildren());
    sliceShown_ = PlumeSlice{};
    view_.sliceScale.reset();
    if (hour < 0 || hour >= int(content_.hours.size()))
        return;
    const std::vector<dispersion::PointSource> sources =
        sourcesAt(content_, variant, content_.hours[hour]);
    if (sources.empty())
        return;
    const ParkModel& park = *content_.park;
    // The plane follows the stack that gives most where the hour's grid peaks, and reaches
    // past that peak to the edge of the park's frame.
    const RasterGrid* grid = chosenGrid(content_, {hour, variant});
    const GridPeak peak = grid ? gridPeak(*grid) : GridPeak{};
    const int source =
        peak.found ? mostContributing(sources, *met, content_.plumeOptions, park.terrain,
                                      peak.position)
                   : -1;
    if (source < 0)
        return;
    // As far as the edge of the framed park along the wind, at least 200 m.
    const Vec2 from = sources[source].position;
    const double a = met->windFromDir_deg * M_PI / 180.0;
    const Vec2 toward{-std::sin(a), -std::cos(a)};
    double reach = INFINITY;
    for (const auto& [d, lo, hi, at] :
         {std::tuple{toward.x, frameBox_.min.x, frameBox_.max.x, from.x},
          std::tuple{toward.y, frameBox_.min.y, frameBox_.max.y, from.y}})
        if (std::abs(d) > 1e-9)
            reach = std::min(reach, ((d > 0 ? hi : lo) - at) / d);
    const double length_m = std::max(std::isfinite(reach) ? reach : 0.0, 200.0);
    sliceShown_ = computeSlice(sources, source, *met, content_.plumeOptions, park.terrain,
                               length_m);
    // Next to the stack the centreline values climb without bound (the sigmas tend to 0): the
    // scale tops at the 99th percentile of the plane's positive values, and above is clamped.
    std::vector<double> positive;
    for (double v : sliceShown_.values)
        if (std::isfinite(v) && v > 0)
            positive.push_back(v);
    double top = 0;
    if (!positive.empty()) {
        const auto at = positive.begin() + std::ptrdiff_t(0.99 * double(positive.size() - 1));
        std::nth_element(positive.begin(), at, positive.end());
        top = *at;
    }
    view_.sliceScale = scaleForMaximum(top, options_.colourRange);
    slice_->addChild(buildSlice(sliceShown_, *view_.sliceScale));
}

int ViewerSession::trucksShown() const { return trucks_->shown(); }

void ViewerSession::applyPanel() {
    const LayerToggles& t = panel_.layers;
    layers_->setValue(Terrain, t.terrain);
    layers_->setValue(Areas, t.areas);
    layers_->setValue(Buildings, t.buildings);
    layers_->setValue(Roads, t.roads);
    layers_->setValue(Stacks, t.stacks);
    layers_->setValue(PlumeRise, t.plumeRise);
    layers_->setValue(Plume, t.plume);
    plume_->setContoursVisible(t.contours);
    layers_->setValue(Sensors, t.sensors);
    layers_->setValue(Trucks, t.trucks);
    layers_->setValue(Wind, t.wind);
    layers_->setValue(Proposals, t.buildings);
    layers_->setValue(Slice, t.slice);

    WhatIfPanel& whatIf = panel_.whatIf;
    if (whatIf.editChanged) {
        whatIf.editChanged = false;
        rebuildProposals();
    }
    if (whatIf.runRequest) {
        whatIf.runRequest = false;
        startWhatIf();
    }

    if (panel_.presetRequest) {
        setPreset(*panel_.presetRequest);
        panel_.presetRequest.reset();
    }
    if (panel_.flyToSelection) {
        panel_.flyToSelection = false;
        flyTo(panel_.selection);
    }
    if (panel_.saveViewpoint && manipulator_) {
        panel_.saveViewpoint = false;
        Viewpoint v;
        manipulator_->getTransformation(v.eye, v.centre, v.up);
        v.name = "view " + std::to_string(panel_.viewpoints.size() + 1);
        panel_.viewpoints.push_back(v);
    }
    if (panel_.viewpointRequest && manipulator_) {
        const Viewpoint& v = panel_.viewpoints.at(*panel_.viewpointRequest);
        manipulator_->setTransformation(v.eye, v.centre, v.up);
        panel_.viewpointRequest.reset();
    }
}

void ViewerSession::advanceTimeline() {
    const auto now = std::chrono::steady_clock::now();
    const double dt_s = firstFrame_ ? 0.0 : std::chrono::duration<double>(now - lastFrame_).count();
    lastFrame_ = now;
    firstFrame_ = false;
    TimelineState& t = panel_.timeline;
    if (!t.playing || !(view_.windowEnd_s > view_.windowStart_s))
        return;
    t.time_s += dt_s * t.speed;
    if (t.time_s >= view_.windowEnd_s)
        t.time_s = view_.windowStart_s + std::fmod(t.time_s - view_.windowStart_s,
                                                   view_.windowEnd_s - view_.windowStart_s);
}

void ViewerSession::frame() {
    applyPanel();
    pollWhatIf();
    advanceTimeline();
    updateTimed();
    updateFlight();
    if (cache_ && cache_->failed()) {
        log::get("viewer").warn("OpenGL refused to copy the cached layers into the window; "
                                "drawing every layer every frame");
        stopLayerCache();
    }
    if (cache_) {
        const osg::Viewport* viewport = viewer_->getCamera()->getViewport();
        if (int(viewport->width()) != cache_->width() ||
            int(viewport->height()) != cache_->height()) {
            stopLayerCache();
            startLayerCache(int(viewport->width()), int(viewport->height()));
        }
    }
    if (cache_)
        fitNearFar();
    viewer_->frame();
}

void ViewerSession::startLayerCache(int width, int height) {
    // What does not change as the timeline plays is drawn once per view. The blit that reuses
    // it needs an offscreen depth buffer of the window's format.
    osg::Camera* camera = viewer_->getCamera();
    if (viewer_->getThreadingModel() != osgViewer::Viewer::SingleThreaded)
        return; // the cache's cull and draw parts share state within one frame
    const std::optional<DepthFormat> depth = windowDepthFormat(*camera->getGraphicsContext());
    if (!depth) {
        log::get("viewer").info("the window's depth buffer has no offscreen equal; drawing "
                                "every layer every frame");
        return;
    }
    cache_ = std::make_unique<StaticLayerCache>(
        layers_.get(), std::vector<unsigned>{Terrain, Areas, Buildings, Roads}, width, height,
        camera->getClearColor(), *depth);
    // First under the root: its check decides what the camera draws of the layers before
    // the camera reaches them.
    viewer_->getSceneData()->asGroup()->insertChild(0, cache_->node());
    camera->setComputeNearFarMode(osg::CullSettings::DO_NOT_COMPUTE_NEAR_FAR);
}

void ViewerSession::stopLayerCache() {
    osg::Camera* camera = viewer_->getCamera();
    viewer_->getSceneData()->asGroup()->removeChild(cache_->node());
    cache_->release();
    cache_.reset();
    camera->setComputeNearFarMode(osg::CullSettings::COMPUTE_NEAR_FAR_USING_BOUNDING_VOLUMES);
}

void ViewerSession::fitNearFar() {
    // The planes enclose the whole scene's bounding sphere seen from the eye, the near one no
    // closer than 1/2000 of the far one (OpenSceneGraph's own default ratio). Moving layers
    // (trucks, a new hour's plume) change the bound a little from frame to frame; the planes
    // keep their place while they still enclose it with at most twice the depth range needed,
    // so that a cached picture of the static layers stays valid.
    osg::Camera* camera = viewer_->getCamera();
    const osg::BoundingSphere bound = viewer_->getSceneData()->getBound();
    const osg::Matrixd view =
        manipulator_ ? manipulator_->getInverseMatrix() : camera->getViewMatrix();
    const osg::Vec3d eye = osg::Matrixd::inverse(view).getTrans();
    const double distance = (eye - osg::Vec3d(bound.center())).length();
    const double radius = std::max(double(bound.radius()), 1.0);
    const double farNeeded = distance + radius;
    const double nearNeeded = std::max(distance - radius, farNeeded * 5e-4);
    double fovy = 0, aspect = 0, nearNow = 0, farNow = 0;
    if (!camera->getProjectionMatrixAsPerspective(fovy, aspect, nearNow, farNow))
        return;
    const bool encloses = nearNow <= nearNeeded && farNow >= farNeeded;
    const bool tight = nearNow >= nearNeeded * 0.5 && farNow <= farNeeded * 2;
    if (encloses && tight)
        return;
    const double farPlane = farNeeded * 1.25;
    camera->setProjectionMatrixAsPerspective(fovy, aspect,
                                             std::max(nearNeeded * 0.8, farPlane * 5e-4),
                                             farPlane);
}

std::vector<unsigned char> ViewerSession::frameAndCapture() {
    capture_->armed = true;
    frame();
    return std::move(capture_->rgb);
}

void ViewerSession::setTime(double t_s) {
    panel_.timeline.time_s = t_s;
    panel_.timeline.playing = false;
    panel_.timeline.periodMax = false;
    updateTimed();
}

std::pair<Vec3, Vec3> ViewerSession::viewRay(float column, float row) const {
    const osg::Matrixd toLocal = osg::Matrixd::inverse(viewProjectionWindow());
    const double x = column, y = height_ - row;
    const osg::Vec3d nearPoint = osg::Vec3d(x, y, 0.0) * toLocal;
    const osg::Vec3d farPoint = osg::Vec3d(x, y, 1.0) * toLocal;
    return {{nearPoint.x(), nearPoint.y(), nearPoint.z()},
            {farPoint.x(), farPoint.y(), farPoint.z()}};
}

std::optional<Selection> ViewerSession::pick(float column, float row) const {
    const double x = column, y = height_ - row;
    const osg::Matrixd vpw = viewProjectionWindow();
    for (size_t k = 0; k < content_.sensors.size(); ++k) {
        if (!panel_.layers.sensors)
            break;
        const Vec3 head = sensorHead(content_.sensors[k], content_.park->terrain, frameBox_);
        const osg::Vec3d onScreen = osg::Vec3d(head.x, head.y, head.z) * vpw;
        if (std::hypot(onScreen.x() - x, onScreen.y() - y) <= 12.0)
            return Selection{Selection::Kind::Sensor, int(k), head};
    }

    const auto [nearPoint, farPoint] = viewRay(column, row);
    const auto hit = world_->castRay(nearPoint, farPoint);
    if (!hit)
        return std::nullopt;
    Selection s;
    s.point = hit->point;
    s.index = hit->index;
    switch (hit->kind) {
    case physics::RayHit::Building:
        s.kind = Selection::Kind::Building;
        break;
    case physics::RayHit::Stack:
        s.kind = Selection::Kind::Stack;
        break;
    case physics::RayHit::Ground:
        s.kind = Selection::Kind::Ground;
        break;
    }
    return s;
}

void ViewerSession::selectAt(float column, float row) {
    panel_.selection = pick(column, row).value_or(Selection{});
}

void ViewerSession::clickAt(float column, float row) {
    if (panel_.whatIf.placing != WhatIfPanel::Placing::Nothing)
        placeAt(column, row);
    else
        selectAt(column, row);
}

bool ViewerSession::placeAt(float column, float row) {
    WhatIfPanel& w = panel_.whatIf;
    if (w.placing == WhatIfPanel::Placing::Nothing)
        return false;
    if (whatIfRun_) {
        w.status = "a run is under way: place after it ends";
        return false;
    }
    // Sensor pins are not obstacles here: the ray is cast against the park alone.
    const auto [nearPoint, farPoint] = viewRay(column, row);
    const auto hit = world_->castRay(nearPoint, farPoint);
    if (!hit || hit->kind != physics::RayHit::Ground) {
        w.status = hit ? "that is a building or stack: click on open ground"
                       : "no ground there: click on the terrain";
        return false;
    }
    char placed[160];
    try {
        if (w.placing == WhatIfPanel::Placing::Building) {
            const std::string id = "new-building-" + std::to_string(++placedBuildings_);
            w.edit.buildings.push_back(plannedBuilding(id, hit->point, w.buildingWidth_m,
                                                       w.buildingDepth_m, w.buildingHeight_m,
                                                       w.buildingRotation_deg));
            std::snprintf(placed, sizeof placed, "%s placed at x %.0f, y %.0f m", id.c_str(),
                          hit->point.x, hit->point.y);
        } else {
            const std::string id = "new-stack-" + std::to_string(++placedStacks_);
            w.edit.stacks.push_back(
                {plannedStack(id, hit->point, w.stackHeight_m, w.stackDiameter_m,
                              w.stackExitVelocity_ms, w.stackExitTemperature_K),
                 std::max(double(w.stackRate_gs), 0.0)});
            std::snprintf(placed, sizeof placed, "%s placed at x %.0f, y %.0f m", id.c_str(),
                          hit->point.x, hit->point.y);
        }
    } catch (const Error& e) {
        w.status = e.what();
        return false;
    }
    w.status = placed;
    rebuildProposals();
    return true;
}

void ViewerSession::rebuildProposals() {
    const ParkModel& park = *content_.park;
    const WhatIfEdit& edit = panel_.whatIf.edit;
    // Stacks as the edit has them: changed heights, then the planned ones.
    std::vector<Stack> stacks = park.stacks;
    for (const SourceChange& change : edit.sources)
        for (Stack& s : stacks)
            if (s.id == change.stack && change.height_m > 0)
                s.height_m = change.height_m;
    for (const PlannedStack& p : edit.stacks)
        stacks.push_back(p.stack);
    layers_->setChild(Stacks, buildStacks(stacks, frameBox_));
    proposals_->removeChildren(0, proposals_->getNumChildren());
    if (!edit.buildings.empty())
        proposals_->addChild(buildBuildings(edit.buildings, park.terrain));
}

void ViewerSession::startWhatIf() {
    WhatIfPanel& w = panel_.whatIf;
    if (whatIfRun_) {
        w.status = "a run is already under way";
        return;
    }
    if (!content_.scenario || !content_.metSeries) {
        w.status = "no scenario to run again";
        return;
    }
    whatIfRun_ = std::make_unique<WhatIfRun>(*content_.park, *content_.scenario,
                                             *content_.metSeries, w.edit, 0, content_.traffic);
    w.running = true;
    w.progress = 0;
    w.status = "running " + std::to_string(content_.scenario->hourCount()) + " hours";
}

void ViewerSession::waitForWhatIf() {
    if (whatIfRun_)
        whatIfRun_->wait();
    pollWhatIf();
}

void ViewerSession::pollWhatIf() {
    if (!whatIfRun_)
        return;
    WhatIfPanel& w = panel_.whatIf;
    const int total = whatIfRun_->hoursTotal();
    w.progress = total > 0 ? float(whatIfRun_->hoursDone()) / float(total) : 0.0f;
    if (!whatIfRun_->finished())
        return;
    const std::unique_ptr<WhatIfRun> run = std::move(whatIfRun_);
    w.running = false;
    try {
        addWhatIfVariant(run->take(), run->edit());
    } catch (const Error& e) {
        w.status = std::string("the run failed: ") + e.what();
        log::get("viewer").error("what-if run failed: {}", e.what());
    }
}

void ViewerSession::addWhatIfVariant(scenario::RunResult result, const WhatIfEdit& edit) {
    WhatIfPanel& w = panel_.whatIf;
    Variant v;
    char name[96];
    std::snprintf(name, sizeof name, "what-if %d (%zu new buildings, %zu new stacks)",
                  ++whatIfRuns_, edit.buildings.size(), edit.stacks.size());
    v.name = name;
    v.hourly = std::move(result.hourly);
    v.periodMax = std::move(result.periodMax);
    v.sources = std::move(result.sources);
    if (content_.scenario)
        for (const scenario::SourceSpec& spec : content_.scenario->sources)
            v.sourceFactors.push_back(spec.hourlyFactors);
    const bool comparable = v.hourly.size() == content_.hourly.size();
    content_.variants.push_back(std::move(v));
    const int index = int(content_.variants.size()) - 1;

    view_.figures.push_back(runFigures(content_, index));
    changeScales_.push_back(
        divergingScaleFor(largestChange(content_, index), options_.colourRange));
    // Variants share the baseline's colour scale, which now has to reach this one's top.
    scale_ = scaleForMaximum(contentMaximum(content_), options_.colourRange);
    view_.scale = scale_;
    panel_.variant = index;
    panel_.showChange = true;
    shownGrid_ = GridChoice{-2, -2};

    char text[200];
    std::snprintf(text, sizeof text, "done: highest 1-hour %.4g µg/m³ (baseline %.4g)%s",
                  view_.figures.back().max_ugm3, view_.figures.front().max_ugm3,
                  comparable ? "" : "; the baseline has other hours, so no change map");
    w.status = text;
    log::get("viewer").info("what-if run {} finished: highest 1-hour {:.4g} ug/m3, baseline "
                            "{:.4g}",
                            whatIfRuns_, view_.figures.back().max_ugm3,
                            view_.figures.front().max_ugm3);
}

const RasterGrid* ViewerSession::gridShown() const {
    if (shownGrid_.change)
        return changeGrid_.empty() ? nullptr : &changeGrid_;
    return chosenGrid(content_, shownGrid_);
}

void ViewerSession::flyTo(const Selection& selection) {
    if (selection.kind == Selection::Kind::None || !manipulator_)
        return;
    double size_m = 300;
    if (selection.kind == Selection::Kind::Building) {
        const Box2 b = bounds(content_.park->buildings[selection.index].footprint.outer);
        size_m = std::max(std::hypot(b.width(), b.height()) * 4, 150.0);
    } else if (selection.kind == Selection::Kind::Stack) {
        size_m = std::max(content_.park->stacks[selection.index].height_m * 5, 150.0);
    }
    flight_.fromCentre = manipulator_->getCenter();
    flight_.fromDistance = manipulator_->getDistance();
    flight_.toCentre = osg::Vec3d(selection.point.x, selection.point.y, selection.point.z);
    flight_.toDistance = size_m;
    flight_.progress = 0;
}

void ViewerSession::updateFlight() {
    if (flight_.progress >= 1 || !manipulator_)
        return;
    // About a second at 60 frames per second, eased at both ends.
    flight_.progress = std::min(1.0, flight_.progress + 1.0 / 60);
    const double u = flight_.progress * flight_.progress * (3 - 2 * flight_.progress);
    manipulator_->setCenter(flight_.fromCentre * (1 - u) + flight_.toCentre * u);
    manipulator_->setDistance(flight_.fromDistance * (1 - u) + flight_.toDistance * u);
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
    panel_.timeline.periodMax = choice.hour == GridChoice::PeriodMax;
    if (choice.hour >= 0 && choice.hour < int(content_.hours.size()))
        panel_.timeline.time_s = toSeconds(content_.hours[choice.hour]);
    panel_.timeline.playing = false;
    updateTimed();
}

osg::Matrixd ViewerSession::viewProjectionWindow() const {
    const osg::Camera* camera = viewer_->getCamera();
    return camera->getViewMatrix() * camera->getProjectionMatrix() *
           camera->getViewport()->computeWindowMatrix();
}

} // namespace parktwin::viewer
