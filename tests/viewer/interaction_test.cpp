// Headless pictures of timed content: the legend's colour at the modelled maximum, picking,
// and the timeline showing what was recorded at an instant.

#include "engine/dispersion/plume.h"
#include "viewer/layer_cache.h"
#include "viewer/park_viewer.h"
#include "viewer/sensor_markers.h"
#include "viewer/viewer_session.h"
#include "viewer_fixture.h"

#include <cmath>
#include <gtest/gtest.h>
#include <optional>
#include <osgGA/EventQueue>

using namespace parktwin;
using namespace parktwin::viewer;

namespace {

int channelDistance(const std::array<unsigned char, 3>& a, const std::array<unsigned char, 3>& b) {
    return std::max({std::abs(a[0] - b[0]), std::abs(a[1] - b[1]), std::abs(a[2] - b[2])});
}

std::array<unsigned char, 3> pixelOf(const std::vector<unsigned char>& rgb, int width, Vec2 p) {
    const size_t at = (size_t(std::floor(p.y)) * width + size_t(std::floor(p.x))) * 3;
    return {rgb[at], rgb[at + 1], rgb[at + 2]};
}

/// The synthetic park's stack with exit conditions, so its plume rises.
ParkModel risingStackPark() {
    ParkModel park = test::syntheticPark();
    Stack& s = park.stacks.front();
    s.exitVelocity_ms = 15;
    s.exitTemperature_K = 420;
    return park;
}

/// One hour of Gaussian plume from the synthetic park's stack at 200 g/s on a 25 m grid
/// over the park, for a met hour.
RasterGrid plumeHour(const ParkModel& park, const MetHour& met) {
    RasterGrid grid(-987.5, -987.5, 25, 25, 80, 80, 0.0);
    std::vector<dispersion::Receptor> receptors;
    for (int j = 0; j < grid.ny; ++j)
        for (int i = 0; i < grid.nx; ++i)
            receptors.push_back(
                {grid.position(i, j), park.terrain.heightAt(grid.position(i, j)), 0});
    const Stack& s = park.stacks.front();
    const std::vector<dispersion::PointSource> sources{
        {s.id, s.position, s.baseElevation_m, s.height_m, s.diameter_m, s.exitVelocity_ms,
         s.exitTemperature_K, 200.0, std::nullopt}};
    dispersion::addHourConcentrations(sources, met, receptors, dispersion::PlumeOptions{},
                                      grid.values);
    return grid;
}

MetHour metHour(UtcTime start, double fromDir_deg) {
    MetHour m;
    m.start = start;
    m.windFromDir_deg = fromDir_deg;
    m.windSpeed_ms = 3;
    m.stability = Stability::B;
    m.mixingHeight_m = 1500;
    return m;
}

/// Three hours from 14:00 local on 1 March 2016 with the wind from the west, south and east,
/// and a sensor 500 m west and 250 m north of the stack reading 120, 410 and 90 µg/m³ at the hours.
ViewContent threeHours(const ParkModel& park) {
    ViewContent c;
    c.park = &park;
    c.pollutant = "SO2";
    c.limit_ugm3 = 350;
    const double dirs[] = {270, 180, 90};
    for (int h = 0; h < 3; ++h) {
        const UtcTime start = fromLocal(2016, 3, 1, 14 + h, 0, 0, park.timeZone);
        c.hours.push_back(start);
        c.met.push_back(metHour(start, dirs[h]));
        c.hourly.push_back(plumeHour(park, c.met.back()));
    }
    SensorMarker s;
    s.id = "AQ1";
    s.name = "West gate";
    s.position = {-500, 250};
    s.parameter = "SO2";
    s.limit = 350;
    s.readings = {{c.hours[0], 120}, {c.hours[1], 410}, {c.hours[2], 90}};
    c.sensors = {s};
    sampleModelledAtSensors(c);
    return c;
}

SessionOptions topView() {
    SessionOptions o;
    o.width = 960;
    o.height = 640;
    o.decorated = false;
    o.camera = CameraPreset::TopNorthUp;
    o.grid = GridChoice{0};
    return o;
}

} // namespace

