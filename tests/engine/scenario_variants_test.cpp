// Scenario additions for the analyst: background, sensitive receptors, NO2 from NOx, variants,
// and the background series reader.

#include "engine/core/error.h"
#include "engine/scenario/background.h"
#include "engine/scenario/runner.h"
#include "engine/scenario/scenario.h"
#include "test_paths.h"

#include <cmath>
#include <fstream>

#include <gtest/gtest.h>

using namespace parktwin;
using namespace parktwin::scenario;

namespace {

std::filesystem::path folder() {
    static std::string test;
    static std::filesystem::path dir;
    const std::string current = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    if (current != test) {
        test = current;
        dir = test::scratchDir();
    }
    return dir;
}

std::filesystem::path write(const std::string& name, const std::string& body) {
    const auto path = folder() / name;
    std::ofstream(path) << body;
    return path;
}

const std::string kBase = R"(
[scenario]
name = "base"
park = "park.toml"
start = "2016-03-01T00:00"
end = "2016-03-02T00:00"
pollutant = "SO2"

[met]
format = "parktwin-csv"
file = "met.csv"
utc_offset = "Z"

[[sources]]
stack = "s1"
emission_rate_gs = 10.0

[[sources]]
stack = "s2"
emission_rate_gs = 5.0
)";

Scenario load(const std::string& body) {
    return loadScenario(write("case.toml", body), UtcOffset{420});
}

void expectError(const std::string& body, const std::string& needle) {
    try {
        load(body);
        ADD_FAILURE() << "expected an InputError mentioning " << needle;
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
}

} // namespace

TEST(ScenarioVariants, OverrideOnlyWhatTheyName) {
    const Scenario s = load(kBase + R"(
[[variants]]
name = "tall"
title = "Stack s1 at 150 m"
[[variants.sources]]
stack = "s1"
height_m = 150.0

[[variants]]
name = "new_source"
[variants.scenario]
end = "2016-03-01T12:00"
[[variants.sources]]
stack = "boiler"
emission_rate_gs = 3.0
easting_m = 585000.0
northing_m = 2385000.0
height_m = 40.0
diameter_m = 2.0
exit_velocity_ms = 8.0
exit_temperature_K = 400.0
)");
    ASSERT_EQ(s.variants.size(), 2u);
    EXPECT_TRUE(s.variantOf.empty());
    EXPECT_FALSE(s.sources[0].height_m.has_value());

    const Scenario& tall = s.variants[0];
    EXPECT_EQ(tall.name, "tall");
    EXPECT_EQ(tall.title, "Stack s1 at 150 m");
    EXPECT_EQ(tall.variantOf, "base");
    ASSERT_EQ(tall.sources.size(), 2u);
    EXPECT_EQ(*tall.sources[0].height_m, 150.0);
    EXPECT_EQ(tall.sources[0].emissionRate_gs, 10.0); // kept from the baseline
    EXPECT_EQ(tall.hourCount(), 24);

    const Scenario& added = s.variants[1];
    ASSERT_EQ(added.sources.size(), 3u);
    EXPECT_EQ(added.sources[2].stack, "boiler");
    EXPECT_EQ(added.sources[2].position.projected->x, 585000.0);
    EXPECT_EQ(added.hourCount(), 12);
    EXPECT_EQ(added.pollutant, "SO2");
}

TEST(ScenarioVariants, ErrorsNameTheVariantsLine) {
    // A misspelt key inside a variant is refused with the line it is on (line 26 here).
    expectError(kBase + R"(
[[variants]]
name = "v"
[[variants.sources]]
stack = "s1"
hieght_m = 150.0
)", "line 26");
    expectError(kBase + R"(
[[variants]]
name = "bad name!"
)", "folder name");
    expectError(kBase + R"(
[[variants]]
name = "v"
[[variants]]
name = "v"
)", "used twice");
    expectError(kBase + R"(
[[variants]]
name = "v"
[variants.sources]
stack = "s1"
)", "sources");
}

