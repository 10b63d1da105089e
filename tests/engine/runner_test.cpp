// The hourly runner: hours, met matching, emission profiles, period statistics.

#include "engine/core/error.h"
#include "engine/scenario/runner.h"
#include "test_paths.h"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

using namespace parktwin;
using namespace parktwin::scenario;
using namespace std::chrono;

namespace {

ParkModel flatPark() {
    ParkModel park;
    park.name = "flat test park";
    park.timeZone = UtcOffset{420};
    park.extent = Box2{{-2000, -2000}, {2000, 2000}};
    park.terrain.flatElevation_m = 20;
    Stack s;
    s.id = "s1";
    s.position = {0, 0};
    s.baseElevation_m = 20;
    s.height_m = 30;
    s.diameter_m = 1;
    s.exitVelocity_ms = 5;
    s.exitTemperature_K = 300;
    park.stacks.push_back(s);
    return park;
}

Scenario threeHours() {
    Scenario s;
    s.name = "runner";
    s.start = parseIsoTime("2016-03-01T00:00Z", UtcOffset{0});
    s.end = s.start + hours{3};
    s.receptors.spacing_m = 100;
    SourceSpec src;
    src.stack = "s1";
    src.emissionRate_gs = 10;
    s.sources.push_back(src);
    return s;
}

MetHour hour(UtcTime start, double fromDeg) {
    MetHour m;
    m.start = start;
    m.windSpeed_ms = 4;
    m.windFromDir_deg = fromDeg;
    m.temperature_K = 293;
    m.stability = Stability::D;
    m.mixingHeight_m = 1000;
    return m;
}

} // namespace

TEST(Runner, ReceptorGridCoversTheExtentAtItsSpacing) {
    const RasterGrid g = receptorGrid(threeHours(), flatPark());
    // 4000 m / 100 m + 1 = 41 receptors a side, centred on the extent.
    EXPECT_EQ(g.nx, 41);
    EXPECT_EQ(g.ny, 41);
    EXPECT_DOUBLE_EQ(g.x0, -2000);
    EXPECT_DOUBLE_EQ(g.at(3, 7), 20.0); // flat terrain elevation
}

TEST(Runner, PeriodStatisticsFollowTheHours) {
    const Scenario s = threeHours();
    MetSeries met;
    // Wind from the west, then from the south, and the third hour missing.
    met.hours = {hour(s.start, 270), hour(s.start + hours{1}, 180)};
    RunOptions options;
    options.threads = 2;
    const RunResult r = runScenario(s, flatPark(), met, options);

    ASSERT_EQ(r.hours.size(), 3u);
    ASSERT_EQ(r.hourly.size(), 3u);
    EXPECT_EQ(r.missingHours, 1);
    EXPECT_TRUE(r.hours[2].metMissing);
    // No met, no result: the hour is nodata, not zero.
    EXPECT_TRUE(std::isnan(r.hours[2].max_ugm3));
    EXPECT_TRUE(std::isnan(r.hourly[2].values[0]));

    // Hour 0 blows east, hour 1 blows north: the maxima lie on those axes.
    EXPECT_GT(r.hours[0].maxAt.x, 0);
    EXPECT_NEAR(r.hours[0].maxAt.y, 0, 1e-9);
    EXPECT_GT(r.hours[1].maxAt.y, 0);
    EXPECT_NEAR(r.hours[1].maxAt.x, 0, 1e-9);

    for (size_t k = 0; k < r.periodMax.size(); ++k) {
        const double a = r.hourly[0].values[k], b = r.hourly[1].values[k];
        EXPECT_DOUBLE_EQ(r.periodMax.values[k], std::max(a, b));
        // The mean is over the two hours with met; the missing hour does not count.
        EXPECT_NEAR(r.periodMean.values[k], (a + b) / 2, 1e-12 * (1 + a + b));
    }
    EXPECT_DOUBLE_EQ(r.overallMax_ugm3, std::max(r.hours[0].max_ugm3, r.hours[1].max_ugm3));
}

