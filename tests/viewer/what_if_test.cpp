// The What-if panel and the plume slice, headless: placing by a click on the ground, a run
// again with a planned stack, the change map and figures, and the slice toggled on.

#include "engine/core/thresholds.h"
#include "engine/scenario/runner.h"
#include "viewer/park_viewer.h"
#include "viewer/viewer_session.h"
#include "viewer_fixture.h"

#include <cmath>
#include <gtest/gtest.h>
#include <osgGA/EventQueue>

using namespace parktwin;
using namespace parktwin::viewer;
using namespace std::chrono;

namespace {

using Pixel = std::array<unsigned char, 3>;

Pixel pixelOf(const std::vector<unsigned char>& rgb, int width, double column, double row) {
    const size_t at = (size_t(std::floor(row)) * width + size_t(std::floor(column))) * 3;
    return {rgb[at], rgb[at + 1], rgb[at + 2]};
}

int distance(const Pixel& p, const Rgb& c) {
    return std::max({std::abs(p[0] - int(std::lround(c.r * 255))),
                     std::abs(p[1] - int(std::lround(c.g * 255))),
                     std::abs(p[2] - int(std::lround(c.b * 255)))});
}

ParkModel risingStackPark() {
    ParkModel park = test::syntheticPark();
    Stack& s = park.stacks.front();
    s.exitVelocity_ms = 15;
    s.exitTemperature_K = 420;
    return park;
}

/// Three hours of SO2 from the synthetic stack at 100 g/s, wind from the west, 25 m grid.
scenario::Scenario westWindScenario() {
    scenario::Scenario s;
    s.name = "what-if-test";
    s.start = parseIsoTime("2016-03-01T07:00Z", UtcOffset{0});
    s.end = s.start + hours{3};
    s.pollutant = "SO2";
    s.receptors.spacing_m = 25;
    s.parkSites = false;
    scenario::SourceSpec src;
    src.stack = "S1";
    src.emissionRate_gs = 100;
    s.sources.push_back(src);
    return s;
}

MetSeries westWind(const scenario::Scenario& s) {
    MetSeries met;
    for (int h = 0; h < 3; ++h) {
        MetHour m;
        m.start = s.start + hours{h};
        m.windFromDir_deg = 270;
        m.windSpeed_ms = 3;
        m.temperature_K = 293;
        m.stability = Stability::B;
        m.mixingHeight_m = 1500;
        met.hours.push_back(m);
    }
    return met;
}

/// The baseline of the scenario as the view command fills it.
ViewContent baseline(const ParkModel& park, const scenario::Scenario& s, const MetSeries& met,
                     const ThresholdTable* limits) {
    ViewContent c;
    c.park = &park;
    c.pollutant = "SO2";
    c.limit_ugm3 = 350;
    const scenario::RunResult run = scenario::runScenario(s, park, met);
    for (const scenario::HourResult& h : run.hours) {
        c.hours.push_back(h.start);
        c.met.push_back(h.met);
    }
    c.hourly = run.hourly;
    c.periodMax = run.periodMax;
    c.scenario = &s;
    c.metSeries = &met;
    c.thresholds = limits;
    SensorMarker sensor;
    sensor.id = "AQ-E";
    sensor.name = "East fence";
    sensor.position = {700, 300};
    sensor.parameter = "SO2";
    sensor.limit = 350;
    c.sensors = {sensor};
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

/// Window pixel (column, row from the top) of a local point.
std::pair<float, float> screenOf(const ViewerSession& session, Vec3 p) {
    const osg::Vec3d w = osg::Vec3d(p.x, p.y, p.z) * session.viewProjectionWindow();
    return {float(w.x()), float(session.height() - w.y())};
}

} // namespace

TEST(WhatIf, AClickOnTheGroundPlacesTheStackThere) {
    PARKTWIN_REQUIRE_DISPLAY();
    const ParkModel park = risingStackPark();
    const scenario::Scenario s = westWindScenario();
    const MetSeries met = westWind(s);
    const ViewContent content = baseline(park, s, met, nullptr);
    SessionOptions options = topView();
    options.interactive = true;
    ViewerSession session(content, options);
    session.panel().whatIf.placing = WhatIfPanel::Placing::Stack;
    session.frame();
    session.frame();

    // A real click through the event queue, at the pixel where (600, 600) lies on the ground:
    // the terrain rises 2 m per 100 m eastwards from 100 m, so 112 m there.
    const auto [px, py] = screenOf(session, {600, 600, 112});
    osgGA::EventQueue* queue = session.window()->getEventQueue();
    const osgGA::GUIEventAdapter* state = queue->getCurrentEventState();
    float v = 1 - py / float(session.height());
    if (state->getMouseYOrientation() == osgGA::GUIEventAdapter::Y_INCREASING_DOWNWARDS)
        v = 1 - v;
    const float qx = state->getXmin() + px / float(session.width()) *
                                            (state->getXmax() - state->getXmin());
    const float qy = state->getYmin() + v * (state->getYmax() - state->getYmin());
    queue->mouseMotion(qx, qy);
    session.frame();
    queue->mouseButtonPress(qx, qy, 1);
    session.frame();
    queue->mouseButtonRelease(qx, qy, 1);
    session.frame();

    const WhatIfEdit& edit = session.panel().whatIf.edit;
    ASSERT_EQ(edit.stacks.size(), 1u) << session.panel().whatIf.status;
    const Stack& placed = edit.stacks.front().stack;
    EXPECT_NEAR(placed.position.x, 600, 3);
    EXPECT_NEAR(placed.position.y, 600, 3);
    EXPECT_NEAR(placed.baseElevation_m, 100 + 0.02 * placed.position.x, 0.1);
    EXPECT_TRUE(placed.planned);
    EXPECT_EQ(session.panel().selection.kind, Selection::Kind::None); // placed, not picked

    // A building placed on the warehouse roof is refused: planned buildings stand on ground.
    session.panel().whatIf.placing = WhatIfPanel::Placing::Building;
    const auto [wx, wy] = screenOf(session, {300, -550, 121});
    EXPECT_FALSE(session.placeAt(wx, wy));
    EXPECT_TRUE(edit.buildings.empty());
    // On open ground it stands where clicked, centred there.
    const auto [bx, by] = screenOf(session, {-600, 600, 88});
    ASSERT_TRUE(session.placeAt(bx, by));
    ASSERT_EQ(edit.buildings.size(), 1u);
    const Polygon& footprint = edit.buildings.front().footprint;
    Vec2 centre{0, 0};
    for (const Vec2& p : footprint.outer)
        centre = centre + p * 0.25;
    EXPECT_NEAR(centre.x, -600, 3);
    EXPECT_NEAR(centre.y, 600, 3);
}

TEST(WhatIf, ARunWithAStackEmittingMoreShowsItsIncreaseAsMapAndNumbers) {
    PARKTWIN_REQUIRE_DISPLAY();
    const ParkModel park = risingStackPark();
    const scenario::Scenario s = westWindScenario();
    const MetSeries met = westWind(s);
    const ThresholdTable limits =
        readThresholds(test::assetsDir() / "regulation" / "qcvn_thresholds.csv");
    const ViewContent content = baseline(park, s, met, &limits);
    ViewerSession session(content, topView());
    session.frame();

    // A low, cool stack 300 m north of the baseline's, emitting four times as much.
    WhatIfPanel& w = session.panel().whatIf;
    w.placing = WhatIfPanel::Placing::Stack;
    w.stackHeight_m = 20;
    w.stackExitVelocity_ms = 5;
    w.stackExitTemperature_K = 300;
    w.stackRate_gs = 400;
    const auto [px, py] = screenOf(session, {100, 300, 102});
    ASSERT_TRUE(session.placeAt(px, py)) << w.status;
    session.startWhatIf();
    session.waitForWhatIf();
    session.frame();
    session.frame();

    ASSERT_EQ(session.figures().size(), 2u) << w.status;
    const RunFigures& before = session.figures()[0];
    const RunFigures& after = session.figures()[1];
    EXPECT_GT(after.max_ugm3, before.max_ugm3);
    // The QCVN 05:2023 SO2 limits by averaging period: 350 (1 h), 125 (24 h), 50 (year).
    ASSERT_EQ(after.sensorPeriods.size(), 1u);
    ASSERT_EQ(after.sensorPeriods[0].size(), 3u);
    EXPECT_EQ(after.sensorPeriods[0][0].period, scenario::Period::Hour1);
    EXPECT_DOUBLE_EQ(after.sensorPeriods[0][0].limit_ugm3, 350);
    EXPECT_DOUBLE_EQ(after.sensorPeriods[0][1].limit_ugm3, 125);
    EXPECT_DOUBLE_EQ(after.sensorPeriods[0][2].limit_ugm3, 50);
    EXPECT_EQ(after.sensorPeriods[0][0].averages, 3); // three hours, each an average
    EXPECT_EQ(after.sensorPeriods[0][1].averages, 0); // no complete day in three hours
    EXPECT_GE(after.sensorPeriods[0][0].exceedances, before.sensorPeriods[0][0].exceedances);

    // The map shows the change: positive at its largest, downwind (east) of the new stack.
    const RasterGrid* change = session.gridShown();
    ASSERT_NE(change, nullptr);
    const GridPeak peak = gridPeak(*change);
    ASSERT_TRUE(peak.found);
    EXPECT_GT(peak.value_ugm3, 0);
    EXPECT_GT(peak.position.x, 100);
    EXPECT_NEAR(peak.position.y, 300, 60);

    // ... drawn in the diverging scale's colour for that change.
    const auto rgb = session.frameAndCapture();
    writePng(test::scratchDir() / "what_if_change.png", session.width(), session.height(), rgb);
    const auto [cx, cy] =
        screenOf(session, {peak.position.x, peak.position.y, 100 + 0.02 * peak.position.x});
    ASSERT_FALSE(session.panel().rect.contains(cx, cy));
    const Rgb expected = colourForChange(peak.value_ugm3, session.changeScale());
    EXPECT_GT(expected.r, expected.b + 0.3f); // an increase reads red
    const Pixel shown = pixelOf(rgb, session.width(), cx, cy);
    EXPECT_LE(distance(shown, expected), 8)
        << int(shown[0]) << "," << int(shown[1]) << "," << int(shown[2]);
}

TEST(PlumeSlice, TheToggleDrawsTheSliceAlongTheWind) {
    PARKTWIN_REQUIRE_DISPLAY();
    const ParkModel park = risingStackPark();
    const scenario::Scenario s = westWindScenario();
    const MetSeries met = westWind(s);
    const ViewContent content = baseline(park, s, met, nullptr);
    SessionOptions options = topView();
    options.camera = CameraPreset::ObliqueSouth; // the plane runs east, face on from the south
    ViewerSession session(content, options);
    session.frame();
    session.frame();
    EXPECT_TRUE(session.sliceShown().empty());
    const auto without = session.frameAndCapture();

    session.panel().layers.slice = true;
    session.frame();
    const PlumeSlice& slice = session.sliceShown();
    ASSERT_FALSE(slice.empty());
    EXPECT_EQ(slice.source, 0);
    EXPECT_NEAR(slice.origin.x, 0, 1e-9);
    EXPECT_NEAR(slice.direction.x, 1, 1e-9); // wind from the west blows east
    EXPECT_NEAR(slice.direction.y, 0, 1e-9);
    const auto with = session.frameAndCapture();
    writePng(test::scratchDir() / "slice.png", session.width(), session.height(), with);

    // The slice's highest cell shows the colour of its value, where the picture without the
    // slice showed something else.
    int best = -1;
    for (size_t k = 0; k < slice.values.size(); ++k)
        if (std::isfinite(slice.values[k]) && (best < 0 || slice.values[k] > slice.values[best]))
            best = int(k);
    ASSERT_GE(best, 0);
    const Vec3 cell = slice.cellCentre(best % slice.columns, best / slice.columns);
    const auto [cx, cy] = screenOf(session, cell);
    ASSERT_GT(cx, 0);
    ASSERT_LT(cx, session.width());
    ASSERT_FALSE(session.panel().rect.contains(cx, cy));
    // Its own scale (concentrations aloft run far above the ground-level ones), topped below
    // the highest value, which shows the top colour.
    ASSERT_TRUE(session.sliceScale());
    EXPECT_LE(session.sliceScale()->max_ugm3, slice.values[best]);
    EXPECT_GT(session.sliceScale()->max_ugm3, 0);
    const Rgb expected = colourAt(1.0);
    EXPECT_LE(distance(pixelOf(with, session.width(), cx, cy), expected), 8);
    EXPECT_GT(distance(pixelOf(without, session.width(), cx, cy), expected), 30);

    // The concentration in the plane peaks aloft near the source, on the plume's axis, and
    // is nil below ground.
    const Vec3 first = slice.cellCentre(0, 0);
    EXPECT_GT(cell.z, park.terrain.heightAt({cell.x, cell.y}));
    EXPECT_NEAR(first.z, slice.bottom_m + (slice.top_m - slice.bottom_m) / slice.rows / 2, 1e-9);

    session.panel().layers.slice = false;
    session.frame();
    EXPECT_TRUE(session.sliceShown().empty());
}