TEST(ScenarioVariants, NewSourceWithoutParametersIsRefusedAtTheRun) {
    Scenario s = load(kBase + R"(
[[variants]]
name = "v"
[[variants.sources]]
stack = "unknown"
emission_rate_gs = 1.0
)");
    ParkModel park;
    park.name = "p";
    park.stacks = {{"s1", "", {0, 0}, 0, 50, 2, 10, 400, false, ""},
                   {"s2", "", {10, 0}, 0, 50, 2, 10, 400, false, ""}};
    try {
        modelledSources(s.variants[0], park);
        ADD_FAILURE() << "expected an error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("line 25"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("needs a position"), std::string::npos);
    }
    // The baseline's stacks take the variant's overrides.
    Scenario t = load(kBase + R"(
[[variants]]
name = "v"
[[variants.sources]]
stack = "s2"
height_m = 99.0
exit_temperature_K = 450.0
)");
    const auto sources = modelledSources(t.variants[0], park);
    EXPECT_EQ(sources[1].height_m, 99.0);
    EXPECT_EQ(sources[1].exitTemperature_K, 450.0);
    EXPECT_EQ(sources[1].diameter_m, 2.0);
    EXPECT_EQ(modelledSources(t, park)[1].height_m, 50.0);
}

TEST(ScenarioBackground, ConstantAndErrors) {
    const Scenario s = load(kBase + "[background]\nvalue_ugm3 = 12.5\n");
    EXPECT_EQ(*s.background.constant_ugm3, 12.5);
    const BackgroundSeries b = loadBackground(s);
    ASSERT_EQ(b.hourly_ugm3.size(), 24u);
    EXPECT_EQ(b.hourly_ugm3[23], 12.5);
    expectError(kBase + "[background]\nvalue_ugm3 = -1\n", "background.value_ugm3");
    expectError(kBase + "[background]\nfile = \"bg.csv\"\ncolumn = \"SO2\"\n", "utc_offset");
    expectError(kBase + "[background]\nnote = \"x\"\n", "expected value_ugm3");
}

TEST(ScenarioBackground, HourlySeriesFromACsvWithItsOwnZone) {
    // Stamps at UTC+8: 2016-03-01T01:00+08:00 is 2016-02-29T17:00Z, the scenario's first hour
    // (2016-03-01T00:00 at UTC+7).
    write("bg.csv", "time,SO2\n"
                    "2016-03-01T01:00,7\n"
                    "2016-03-01T02:00,NA\n"
                    "2016-03-01T03:00,9.5\n"
                    "2016-03-05T00:00,1000\n");
    const Scenario s = load(kBase + "[background]\nfile = \"bg.csv\"\ncolumn = \"SO2\"\n"
                                    "time_column = \"time\"\nutc_offset = \"+08:00\"\n");
    const BackgroundSeries b = loadBackground(s);
    EXPECT_EQ(b.hourly_ugm3[0], 7.0);
    EXPECT_TRUE(std::isnan(b.hourly_ugm3[1]));
    EXPECT_EQ(b.hourly_ugm3[2], 9.5);
    EXPECT_EQ(b.missingHours, 22);
}

TEST(ScenarioBackground, PrsaColumnsAndBadRows) {
    const std::string spec = "[background]\nfile = \"bg.csv\"\ncolumn = \"SO2\"\n"
                             "utc_offset = \"+07:00\"\n";
    write("bg.csv", "\"No\",\"year\",\"month\",\"day\",\"hour\",\"SO2\"\n"
                    "1,2016,3,1,0,4\n2,2016,3,1,1,5\n");
    const BackgroundSeries b = loadBackground(load(kBase + spec));
    EXPECT_EQ(b.hourly_ugm3[0], 4.0);
    EXPECT_EQ(b.hourly_ugm3[1], 5.0);

    auto expectBad = [&](const std::string& csv, const std::string& needle) {
        write("bg.csv", csv);
        const Scenario s = load(kBase + spec);
        try {
            loadBackground(s);
            ADD_FAILURE() << "expected an error with " << needle;
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("bg.csv"), std::string::npos) << e.what();
        }
    };
    expectBad("year,month,day,hour,SO2\n2016,3,1,0,4\n2016,3,1,0,5\n", "already appears on line 2");
    expectBad("year,month,day,hour,SO2\n2016,3,1,0,abc\n", "line 2");
    expectBad("year,month,day,hour,SO2\n2016,13,1,0,4\n", "line 2");
    expectBad("year,month,day,hour,NO2\n2016,3,1,0,4\n", "no column \"SO2\"");
    expectBad("year,month,day,hour,SO2\n2016,3,1,0\n", "expected 5 fields");
    expectBad("year,month,day,hour,SO2\n2016,3,1,0,NA\n", "no background value for any hour");
}