TEST(PlumePixels, MaximumShowsTheLegendColourAndUpwindDoesNot) {
    PARKTWIN_REQUIRE_DISPLAY();
    const ParkModel park = risingStackPark();
    ViewContent content = threeHours(park);
    SnapshotOptions options;
    options.width = 960;
    options.height = 640;
    options.camera = CameraPreset::TopNorthUp;
    options.at = content.hours[0]; // wind from the west: the plume runs east
    options.output = test::scratchDir() / "plume_hour.png";
    const SnapshotInfo info = renderSnapshot(content, options);
    ASSERT_EQ(info.hour, 0);

    const GridPeak peak = gridPeak(content.hourly[0]);
    ASSERT_TRUE(peak.found);
    ASSERT_GT(peak.position.x, 100); // downwind of the stack at the origin
    const double z = park.terrain.heightAt(peak.position);
    const Vec2 atPeak = info.project({peak.position.x, peak.position.y, z});
    ASSERT_FALSE(info.panel.contains(float(atPeak.x), float(atPeak.y)));

    // The legend's bar in the same picture, at the position of the peak value on the scale
    // (its middle row; the bar is cut in 96 flat segments, so allow half a segment's change).
    ASSERT_GT(info.legendBar.width, 100.0f);
    const double t = scalePosition(peak.value_ugm3, info.scale);
    const Vec2 onLegend{info.legendBar.x + t * info.legendBar.width - 1.5,
                        info.legendBar.y + info.legendBar.height / 2};
    const auto legend = pixelOf(info.rgb, info.width, onLegend);
    const auto plume = pixelOf(info.rgb, info.width, atPeak);
    EXPECT_LE(channelDistance(plume, legend), 8)
        << "plume " << int(plume[0]) << "," << int(plume[1]) << "," << int(plume[2])
        << " legend " << int(legend[0]) << "," << int(legend[1]) << "," << int(legend[2]);

    // The same distance upwind (west of the stack) shows the ground, not that colour.
    const Vec2 upwind = park.stacks.front().position * 2.0 - peak.position;
    const Vec2 atUpwind = info.project({upwind.x, upwind.y, park.terrain.heightAt(upwind)});
    ASSERT_FALSE(info.panel.contains(float(atUpwind.x), float(atUpwind.y)));
    EXPECT_GT(channelDistance(pixelOf(info.rgb, info.width, atUpwind), legend), 60);
}

TEST(Picking, BuildingsStackAndGroundUnderKnownScreenPoints) {
    PARKTWIN_REQUIRE_DISPLAY();
    const ParkModel park = test::syntheticPark();
    const ViewContent content = test::syntheticContent(park);
    ViewerSession session(content, topView());
    session.frame();
    const osg::Matrixd vpw = session.viewProjectionWindow();
    auto screen = [&](double x, double y, double z) {
        const osg::Vec3d w = osg::Vec3d(x, y, z) * vpw;
        return std::pair<float, float>{float(w.x()), float(session.height() - w.y())};
    };

    // The warehouse roof centre (b2: 200..400 m east, -600..-500 m north, roof at 121 m).
    auto [wx, wy] = screen(300, -550, 121);
    auto hit = session.pick(wx, wy);
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->kind, Selection::Kind::Building);
    EXPECT_EQ(park.buildings.at(hit->index).id, "b2");
    EXPECT_NEAR(hit->point.z, 121.0, 0.5);

    // The planned hall's L (b3), in its northern arm.
    auto [hx, hy] = screen(-260, 550, 127);
    hit = session.pick(hx, hy);
    ASSERT_TRUE(hit);
    EXPECT_EQ(park.buildings.at(hit->index).id, "b3");

    // Open ground 600 m east and north: the ground at 100 + 0.02 * 600 = 112 m.
    auto [gx, gy] = screen(600, 600, 112);
    hit = session.pick(gx, gy);
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->kind, Selection::Kind::Ground);
    EXPECT_NEAR(hit->point.x, 600, 3);
    EXPECT_NEAR(hit->point.y, 600, 3);
    EXPECT_NEAR(hit->point.z, 112, 0.2);

    // The stack, from above.
    auto [sx, sy] = screen(0, 0, 160);
    hit = session.pick(sx, sy);
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->kind, Selection::Kind::Stack);
}

