// Scene parts checked without a display: timeline look-ups, wind rose, contours, terrain tiles.

#include "engine/core/thresholds.h"
#include "test_paths.h"
#include "viewer/plume_drape.h"
#include "viewer/stacks.h"
#include "viewer/terrain_mesh.h"
#include "viewer/view_content.h"
#include "viewer/wind.h"

#include <cmath>
#include <gtest/gtest.h>
#include <osg/Geometry>
#include <osg/LOD>

using namespace parktwin;
using namespace parktwin::viewer;

namespace {

UtcTime at(int hour, int minute = 0) {
    return fromLocal(2016, 3, 1, hour, minute, 0, UtcOffset{420});
}

} // namespace

TEST(ViewContent, HourAtFindsTheHourContainingAnInstant) {
    ViewContent c;
    c.hours = {at(0), at(1), at(2), at(5)}; // a gap from 03:00 to 05:00
    EXPECT_EQ(hourAt(c, toSeconds(at(0))), 0);
    EXPECT_EQ(hourAt(c, toSeconds(at(1, 59))), 1);
    EXPECT_EQ(hourAt(c, toSeconds(at(2, 30))), 2);
    EXPECT_EQ(hourAt(c, toSeconds(at(3, 30))), -1);
    EXPECT_EQ(hourAt(c, toSeconds(at(5, 59))), 3);
    EXPECT_EQ(hourAt(c, toSeconds(at(6))), -1);
    EXPECT_EQ(hourAt(c, toSeconds(at(0)) - 1), -1);
    const auto window = timeWindow(c);
    ASSERT_TRUE(window);
    EXPECT_EQ(window->first, at(0));
    EXPECT_EQ(window->second, at(6));
}

TEST(ViewContent, LatestReadingAndTruckPosition) {
    const std::vector<TimedValue> readings{{at(1), 10}, {at(2), 20}};
    EXPECT_FALSE(latestAt(readings, toSeconds(at(0, 59))));
    EXPECT_EQ(latestAt(readings, toSeconds(at(1)))->value, 10);
    EXPECT_EQ(latestAt(readings, toSeconds(at(1, 59)))->value, 10);
    EXPECT_EQ(latestAt(readings, toSeconds(at(9)))->value, 20);

    TruckTrack truck{"t1", {{at(1), {0, 0}}, {at(1, 10), {600, 0}}, {at(1, 20), {600, 300}}}};
    // 5 minutes into the first 10-minute leg of 600 m: half-way, 300 m east.
    const auto p = truckPositionAt(truck, toSeconds(at(1, 5)));
    ASSERT_TRUE(p);
    EXPECT_DOUBLE_EQ(p->x, 300);
    EXPECT_DOUBLE_EQ(p->y, 0);
    // 2 of the second leg's 10 minutes: 60 m of 300 m north.
    EXPECT_DOUBLE_EQ(truckPositionAt(truck, toSeconds(at(1, 12)))->y, 60);
    EXPECT_FALSE(truckPositionAt(truck, toSeconds(at(1, 21))));
    EXPECT_FALSE(truckPositionAt(truck, toSeconds(at(0, 59))));
}

TEST(ViewContent, ModelledValuesAtSensorsComeFromTheHourlyGrids) {
    ViewContent c;
    c.hours = {at(0), at(1)};
    // A field rising 1 µg/m³ per metre eastwards, doubled in the second hour: bilinear
    // sampling is exact on it, so 12.5 m east reads 12.5 and 25.
    for (double factor : {1.0, 2.0}) {
        RasterGrid g(0, 0, 10, 10, 5, 5);
        for (int j = 0; j < 5; ++j)
            for (int i = 0; i < 5; ++i)
                g.at(i, j) = factor * g.position(i, j).x;
        c.hourly.push_back(g);
    }
    SensorMarker inside, outside;
    inside.position = {12.5, 20};
    outside.position = {500, 500};
    c.sensors = {inside, outside};
    sampleModelledAtSensors(c);
    ASSERT_EQ(c.sensors[0].modelled.size(), 2u);
    EXPECT_NEAR(c.sensors[0].modelled[0].value, 12.5, 1e-9);
    EXPECT_NEAR(c.sensors[0].modelled[1].value, 25.0, 1e-9);
    EXPECT_EQ(c.sensors[0].modelled[1].time, at(1));
    EXPECT_TRUE(c.sensors[1].modelled.empty());
    // NO2 at the sensors of modelled NOx, by a Tier 2 ratio of 0.8: 10 and 20.
    sampleModelledAtSensors(c, 0.8);
    ASSERT_EQ(c.sensors[0].modelled.size(), 2u);
    EXPECT_NEAR(c.sensors[0].modelled[0].value, 10.0, 1e-9);
    EXPECT_NEAR(c.sensors[0].modelled[1].value, 20.0, 1e-9);
}