TEST(Runner, EmissionProfileUsesTheParkLocalHour) {
    Scenario s = threeHours();
    // 2016-03-01T00:00Z is 07:00 in the park (UTC+7): factor 2 there, 1 elsewhere.
    s.sources[0].hourlyFactors.assign(24, 1.0);
    s.sources[0].hourlyFactors[7] = 2.0;
    MetSeries met;
    met.hours = {hour(s.start, 270), hour(s.start + hours{1}, 270)};
    const RunResult r = runScenario(s, flatPark(), met);
    // Same met both hours; concentration is linear in the emission rate.
    EXPECT_NEAR(r.hours[0].max_ugm3, 2.0 * r.hours[1].max_ugm3, 1e-9 * r.hours[0].max_ugm3);
    EXPECT_GT(r.hours[1].max_ugm3, 0.0);
}

TEST(Runner, OneThreadAndTwoThreadsAgree) {
    const Scenario s = threeHours();
    MetSeries met;
    met.hours = {hour(s.start, 200), hour(s.start + hours{1}, 20), hour(s.start + hours{2}, 95)};
    RunOptions one, two;
    one.threads = 1;
    two.threads = 2;
    const RunResult a = runScenario(s, flatPark(), met, one);
    const RunResult b = runScenario(s, flatPark(), met, two);
    EXPECT_EQ(a.periodMax.values, b.periodMax.values);
    for (size_t h = 0; h < 3; ++h)
        EXPECT_EQ(a.hourly[h].values, b.hourly[h].values);
}

TEST(Runner, UnknownStackIsNamed) {
    Scenario s = threeHours();
    s.file = "case.toml";
    s.sources[0].stack = "no-such-stack";
    try {
        runScenario(s, flatPark(), MetSeries{});
        FAIL() << "expected an InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("no-such-stack"), std::string::npos) << e.what();
    }
}

TEST(Runner, OversizedReceptorGridIsRefusedByKey) {
    Scenario s = threeHours();
    s.file = "case.toml";
    // 4,000 m at 1 m spacing: 4,001 x 4,001 = 16 million receptors, over the 4 million cap.
    s.receptors.spacing_m = 1.0;
    try {
        receptorGrid(s, flatPark());
        FAIL() << "expected an InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("receptors.spacing_m"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("16008001"), std::string::npos) << e.what();
    }
}

namespace {

/// The flat park with a 1 km road running north-south through the origin.
ParkModel parkWithRoad() {
    ParkModel park = flatPark();
    Road r;
    r.id = "r1";
    r.line = {{0, -500}, {0, 500}};
    park.roads.push_back(r);
    return park;
}

Scenario roadOnly(double rate_gsm) {
    Scenario s = threeHours();
    s.sources.clear();
    LineSourceSpec line;
    line.id = "haul";
    line.road = "r1";
    line.width_m = 10;
    line.emissionRate_gsm = rate_gsm;
    s.lineSources.push_back(line);
    return s;
}

} // namespace

TEST(Runner, RoadLineSourceConservesMassAcrossTheWind) {
    // 0.01 g/s/m over 1 km (Q = 10 g/s) at ground level, wind 4 m/s from the west, rural D.
    // 1000 m downwind the crosswind integral is 2 Q 1e6 / (sqrt(2 pi) u sz) with
    // sz(1 km) = 32.093 m: 2e7 / (2.5066283 * 4 * 32.093) = 62154.1 µg/m²; the grid row at
    // x = 1000 m sums it at 100 m spacing.
    const Scenario s = roadOnly(0.01);
    MetSeries met;
    met.hours = {hour(s.start, 270)};
    const RunResult r = runScenario(s, parkWithRoad(), met);
    ASSERT_EQ(r.lineVolumes.size(), 100u);
    const int column = 30; // x = -2000 + 30 * 100 = 1000 m
    ASSERT_DOUBLE_EQ(r.grid.position(column, 0).x, 1000.0);
    double integral = 0;
    for (int j = 0; j < r.grid.ny; ++j)
        integral += r.hourly[0].at(column, j) * r.grid.dy;
    EXPECT_NEAR(integral, 62154.1, 62154.1 * 0.01);
    // Upwind of the road: nothing.
    EXPECT_EQ(r.hourly[0].at(10, 20), 0.0);
}