TEST(ScenarioSites, ListedSitesNeedAPositionAndFallInsideTheGrid) {
    Scenario s = load(kBase + R"(
[[sensitive_receptors]]
id = "school-a"
name = "Trường Tiểu học A"
kind = "school"
easting_m = 1000.0
northing_m = 2000.0

[[sensitive_receptors]]
id = "far"
longitude = 105.8
latitude = 21.6
)");
    ASSERT_EQ(s.sites.size(), 2u);
    LocalFrame frame{"EPSG:32648", "", 1000.0, 2000.0};
    // Stand-in conversion: the far site lands 100 km away.
    resolvePositions(s, frame, [](Vec2) { return Vec2{101000.0, 2000.0}; });
    ParkModel park;
    park.sensitiveSites = {{"osm-1", "Bệnh viện", "hospital", "pois", {5, 5}}};
    const Box2 extent{{-50, -50}, {50, 50}};
    const auto sites = sensitiveSites(s, park, extent);
    ASSERT_EQ(sites.size(), 2u);
    EXPECT_EQ(sites[0].id, "osm-1");
    EXPECT_EQ(sites[1].id, "school-a");
    EXPECT_EQ(sites[1].position.x, 0.0);

    expectError(kBase + "[[sensitive_receptors]]\nid = \"x\"\n", "longitude/latitude");
    expectError(kBase + "[[sensitive_receptors]]\nid = \"x\"\nlongitude = 105.8\n",
                "give both longitude and latitude");
}

TEST(ScenarioNo2, ArmRatiosAndPollutantCheck) {
    std::string nox = kBase;
    nox.replace(nox.find("pollutant = \"SO2\""), 17, "pollutant = \"NOx\"");
    const Scenario s = load(nox + "[no2]\nmethod = \"arm\"\n");
    EXPECT_EQ(s.compliancePollutant(), "NO2");
    EXPECT_EQ(s.no2.hourlyRatio, 0.80);
    EXPECT_EQ(s.no2.annualRatio, 0.75);
    EXPECT_EQ(load(nox + "[no2]\nmethod = \"full\"\n").no2.hourlyRatio, 1.0);
    expectError(kBase + "[no2]\nmethod = \"arm\"\n", "pollutant = \"NOx\"");
    expectError(nox + "[no2]\nmethod = \"olm\"\n", "no2.method");
    expectError(nox + "[no2]\nmethod = \"arm\"\nhourly_ratio = 1.5\n", "no2.hourly_ratio");
}

TEST(ScenarioCompliance, RanksCompletenessAndContourLevels) {
    const Scenario s = load(kBase + "[compliance]\nrank_1h = 2\ncompleteness = 0.9\n"
                                    "[outputs]\ncontour_levels = [10.0, 50.0]\n");
    EXPECT_EQ(s.compliance.ranks.at("1h"), 2);
    EXPECT_EQ(s.compliance.ranks.at("24h"), 1);
    EXPECT_EQ(s.compliance.completeness, 0.9);
    EXPECT_EQ(s.outputs.contourLevels_ugm3.size(), 2u);
    expectError(kBase + "[compliance]\nrank_1h = 0\n", "compliance.rank_1h");
    expectError(kBase + "[compliance]\nrank_24h = 1.5\n", "compliance.rank_24h");
    expectError(kBase + "[compliance]\ncompleteness = 0\n", "compliance.completeness");
    expectError(kBase + "[compliance]\nrank_2h = 1\n", "compliance.rank_2h");
    expectError(kBase + "[outputs]\ncontour_levels = [-5.0]\n", "outputs.contour_levels");
}
