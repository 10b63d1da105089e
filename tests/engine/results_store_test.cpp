#include "engine/core/error.h"
#include "engine/scenario/results_store.h"
#include "test_paths.h"

#include <gtest/gtest.h>

using namespace parktwin;
using namespace parktwin::scenario;

TEST(ResultsStore, RoundTripsARun) {
    const auto file = test::scratchDir() / "results.sqlite";
    Scenario scenario;
    scenario.name = "roundtrip";
    scenario.start = parseIsoTime("2016-03-01T00:00Z", UtcOffset{0});
    scenario.end = scenario.start + std::chrono::hours(2);
    ParkModel park;
    park.name = "Test park";
    park.frame.crs = "EPSG:32648";
    MetSeries met;
    met.source = "hand-made";

    RunResult result;
    result.periodMax = RasterGrid(-50, -50, 100, 100, 2, 3);
    // Values chosen to be exact in float32 so the stored copy compares equal.
    for (size_t k = 0; k < result.periodMax.size(); ++k)
        result.periodMax.values[k] = 0.5 * double(k);
    result.periodMean = result.periodMax;
    result.hours.resize(2);
    result.hours[0].start = scenario.start;
    result.hours[0].met.calm = true;
    result.hours[1].start = scenario.start + std::chrono::hours(1);
    result.hours[1].max_ugm3 = 2.5;
    result.hours[1].maxAt = {150, -250};
    result.hours[1].met.windSpeed_ms = 3.5;
    result.hours[1].met.windFromDir_deg = 247.5;
    result.hours[1].met.temperature_K = 288.25;
    result.hours[1].met.stability = Stability::E;
    result.hours[1].met.mixingHeight_m = 640;
    result.hourly = {result.periodMax, result.periodMax};
    result.overallMax_ugm3 = 2.5;

    {
        ResultsStore store(file);
        store.writeRun(scenario, park, met, result);
    }
    ResultsStore store(file);
    EXPECT_EQ(store.hourCount(), 2);
    EXPECT_EQ(store.metadata("scenario_name").value_or(""), "roundtrip");
    EXPECT_EQ(store.metadata("start_utc").value_or(""), "2016-03-01T00:00:00Z");
    EXPECT_FALSE(store.metadata("no such key"));
    const auto grid = store.grid("period_max");
    ASSERT_TRUE(grid);
    EXPECT_EQ(grid->nx, 2);
    EXPECT_EQ(grid->ny, 3);
    EXPECT_DOUBLE_EQ(grid->x0, -50);
    EXPECT_EQ(grid->values, result.periodMax.values);
    EXPECT_TRUE(store.grid("hourly", 1));
    EXPECT_FALSE(store.grid("hourly", 7));

    const auto hours = store.hours();
    ASSERT_EQ(hours.size(), 2u);
    EXPECT_EQ(hours[0].start, scenario.start);
    EXPECT_TRUE(hours[0].met.calm);
    const HourResult& h = hours[1];
    EXPECT_EQ(h.start, scenario.start + std::chrono::hours(1));
    EXPECT_EQ(h.met.start, h.start);
    EXPECT_FALSE(h.met.calm);
    EXPECT_DOUBLE_EQ(h.met.windSpeed_ms, 3.5);
    EXPECT_DOUBLE_EQ(h.met.windFromDir_deg, 247.5);
    EXPECT_DOUBLE_EQ(h.met.temperature_K, 288.25);
    EXPECT_EQ(h.met.stability, Stability::E);
    EXPECT_DOUBLE_EQ(h.met.mixingHeight_m, 640);
    EXPECT_DOUBLE_EQ(h.max_ugm3, 2.5);
    EXPECT_DOUBLE_EQ(h.maxAt.x, 150);
    EXPECT_DOUBLE_EQ(h.maxAt.y, -250);
}

TEST(ResultsStore, UnwritablePathIsAClearError) {
    try {
        ResultsStore store("/proc/no/such/dir/results.sqlite");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("/proc/no/such/dir/results.sqlite"),
                  std::string::npos);
    }
}
