#include "engine/core/error.h"
#include "engine/scenario/scenario.h"
#include "test_paths.h"

#include <fstream>

#include <gtest/gtest.h>

using namespace parktwin;
using namespace parktwin::scenario;

namespace {

std::filesystem::path writeScenario(const std::string& body) {
    const auto path = test::scratchDir() / "case.toml";
    std::ofstream(path) << body;
    return path;
}

const char* kMinimal = R"(
[scenario]
name = "t"
park = "park.toml"
start = "2016-03-01T00:00"
end = "2016-03-02T00:00"

[met]
format = "parktwin-csv"
file = "met.csv"
utc_offset = "Z"

[[sources]]
stack = "s1"
emission_rate_gs = 10.0
)";

/// Loads `body` and checks that it fails with an InputError whose message holds `needle`.
void expectError(const std::string& body, const std::string& needle) {
    try {
        loadScenario(writeScenario(body), UtcOffset{420});
        ADD_FAILURE() << "expected an InputError mentioning " << needle;
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
}

} // namespace

TEST(Scenario, BundledThaiNguyenScenarioLoads) {
    const auto file = test::sourceDir() / "scenarios" / "thai_nguyen_baseline.toml";
    const Scenario s = loadScenario(file, UtcOffset{420});
    EXPECT_EQ(s.name, "thai_nguyen_baseline");
    EXPECT_EQ(s.hourCount(), 72);
    // 2016-03-01T00:00 at UTC+7 is 2016-02-29T17:00Z = 1456765200 (date -u -d ... +%s).
    EXPECT_EQ(s.start.time_since_epoch().count(), 1456765200);
    EXPECT_EQ(s.sources.size(), 4u);
    EXPECT_TRUE(std::filesystem::exists(s.park));
    EXPECT_TRUE(std::filesystem::exists(s.met.file));
    EXPECT_EQ(s.met.utcOffset.minutes, 480);
}

TEST(Scenario, HourlyFactorsScaleTheRateByLocalHour) {
    SourceSpec spec;
    spec.emissionRate_gs = 10.0;
    EXPECT_DOUBLE_EQ(spec.rateAt(5), 10.0);
    spec.hourlyFactors.assign(24, 1.0);
    spec.hourlyFactors[13] = 1.5;
    EXPECT_DOUBLE_EQ(spec.rateAt(13), 15.0);
    EXPECT_DOUBLE_EQ(spec.rateAt(12), 10.0);
}

TEST(Scenario, MinimalScenarioUsesDefaults) {
    const Scenario s = loadScenario(writeScenario(kMinimal), UtcOffset{420});
    EXPECT_EQ(s.hourCount(), 24);
    EXPECT_EQ(s.pollutant, "SO2");
    EXPECT_DOUBLE_EQ(s.receptors.spacing_m, 100.0);
    EXPECT_EQ(s.plume.landUse, dispersion::LandUse::Rural);
}

TEST(Scenario, UnknownKeyIsRefusedWithItsName) {
    std::string body = kMinimal;
    body += "\n[receptors]\nspacing_m = 50\nspaceing = 3\n";
    try {
        loadScenario(writeScenario(body), UtcOffset{420});
        FAIL() << "expected an InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("receptors.spaceing"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("case.toml"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("line"), std::string::npos) << e.what();
    }
}

TEST(Scenario, BadValuesNameTheKey) {
    std::string negative = kMinimal;
    negative.replace(negative.find("10.0"), 4, "-1.0");
    expectError(negative, "emission_rate_gs");

    std::string backwards = kMinimal;
    backwards.replace(backwards.find("2016-03-02"), 10, "2016-02-01");
    expectError(backwards, "scenario.end");

    std::string badTime = kMinimal;
    badTime.replace(badTime.find("2016-03-01T00:00"), 16, "next tuesday");
    expectError(badTime, "scenario.start");

    expectError("[scenario\nname = 1", "line 1");
}