TEST(ViewContent, VariantGridsAndFiguresAgainstTheBaseline) {
    // Baseline hours of 100, 300 and 500 µg/m³ everywhere; the variant halves them. With a
    // limit of 200 the sensor is over it in 2 baseline hours (300, 500) and 1 variant hour
    // (250).
    ViewContent c;
    for (double v : {100.0, 300.0, 500.0}) {
        c.hours.push_back(at(int(c.hours.size())));
        c.hourly.push_back(RasterGrid(0, 0, 10, 10, 4, 4, v));
    }
    Variant half;
    half.name = "half";
    for (const RasterGrid& g : c.hourly) {
        RasterGrid h = g;
        for (double& v : h.values)
            v /= 2;
        half.hourly.push_back(h);
    }
    c.variants = {half};
    SensorMarker s;
    s.position = {15, 15};
    s.limit = 200;
    c.sensors = {s};

    EXPECT_EQ(chosenGrid(c, GridChoice{1})->at(0, 0), 300.0);
    EXPECT_EQ(chosenGrid(c, GridChoice{1, 0})->at(0, 0), 150.0);
    EXPECT_EQ(chosenGrid(c, GridChoice{GridChoice::PeriodMax, 0}), nullptr);
    const RunFigures base = runFigures(c, GridChoice::Baseline);
    const RunFigures variant = runFigures(c, 0);
    EXPECT_EQ(base.max_ugm3, 500.0);
    EXPECT_EQ(variant.max_ugm3, 250.0);
    EXPECT_EQ(base.hoursOverLimitAtSensors, std::vector<int>{2});
    EXPECT_EQ(variant.hoursOverLimitAtSensors, std::vector<int>{1});
}

// Sensors that measure NO2 of modelled NOx: hours of 100, 300 and 500 µg/m³ NOx are 80, 240 and
// 400 µg/m³ NO2 at a ratio of 0.8, so 2 hours exceed QCVN 05:2023's NO2 1-hour limit of 200;
// at a ratio of 0.5 (50, 150, 250) only 1 does. The period figures compare NO2 with the NO2
// limits of the bundled thresholds table.
TEST(ViewContent, FiguresAtSensorsMeasuringNo2OfModelledNox) {
    ViewContent c;
    for (double v : {100.0, 300.0, 500.0}) {
        c.hours.push_back(at(int(c.hours.size())));
        c.hourly.push_back(RasterGrid(0, 0, 10, 10, 4, 4, v));
    }
    ParkModel park;
    c.park = &park;
    const ThresholdTable limits =
        readThresholds(parktwin::test::assetsDir() / "regulation" / "qcvn_thresholds.csv");
    c.thresholds = &limits;
    c.pollutant = "NOX";
    c.measured = "NO2";
    SensorMarker s;
    s.id = "s";
    s.position = {15, 15};
    s.limit = 200;
    c.sensors = {s};
    for (const auto& [ratio, over] : {std::pair{0.8, 2}, {0.5, 1}}) {
        c.measuredHourlyRatio = ratio;
        const RunFigures f = runFigures(c, GridChoice::Baseline);
        EXPECT_EQ(f.hoursOverLimitAtSensors, std::vector<int>{over}) << ratio;
        ASSERT_EQ(f.sensorPeriods.size(), 1u);
        bool hour = false;
        for (const PeriodFigure& p : f.sensorPeriods[0])
            if (p.period == scenario::Period::Hour1) {
                hour = true;
                EXPECT_EQ(p.limit_ugm3, 200.0);
                EXPECT_EQ(p.exceedances, over) << ratio;
                EXPECT_NEAR(p.highest_ugm3, 500.0 * ratio, 1e-9);
            }
        EXPECT_TRUE(hour) << "no NO2 1-hour row";
    }
}

TEST(WindRoseCount, SectorsAndSpeedClasses) {
    // Sector k covers (k - 0.5) * 22.5 to (k + 0.5) * 22.5 degrees: 349 and 11.2 are north,
    // 11.3 is NNE, 180 is sector 8.
    EXPECT_EQ(windSector(349.0), 0);
    EXPECT_EQ(windSector(11.2), 0);
    EXPECT_EQ(windSector(11.3), 1);
    EXPECT_EQ(windSector(180.0), 8);
    EXPECT_EQ(windSector(-90.0), 12);

    auto hour = [](double dir, double speed, bool calm = false) {
        MetHour h;
        h.windFromDir_deg = dir;
        h.windSpeed_ms = speed;
        h.calm = calm;
        return h;
    };
    const WindRose rose =
        windRose({hour(0, 1.5), hour(350, 2.0), hour(180, 5.0), hour(180, 9.0), hour(90, 0, true)});
    EXPECT_EQ(rose.totalHours, 5);
    EXPECT_EQ(rose.calmHours, 1);
    EXPECT_EQ(rose.hours[0][0], 1); // 1.5 m/s: under 2
    EXPECT_EQ(rose.hours[0][1], 1); // 2.0 m/s: 2-4
    EXPECT_EQ(rose.hours[8][2], 1); // 5 m/s: 4-6
    EXPECT_EQ(rose.hours[8][3], 1); // 9 m/s: 6 and over
    EXPECT_EQ(rose.hours[4][0], 0); // the calm hour is in no sector
}