TEST(Picking, AClickInTheSceneSelectsAndTheInspectorOpens) {
    PARKTWIN_REQUIRE_DISPLAY();
    const ParkModel park = test::syntheticPark();
    const ViewContent content = test::syntheticContent(park);
    SessionOptions options = topView();
    options.interactive = true;
    ViewerSession session(content, options);
    session.frame();
    session.frame();
    const osg::Vec3d w = osg::Vec3d(300, -550, 121) * session.viewProjectionWindow();

    osgGA::EventQueue* queue = session.window()->getEventQueue();
    const osgGA::GUIEventAdapter* state = queue->getCurrentEventState();
    auto toQueue = [&](double px, double pyFromBottom) {
        float v = float(pyFromBottom / session.height());
        if (state->getMouseYOrientation() == osgGA::GUIEventAdapter::Y_INCREASING_DOWNWARDS)
            v = 1 - v;
        return std::pair<float, float>{
            state->getXmin() + float(px / session.width()) * (state->getXmax() - state->getXmin()),
            state->getYmin() + v * (state->getYmax() - state->getYmin())};
    };
    auto [qx, qy] = toQueue(w.x(), w.y());
    queue->mouseMotion(qx, qy);
    session.frame();
    queue->mouseButtonPress(qx, qy, 1);
    session.frame();
    queue->mouseButtonRelease(qx, qy, 1);
    session.frame();
    session.frame();
    ASSERT_EQ(session.panel().selection.kind, Selection::Kind::Building);
    EXPECT_EQ(park.buildings.at(session.panel().selection.index).id, "b2");
    EXPECT_GT(session.panel().inspectorRect.width, 100.0f);
}

TEST(Timeline, AnInstantShowsItsHourItsReadingAndTheSamePictureEachTime) {
    PARKTWIN_REQUIRE_DISPLAY();
    const ParkModel park = risingStackPark();
    const ViewContent content = threeHours(park);
    ViewerSession session(content, topView());
    session.panel().selection = {Selection::Kind::Sensor, 0, {-500, 250, 90}};

    // 15:30 local is in the second hour (15:00-16:00), wind from the south.
    const double t = toSeconds(content.hours[1]) + 1800;
    session.setTime(t);
    session.frame();
    session.frame(); // ImGui sizes a new window over two frames
    const auto first = session.frameAndCapture();
    writePng(test::scratchDir() / "timeline_1530.png", session.width(), session.height(), first);
    EXPECT_EQ(session.hourShown(), 1);
    EXPECT_EQ(session.panel().timeText, "2016-03-01 15:30 +07:00");
    EXPECT_NE(session.panel().hourText.find("wind from 180°"), std::string::npos)
        << session.panel().hourText;
    EXPECT_EQ(session.panel().readingText, "SO2 410 µg/m³ at 15:00");

    // The sensor reads over its limit then: its pin is red.
    const Vec3 head = sensorHead(content.sensors[0], park.terrain, framingExtent(park));
    const osg::Vec3d pin = osg::Vec3d(head.x, head.y, head.z) * session.viewProjectionWindow();
    const auto red = pixelOf(first, session.width(), {pin.x(), session.height() - pin.y()});
    EXPECT_GT(int(red[0]), int(red[1]) + 80) << int(red[0]) << "," << int(red[1]);

    // The plume runs north this hour: the cell centred at (-162.5, 812.5) m shows its value's
    // colour; the cell at (812.5, -137.5) m, in the first hour's plume, shows ground instead
    // of that hour's colour. Both lie clear of the panels.
    const auto pixelAtCell = [&](Vec2 p) {
        const double ground = 100 + 0.02 * p.x;
        const osg::Vec3d w = osg::Vec3d(p.x, p.y, ground) * session.viewProjectionWindow();
        EXPECT_FALSE(session.panel().inspectorRect.contains(float(w.x()),
                                                            float(session.height() - w.y())));
        return pixelOf(first, session.width(), {w.x(), session.height() - w.y()});
    };
    const auto bytes = [](const Rgb& c) {
        return std::array<unsigned char, 3>{(unsigned char)std::lround(c.r * 255),
                                            (unsigned char)std::lround(c.g * 255),
                                            (unsigned char)std::lround(c.b * 255)};
    };
    const Vec2 north{-162.5, 812.5}, east{812.5, -137.5};
    ASSERT_FALSE(std::isnan(scalePosition(content.hourly[1].sample(north), session.scale())));
    ASSERT_FALSE(std::isnan(scalePosition(content.hourly[0].sample(east), session.scale())));
    EXPECT_LE(channelDistance(pixelAtCell(north),
                              bytes(colourFor(content.hourly[1].sample(north), session.scale()))),
              3);
    EXPECT_GT(channelDistance(pixelAtCell(east),
                              bytes(colourFor(content.hourly[0].sample(east), session.scale()))),
              40);

    // Elsewhere and back: the same instant gives the same picture.
    session.setTime(toSeconds(content.hours[2]) + 600);
    session.frame();
    EXPECT_EQ(session.panel().readingText, "SO2 90 µg/m³ at 16:00");
    session.setTime(t);
    session.frame();
    const auto again = session.frameAndCapture();
    EXPECT_TRUE(first == again) << "the picture at 15:30 changed after a jump";
}