TEST(Scenario, RefusesAmbiguousOrImpossibleSettings) {
    // The met zone has no default: a silent UTC would shift the weather by hours.
    std::string noZone = kMinimal;
    noZone.replace(noZone.find("utc_offset = \"Z\"\n"), 17, "");
    expectError(noZone, "met.utc_offset");

    std::string twice = kMinimal;
    twice += "\n[[sources]]\nstack = \"s1\"\nemission_rate_gs = 2.0\n";
    expectError(twice, "already listed");

    std::string anemometer = kMinimal;
    anemometer.replace(anemometer.find("utc_offset"), 0, "anemometer_height_m = 0\n");
    expectError(anemometer, "met.anemometer_height_m");

    expectError(std::string(kMinimal) + "\n[receptors]\nmargin_m = -7000\n", "receptors.margin_m");
}

TEST(Scenario, PollutantNamesAreUpperCased) {
    std::string body = kMinimal;
    body.replace(body.find("park = "), 0, "pollutant = \"so2\"\n");
    EXPECT_EQ(loadScenario(writeScenario(body), UtcOffset{420}).pollutant, "SO2");
}

namespace {

const char* kLineOnly = R"(
[scenario]
name = "t"
park = "park.toml"
start = "2016-03-01T00:00"
end = "2016-03-02T00:00"

[met]
format = "parktwin-csv"
file = "met.csv"
utc_offset = "Z"

[[line_sources]]
road = "way/123"
width_m = 14.0
release_height_m = 2.5
initial_sigma_z_m = 2.3
emission_rate_gsm = 0.0004
)";

std::string replaced(std::string body, const std::string& from, const std::string& to) {
    body.replace(body.find(from), from.size(), to);
    return body;
}

} // namespace

TEST(Scenario, LineSourcesAlone) {
    const Scenario s = loadScenario(writeScenario(kLineOnly), UtcOffset{420});
    EXPECT_TRUE(s.sources.empty());
    ASSERT_EQ(s.lineSources.size(), 1u);
    const LineSourceSpec& l = s.lineSources[0];
    EXPECT_EQ(l.id, "way/123"); // the road id unless one is given
    EXPECT_EQ(l.road, "way/123");
    EXPECT_DOUBLE_EQ(l.width_m, 14.0);
    EXPECT_DOUBLE_EQ(l.releaseHeight_m, 2.5);
    EXPECT_DOUBLE_EQ(l.initialSigmaZ_m, 2.3);
    EXPECT_DOUBLE_EQ(l.rateAt(5), 0.0004);
}

TEST(Scenario, LineSourcesBesideStacksWithHourlyFactors) {
    std::string body = std::string(kMinimal) + R"(
[[line_sources]]
id = "haul road"
road = "r1"
width_m = 10
release_height_m = 2
initial_sigma_z_m = 1.5
emission_rate_gsm = 0.001
hourly_factors = [0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0]
)";
    const Scenario s = loadScenario(writeScenario(body), UtcOffset{420});
    ASSERT_EQ(s.sources.size(), 1u);
    ASSERT_EQ(s.lineSources.size(), 1u);
    EXPECT_EQ(s.lineSources[0].id, "haul road");
    EXPECT_DOUBLE_EQ(s.lineSources[0].rateAt(8), 0.002);
    EXPECT_DOUBLE_EQ(s.lineSources[0].rateAt(2), 0.0);
}

TEST(Scenario, BadLineSourcesNameTheKey) {
    expectError(replaced(kLineOnly, "width_m = 14.0", "width_m = 0.0"),
                "line_sources[0].width_m");
    expectError(replaced(kLineOnly, "emission_rate_gsm = 0.0004", "emission_rate_gsm = -1.0"),
                "line_sources[0].emission_rate_gsm");
    expectError(replaced(kLineOnly, "release_height_m = 2.5\n", ""),
                "line_sources[0].release_height_m");
    expectError(replaced(kLineOnly, "width_m = 14.0", "width_m = 14.0\nwidht_m = 3.0"), "widht_m");
    expectError(replaced(kLineOnly, "emission_rate_gsm = 0.0004",
                         "emission_rate_gsm = 0.0004\nhourly_factors = [1, 2]"),
                "expected 24 factors");
    expectError(std::string(kLineOnly) + R"(
[[line_sources]]
road = "way/123"
width_m = 10
release_height_m = 2
initial_sigma_z_m = 1
emission_rate_gsm = 0.001
)",
                "already listed");
}