TEST(Contours, APlaneFieldGivesAStraightLineAtTheLevel) {
    // v = x on a 10 m grid from x = 0: the 12.5 contour is the line x = 12.5, one segment per
    // row gap, from y = 0 to y = 40.
    RasterGrid g(0, 0, 10, 10, 6, 5);
    for (int j = 0; j < 5; ++j)
        for (int i = 0; i < 6; ++i)
            g.at(i, j) = g.position(i, j).x;
    const auto segments = contourSegments(g, 12.5);
    ASSERT_EQ(segments.size(), 4u);
    double covered = 0;
    for (const auto& [a, b] : segments) {
        EXPECT_NEAR(a.x, 12.5, 1e-12);
        EXPECT_NEAR(b.x, 12.5, 1e-12);
        covered += std::abs(b.y - a.y);
    }
    EXPECT_NEAR(covered, 40.0, 1e-12);

    g.at(3, 2) = NAN; // cells touching a missing value give no line
    EXPECT_EQ(contourSegments(g, 35.0).size(), 2u);
}

TEST(TerrainLod, TilesCarryDecimatedLevelsWithContiguousRanges) {
    TerrainGrid terrain;
    terrain.heights = RasterGrid(0, 0, 30, 30, 257, 257);
    for (int j = 0; j < 257; ++j)
        for (int i = 0; i < 257; ++i)
            terrain.heights.at(i, j) = 100 + 20 * std::sin(i * 0.05) * std::cos(j * 0.07);
    const osg::ref_ptr<osg::Node> node = buildTerrain(terrain, terrain.heights.extent());
    auto* group = node->asGroup();
    ASSERT_NE(group, nullptr);
    // 256 cells a side in tiles of 64: 4 x 4 tiles.
    ASSERT_EQ(group->getNumChildren(), 16u);
    for (unsigned t = 0; t < group->getNumChildren(); ++t) {
        auto* lod = dynamic_cast<osg::LOD*>(group->getChild(t));
        ASSERT_NE(lod, nullptr);
        ASSERT_EQ(lod->getNumChildren(), 4u);
        EXPECT_EQ(lod->getRangeMode(), osg::LOD::PIXEL_SIZE_ON_SCREEN);
        EXPECT_EQ(lod->getMinRange(3), 0.0f);
        for (unsigned k = 1; k < 4; ++k)
            EXPECT_EQ(lod->getMaxRange(k), lod->getMinRange(k - 1));
        // Triangles at stride s: (64 / s)^2 cells of 2, plus 4 skirts of 64 / s quads of 2.
        for (unsigned k = 0; k < 4; ++k) {
            const int cells = 64 >> k;
            auto* geometry = lod->getChild(k)->asGeometry();
            ASSERT_NE(geometry, nullptr);
            const auto* triangles =
                dynamic_cast<const osg::DrawElementsUInt*>(geometry->getPrimitiveSet(0));
            ASSERT_NE(triangles, nullptr);
            EXPECT_EQ(triangles->size(), size_t(3 * (2 * cells * cells + 4 * 2 * cells)));
        }
    }
}

TEST(PlumeRisePath, RisesDownwindToTheBriggsFinalRise) {
    Stack s;
    s.position = {100, 200};
    s.baseElevation_m = 50;
    s.height_m = 80;
    s.diameter_m = 4;
    s.exitVelocity_ms = 20;
    s.exitTemperature_K = 430;
    MetHour h;
    h.windFromDir_deg = 270; // from the west: the plume goes east
    h.windSpeed_ms = 4;
    h.stability = Stability::D;
    const auto path = plumeRisePath(s, h, dispersion::LandUse::Rural);
    ASSERT_EQ(path.size(), 17u);
    // Exit velocity 20 m/s exceeds 1.5 times any stack-height wind here: no downwash, so the
    // path starts at the top of the stack.
    EXPECT_NEAR(path.front().z, 130.0, 1e-9);
    EXPECT_NEAR(path.back().y, 200.0, 1e-6);
    EXPECT_GT(path.back().x, path.front().x + 100);
    for (size_t k = 1; k < path.size(); ++k)
        EXPECT_GE(path[k].z, path[k - 1].z);
    EXPECT_GT(path.back().z, 130.0 + 20);

    s.exitTemperature_K = 0; // no exhaust data: no rise drawn
    EXPECT_NEAR(plumeRisePath(s, h, dispersion::LandUse::Rural).back().z, 130.0, 1e-9);
}