namespace {

/// Pixels of two pictures of one size whose channels differ by more than `tolerance`.
size_t differingPixels(const std::vector<unsigned char>& a, const std::vector<unsigned char>& b,
                       int tolerance) {
    size_t n = 0;
    for (size_t k = 0; k + 2 < std::min(a.size(), b.size()); k += 3)
        n += std::max({std::abs(a[k] - b[k]), std::abs(a[k + 1] - b[k + 1]),
                       std::abs(a[k + 2] - b[k + 2])}) > tolerance;
    return n;
}

/// A frame at instant t after two frames at it (ImGui sizes a new window over two frames).
std::vector<unsigned char> settledAt(ViewerSession& session, double t) {
    session.setTime(t);
    session.frame();
    session.frame();
    return session.frameAndCapture();
}

} // namespace

/// The three hours of the rising stack drawn by two sessions: `reference` draws every layer
/// every frame, `cached` reuses the static layers. A test may edit `content` before open().
class LayerCache : public ::testing::Test {
protected:
    void SetUp() override { PARKTWIN_REQUIRE_DISPLAY(); }

    void open() {
        SessionOptions direct = topView();
        direct.cacheStaticLayers = false;
        reference.emplace(content, direct);
        cached.emplace(content, topView());
        ASSERT_NE(cached->layerCache(), nullptr) << "Xvfb's window depth buffer has an "
                                                   "offscreen equal; the cache should be on";
    }

    const ParkModel park = risingStackPark();
    ViewContent content = threeHours(park);
    std::optional<ViewerSession> reference, cached;
};

// The reference is the same session drawing every layer every frame: the reused picture of the
// ground, outlines, buildings and roads with the plume, sensor and stack drawn over it must be
// the picture drawing them all gives, pixel for pixel.
TEST_F(LayerCache, APlayingTimelineReusesTheStaticLayersAndShowsTheDirectPicture) {
    ASSERT_NO_FATAL_FAILURE(open());
    EXPECT_EQ(reference->layerCache(), nullptr);

    for (int hour : {0, 1, 2}) {
        const double t = toSeconds(content.hours[size_t(hour)]) + 1200;
        const auto want = settledAt(*reference, t);
        const auto got = settledAt(*cached, t);
        ASSERT_EQ(want.size(), got.size());
        EXPECT_EQ(differingPixels(want, got, 2), 0u) << "hour " << hour;
        if (hour == 1)
            writePng(test::scratchDir() / "layer_cache_1520.png", cached->width(),
                     cached->height(), got);
    }
    // The camera stayed still: one offscreen render after the first frame, reused since.
    EXPECT_EQ(cached->layerCache()->renders(), 1u);
    EXPECT_EQ(cached->layerCache()->direct(), 1u);
    EXPECT_EQ(cached->layerCache()->reuses(), 7u);

    // Hiding the buildings renders the static layers again, without them.
    const double t = toSeconds(content.hours[1]) + 600;
    const auto withBuildings = settledAt(*cached, t);
    reference->panel().layers.buildings = false;
    cached->panel().layers.buildings = false;
    const auto want = settledAt(*reference, t);
    const auto got = settledAt(*cached, t);
    EXPECT_EQ(differingPixels(want, got, 2), 0u);
    EXPECT_GT(differingPixels(withBuildings, got, 2), 1000u) << "the buildings did not go";
    EXPECT_EQ(cached->layerCache()->renders(), 2u);
}

TEST_F(LayerCache, AMovingCameraDrawsTheStaticLayersDirectly) {
    ASSERT_NO_FATAL_FAILURE(open());
    const double t = toSeconds(content.hours[0]) + 900;
    settledAt(*cached, t);
    const unsigned directBefore = cached->layerCache()->direct();
    const unsigned rendersBefore = cached->layerCache()->renders();
    for (int k = 0; k < 5; ++k) {
        cached->setPreset(k % 2 ? CameraPreset::TopNorthUp : CameraPreset::ObliqueSouth);
        cached->frame();
    }
    cached->setPreset(CameraPreset::TopNorthUp);
    const auto got = cached->frameAndCapture();
    EXPECT_EQ(cached->layerCache()->direct() - directBefore, 6u);
    EXPECT_EQ(cached->layerCache()->renders(), rendersBefore);

    const auto want = settledAt(*reference, t);
    ASSERT_EQ(want.size(), got.size());
    EXPECT_EQ(differingPixels(want, got, 2), 0u);
}