TEST(Runner, RoadRateFollowsItsHourlyFactors) {
    Scenario s = roadOnly(0.01);
    s.lineSources[0].hourlyFactors.assign(24, 1.0);
    s.lineSources[0].hourlyFactors[8] = 3.0; // 01:00 UTC is 08:00 in the park (UTC+7)
    MetSeries met;
    met.hours = {hour(s.start, 270), hour(s.start + hours{1}, 270)};
    const RunResult r = runScenario(s, parkWithRoad(), met);
    EXPECT_NEAR(r.hours[1].max_ugm3, 3.0 * r.hours[0].max_ugm3, 1e-9 * r.hours[1].max_ugm3);
}

TEST(Runner, UnknownRoadIsNamed) {
    Scenario s = roadOnly(0.01);
    s.lineSources[0].road = "nowhere";
    try {
        runScenario(s, parkWithRoad(), MetSeries{});
        FAIL() << "expected an InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("nowhere"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("haul"), std::string::npos) << e.what();
    }
}

namespace {

/// One hour of a straight 3 km road along y through the origin at `rate_gsm`, as the truck
/// simulation hands its traffic to the runner.
std::vector<logistics::HourlySources> roadTraffic(double rate_gsm, int hour = 0) {
    logistics::HourlySources h;
    h.hour = hour;
    dispersion::LineSource line;
    line.id = "link0";
    line.centreline = {{0, -1500}, {0, 1500}};
    line.width_m = 10;
    line.emissionRate_gsm = rate_gsm;
    h.lines.push_back(line);
    h.totalGrams = rate_gsm * 3000 * 3600;
    return {h};
}

} // namespace

TEST(RunnerTraffic, LongRoadMatchesTheInfiniteCrosswindLine) {
    // Turner (1970), Workbook of Atmospheric Dispersion Estimates, PHS Publ. 999-AP-26,
    // chapter 5: an infinite line source at ground level across the wind gives, at ground
    // level x downwind, C = 2 q / (sqrt(2 pi) sigma-z(x) u). Rural D sigma-z from the ISC3
    // user's guide, vol II, table 1-2: 34.459 x^0.86974 below 0.3 km, 32.093 x^0.81066 from
    // 0.3 to 1 km (x in km). Receptors at y = 0 are 1.5 km from either end of the road,
    // far more than 6 sigma-y.
    Scenario s = threeHours();
    s.sources.clear();
    s.end = s.start + hours{1};
    MetSeries met;
    met.hours = {hour(s.start, 270)}; // 4 m/s from the west at 10 m, class D
    RunOptions options;
    const double q_gsm = 0.002;
    options.traffic = roadTraffic(q_gsm);
    const RunResult r = runScenario(s, flatPark(), met, options);
    ASSERT_TRUE(r.traffic);
    EXPECT_EQ(r.traffic->links, 1);
    EXPECT_EQ(r.traffic->linkVolumes, 300);
    EXPECT_NEAR(r.traffic->roadGrams[0], q_gsm * 3000 * 3600, 1e-6);

    const double u_ms = 4;
    for (const auto& [column, sigmaZ_m] :
         {std::pair{22, 34.459 * std::pow(0.2, 0.86974)},   // x = 200 m
          std::pair{25, 32.093 * std::pow(0.5, 0.81066)},   // x = 500 m
          std::pair{28, 32.093 * std::pow(0.8, 0.81066)}}) { // x = 800 m
        const double x_m = r.grid.position(column, 20).x;
        ASSERT_NEAR(r.grid.position(column, 20).y, 0.0, 1e-9);
        const double expected = 2 * q_gsm * 1e6 / (std::sqrt(2 * M_PI) * sigmaZ_m * u_ms);
        EXPECT_NEAR(r.hourly[0].at(column, 20), expected, 1e-3 * expected) << "x = " << x_m;
    }
    // The traffic alone is the whole field here.
    EXPECT_DOUBLE_EQ(r.traffic->max_ugm3, r.overallMax_ugm3);
    EXPECT_EQ(r.traffic->othersMax_ugm3, 0.0);
}

