// The ISC ASCII met reader against EPA's PREPIT.ASC (validation/isc3) and hand-made records.

#include "engine/core/error.h"
#include "engine/met/isc_ascii_met.h"
#include "engine/scenario/met_source.h"
#include "engine/scenario/scenario.h"
#include "test_paths.h"

#include <algorithm>
#include <fstream>

#include <gtest/gtest.h>

using namespace parktwin;
using namespace parktwin::met;

namespace {

const UtcOffset kEst{-300}; // Pittsburgh, local standard time UTC-5

std::filesystem::path writeMet(const std::string& body) {
    const auto path = test::scratchDir() / "met.asc";
    std::ofstream(path) << " 94823     64  94823     64\n" << body;
    return path;
}

std::string errorOf(const std::string& body) {
    try {
        readIscAsciiMet(writeMet(body), kEst, 6.096, IscMixing::Rural);
    } catch (const InputError& e) {
        return e.what();
    }
    ADD_FAILURE() << "no InputError";
    return {};
}

} // namespace

TEST(MetIscAscii, ReadsEpaPittsburghFile) {
    const auto file = test::sharedDataDir() / "validation" / "isc3" / "PREPIT.ASC";
    PARKTWIN_REQUIRE_SHARED(file);
    const MetSeries s = readIscAsciiMet(file, kEst, 6.096, IscMixing::Rural);
    // The README of validation/isc3: 480 hourly records, 1-20 January 1964.
    ASSERT_EQ(s.hours.size(), 480u);

    // First record "64 1 1 1 251.0000   3.0866 268.1 5  517.2  455.0": hour ending 1 on
    // 1 January 1964 EST starts at 00:00 EST = 05:00 UTC; flow toward 251 deg is wind from
    // 71 deg; class 5 = E; rural mixing height 517.2 m.
    const MetHour& h = s.hours.front();
    EXPECT_EQ(h.start, parseIsoTime("1964-01-01T05:00Z", UtcOffset{0}));
    EXPECT_DOUBLE_EQ(h.windFromDir_deg, 71.0);
    EXPECT_DOUBLE_EQ(h.windSpeed_ms, 3.0866);
    EXPECT_DOUBLE_EQ(h.temperature_K, 268.1);
    EXPECT_EQ(h.stability, Stability::E);
    EXPECT_DOUBLE_EQ(h.mixingHeight_m, 517.2);
    EXPECT_DOUBLE_EQ(h.anemometerHeight_m, 6.096);
    EXPECT_EQ(s.hours.back().start, parseIsoTime("1964-01-21T04:00Z", UtcOffset{0}));

    // TEST-ST.OUT: "A Total of 6 Calm Hours Identified" (ISCST3 counts the calms of every
    // hour it reads): six records of the file carry a zero wind speed.
    int calm = 0;
    for (const MetHour& m : s.hours)
        calm += m.calm;
    EXPECT_EQ(calm, 6);

    // "64 111 5  13.0000    .0000 262.0 7 1140.3  588.0": class 7 (G) is modelled as F,
    // and the urban choice takes the last column.
    const MetSeries urban = readIscAsciiMet(file, kEst, 6.096, IscMixing::Urban);
    const UtcTime g = parseIsoTime("1964-01-11T04:00-05:00", UtcOffset{0});
    const auto it = std::find_if(urban.hours.begin(), urban.hours.end(),
                                 [&](const MetHour& m) { return m.start == g; });
    ASSERT_NE(it, urban.hours.end());
    EXPECT_EQ(it->stability, Stability::F);
    EXPECT_DOUBLE_EQ(it->mixingHeight_m, 588.0);
    EXPECT_TRUE(it->calm);
}

TEST(MetIscAscii, HourTwentyFourStartsAtElevenAtNight) {
    const MetSeries s = readIscAsciiMet(
        writeMet("64 1 124  90.0000   2.0000 270.0 4  500.0  400.0\n"), kEst, 10,
        IscMixing::Rural);
    ASSERT_EQ(s.hours.size(), 1u);
    EXPECT_EQ(s.hours[0].start, parseIsoTime("1964-01-01T23:00-05:00", UtcOffset{0}));
    EXPECT_DOUBLE_EQ(s.hours[0].windFromDir_deg, 270.0);
}

TEST(MetIscAscii, BadRecordsNameLineAndField) {
    const std::string ok = "64 1 1 1 251.0000   3.0866 268.1 5  517.2  455.0\n";
    std::string e = errorOf(ok + "64 1 1 2 268.0000   5.1444 268.7 9  505.9  505.9\n");
    EXPECT_NE(e.find("line 3, stability class"), std::string::npos) << e;
    e = errorOf(ok + "64 1 1 2 268.0000   fast   268.7 4  505.9  505.9\n");
    EXPECT_NE(e.find("line 3, wind speed"), std::string::npos) << e;
    e = errorOf(ok + "64 1 1 2 268.0000   5.1444 268.7 4\n");
    EXPECT_NE(e.find("line 3, rural mixing height"), std::string::npos) << e;
    e = errorOf(ok + "64 1 1 1 251.0000   3.0866 268.1 5  517.2  455.0\n");
    EXPECT_NE(e.find("repeats the hour of line 2"), std::string::npos) << e;
    e = errorOf(ok + "64 1 125 268.0000   5.1444 268.7 4  505.9  505.9\n");
    EXPECT_NE(e.find("hour ending 1-24"), std::string::npos) << e;
    e = errorOf(ok + "64 1 1 2 268.0000      nan 268.7 4  505.9  505.9\n");
    EXPECT_NE(e.find("wind speed"), std::string::npos) << e;
    EXPECT_NE(e.find("met.asc"), std::string::npos) << e;
}

TEST(MetIscAscii, ScenarioTakesItsHoursFromAnIscFile) {
    const auto dir = test::scratchDir();
    std::ofstream(dir / "met.asc") << " 94823     64  94823     64\n"
                                   << "64 1 1 1 251.0000   3.0866 268.1 5  517.2  455.0\n"
                                   << "64 1 1 2 268.0000   5.1444 268.7 4  505.9  505.9\n"
                                   << "64 1 1 3 274.0000   5.1444 269.3 4  494.6  494.6\n";
    std::ofstream(dir / "case.toml") << R"(
[scenario]
name = "isc"
park = "park.toml"
start = "1964-01-01T01:00-05:00"
end = "1964-01-01T03:00-05:00"
[met]
format = "isc-ascii"
file = "met.asc"
utc_offset = "-05:00"
anemometer_height_m = 6.096
[dispersion]
land_use = "urban"
[[sources]]
stack = "s"
emission_rate_gs = 1.0
)";
    const scenario::Scenario s = scenario::loadScenario(dir / "case.toml", UtcOffset{0});
    const MetSeries met = scenario::loadMet(s);
    // Hours ending 2 and 3 start at 01:00 and 02:00 EST; hour ending 1 is before the period.
    ASSERT_EQ(met.hours.size(), 2u);
    EXPECT_EQ(met.hours[0].start, s.start);
    EXPECT_DOUBLE_EQ(met.hours[0].mixingHeight_m, 505.9); // urban column
    EXPECT_DOUBLE_EQ(met.hours[1].anemometerHeight_m, 6.096);
}