TEST_F(LayerCache, AResizedViewGetsACacheOfItsSizeAndTheDirectPicture) {
    ASSERT_NO_FATAL_FAILURE(open());
    const double t = toSeconds(content.hours[1]) + 300;
    settledAt(*cached, t);
    ASSERT_EQ(cached->layerCache()->width(), 960);

    // The window's camera drawing into a smaller part of the window, as after a resize.
    for (ViewerSession* s : {&*reference, &*cached}) {
        osg::Camera* camera = s->viewer().getCamera();
        camera->setViewport(0, 0, 640, 480);
        camera->setProjectionMatrixAsPerspective(30, 640.0 / 480, 1, 1e5);
    }
    const auto want = settledAt(*reference, t);
    const auto got = settledAt(*cached, t);
    ASSERT_NE(cached->layerCache(), nullptr);
    EXPECT_EQ(cached->layerCache()->width(), 640);
    EXPECT_EQ(cached->layerCache()->height(), 480);
    EXPECT_GE(cached->layerCache()->reuses(), 1u);
    ASSERT_EQ(want.size(), got.size());
    // Outside the viewport the window holds whatever was there; inside, the pictures agree.
    // Rows of the capture run from the top; the viewport is the window's lower-left corner.
    const auto inside = [](const std::vector<unsigned char>& rgb) {
        std::vector<unsigned char> part;
        for (int row = 640 - 480; row < 640; ++row)
            part.insert(part.end(), rgb.begin() + size_t(row) * 960 * 3,
                        rgb.begin() + (size_t(row) * 960 + 640) * 3);
        return part;
    };
    EXPECT_EQ(differingPixels(inside(want), inside(got), 2), 0u);
    EXPECT_GT(differingPixels(inside(want),
                              std::vector<unsigned char>(640 * 480 * 3, 0), 2),
              100000u)
        << "the viewport is empty";
}

// Hours without met have no wind: the arrow's node is hidden by its layer (node mask 0), and
// the cache must leave it so.
TEST_F(LayerCache, ALayerThatHidesItsOwnNodeStaysHidden) {
    content.met.clear();
    ASSERT_NO_FATAL_FAILURE(open());
    const double t = toSeconds(content.hours[1]) + 300;
    const auto want = settledAt(*reference, t);
    const auto got = settledAt(*cached, t);
    EXPECT_GE(cached->layerCache()->reuses(), 1u);
    EXPECT_EQ(differingPixels(want, got, 2), 0u);
}

namespace {

/// Resizes the window's camera from inside the viewer's event traversal of the next frame,
/// as a window manager's resize arrives.
class ResizeInFrame : public osgGA::GUIEventHandler {
public:
    ResizeInFrame(osgViewer::GraphicsWindow* window, int width, int height)
        : window_(window), width_(width), height_(height) {}
    bool handle(const osgGA::GUIEventAdapter& ea, osgGA::GUIActionAdapter&) override {
        if (armed && ea.getEventType() == osgGA::GUIEventAdapter::FRAME) {
            armed = false;
            window_->resized(0, 0, width_, height_);
        }
        return false;
    }
    bool armed = false;

private:
    osgViewer::GraphicsWindow* window_;
    int width_, height_;
};

} // namespace

// A resize that keeps the aspect ratio leaves the projection as it was; the frame it happens
// in must not reuse the picture of the old size.
TEST_F(LayerCache, AResizeInTheFrameItselfIsDrawnDirectly) {
    ASSERT_NO_FATAL_FAILURE(open());
    const double t = toSeconds(content.hours[1]) + 300;
    std::vector<std::vector<unsigned char>> pictures;
    for (ViewerSession* s : {&*reference, &*cached}) {
        osg::ref_ptr<ResizeInFrame> resize = new ResizeInFrame(s->window(), 480, 320);
        s->viewer().addEventHandler(resize);
        settledAt(*s, t);
        resize->armed = true;
        pictures.push_back(s->frameAndCapture());
        EXPECT_FALSE(resize->armed);
    }
    EXPECT_EQ(cached->layerCache()->direct(), 2u) << "the first frame and the resized one";
    // The viewport is the lower-left 480 x 320 of the 960 x 640 window.
    const auto inside = [](const std::vector<unsigned char>& rgb) {
        std::vector<unsigned char> part;
        for (int row = 640 - 320; row < 640; ++row)
            part.insert(part.end(), rgb.begin() + size_t(row) * 960 * 3,
                        rgb.begin() + (size_t(row) * 960 + 480) * 3);
        return part;
    };
    EXPECT_EQ(differingPixels(inside(pictures[0]), inside(pictures[1]), 2), 0u);
}