TEST(RunnerTraffic, TrucksAddToTheStacksAndAreCountedApart) {
    const Scenario s = threeHours();
    MetSeries met;
    met.hours = {hour(s.start, 270), hour(s.start + hours{1}, 180),
                 hour(s.start + hours{2}, 90)};
    // Traffic in the second hour only, and an hour past the period that is not dispersed.
    std::vector<logistics::HourlySources> traffic = roadTraffic(0.002, 1);
    traffic.push_back(roadTraffic(0.001, 5)[0]);
    logistics::HourlySources idle;
    idle.hour = 1;
    dispersion::VolumeSource dock;
    dock.id = "dock:d";
    dock.position = {300, 300};
    dock.releaseHeight_m = 3.4;
    dock.initialSigmaY_m = 4.65;
    dock.initialSigmaZ_m = 3.16;
    dock.emissionRate_gs = 0.05;
    idle.volumes.push_back(dock);
    traffic.push_back(idle);

    RunOptions options;
    options.threads = 2;
    const RunResult stacks = runScenario(s, flatPark(), met, options);
    options.traffic = traffic;
    const RunResult both = runScenario(s, flatPark(), met, options);
    ASSERT_FALSE(stacks.traffic);
    ASSERT_TRUE(both.traffic);
    const TrafficResult& t = *both.traffic;
    EXPECT_NEAR(t.roadGrams[1], 0.002 * 3000 * 3600, 1e-6);
    EXPECT_NEAR(t.idleGrams[1], 0.05 * 3600, 1e-9);
    EXPECT_EQ(t.roadGrams[0] + t.roadGrams[2] + t.idleGrams[0] + t.idleGrams[2], 0.0);
    EXPECT_NEAR(t.outsideGrams, 0.001 * 3000 * 3600, 1e-6);
    EXPECT_NEAR(t.totalGrams(), 0.002 * 3000 * 3600 + 0.05 * 3600, 1e-6);

    // Hours without trucks are the stacks' own; the truck hour is the stacks plus the trucks.
    EXPECT_EQ(both.hourly[0].values, stacks.hourly[0].values);
    EXPECT_EQ(both.hourly[2].values, stacks.hourly[2].values);
    bool higher = false;
    for (size_t k = 0; k < both.hourly[1].values.size(); ++k) {
        const double sum = stacks.hourly[1].values[k] + t.periodMax.values[k];
        ASSERT_NEAR(both.hourly[1].values[k], sum, 1e-9 * sum + 1e-12);
        higher = higher || both.hourly[1].values[k] > stacks.hourly[1].values[k];
    }
    EXPECT_TRUE(higher);
    // 100 m east of the road, 1 km north of the stack (the wind blows along the road from
    // the south in that hour), the trucks raise the air.
    EXPECT_DOUBLE_EQ(both.grid.position(21, 30).x, 100.0);
    EXPECT_DOUBLE_EQ(both.grid.position(21, 30).y, 1000.0);
    EXPECT_GT(both.hourly[1].at(21, 30), stacks.hourly[1].at(21, 30));
    EXPECT_EQ(t.maxHour, 1);
    EXPECT_DOUBLE_EQ(t.othersMax_ugm3, stacks.overallMax_ugm3);
    const Vec2 at = both.hours[1].maxAt;
    const int i = int(std::lround((at.x - both.grid.x0) / both.grid.dx));
    const int j = int(std::lround((at.y - both.grid.y0) / both.grid.dy));
    EXPECT_NEAR(both.hours[1].trafficAtMax_ugm3, t.periodMax.at(i, j), 1e-9);
}

TEST(RunnerTraffic, OneLinkIdWithTwoRoadsIsRefused) {
    const Scenario s = threeHours();
    std::vector<logistics::HourlySources> traffic = roadTraffic(0.002, 0);
    traffic.push_back(roadTraffic(0.002, 1)[0]);
    traffic[1].lines[0].centreline[1] = {100, 1500};
    RunOptions options;
    options.traffic = traffic;
    try {
        runScenario(s, flatPark(), MetSeries{}, options);
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("link0"), std::string::npos) << e.what();
    }
}
