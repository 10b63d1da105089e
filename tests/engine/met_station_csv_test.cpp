// Station CSV readers: the Beijing PRSA format on the real files and on hand-made ones, and
// ParkTwin's own met CSV.

#include "engine/met/parktwin_met_csv.h"
#include "engine/met/station_csv.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "log_capture.h"
#include "test_paths.h"

using namespace parktwin;
using namespace parktwin::met;

namespace {

// Dongsi station, central Beijing (about 39.929 N, 116.417 E), local time UTC+8.
StationInfo dongsi() {
    StationInfo s;
    s.name = "Dongsi";
    s.latitude_deg = 39.929;
    s.longitude_deg = 116.417;
    s.utcOffset = UtcOffset{480};
    s.anemometerHeight_m = 10;
    s.landUse = dispersion::LandUse::Urban;
    return s;
}

std::filesystem::path prsaFile(const char* station) {
    return test::sharedDataDir() / "sensors" / "beijing_prsa_multisite" /
           (std::string("PRSA_Data_") + station + "_20130301-20170228.csv");
}

std::filesystem::path writeFile(const std::string& name, const std::string& text) {
    const auto path = test::scratchDir() / name;
    std::ofstream(path) << text;
    return path;
}

const char* kPrsaHeader = "\"No\",\"year\",\"month\",\"day\",\"hour\",\"PM2.5\",\"PM10\",\"SO2\","
                          "\"NO2\",\"CO\",\"O3\",\"TEMP\",\"PRES\",\"DEWP\",\"RAIN\",\"wd\","
                          "\"WSPM\",\"station\"\n";

UtcTime utc(const char* iso) { return parseIsoTime(iso, UtcOffset{0}); }

// Keeps what the "met" logger writes while it lives.

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST(MetStationCsv, CompassPoints) {
    EXPECT_EQ(compassToDegrees("N"), 0.0);
    EXPECT_EQ(compassToDegrees("NNE"), 22.5);
    EXPECT_EQ(compassToDegrees("E"), 90.0);
    EXPECT_EQ(compassToDegrees("WSW"), 247.5);
    EXPECT_EQ(compassToDegrees("NNW"), 337.5);
    EXPECT_FALSE(compassToDegrees("NA").has_value());
    EXPECT_FALSE(compassToDegrees("north").has_value());
}

TEST(MetStationCsv, FirstDayOfDongsi) {
    const auto path = prsaFile("Dongsi");
    PARKTWIN_REQUIRE_SHARED(path);
    // 2013-03-01 00:00 to 2013-03-02 00:00 local (UTC+8) = 2013-02-28T16:00Z to 03-01T16:00Z.
    StationReadStats stats;
    const MetSeries s = readStationCsv(path, dongsi(), utc("2013-02-28T16:00Z"),
                                       utc("2013-03-01T16:00Z"), &stats);
    ASSERT_EQ(s.hours.size(), 24u);
    EXPECT_EQ(stats.hoursKept, 24);
    EXPECT_EQ(stats.missingWindHours, 0);
    EXPECT_FALSE(s.stabilityMethod.empty());
    EXPECT_FALSE(s.mixingMethod.empty());

    // Row 1: 2013,3,1,0 ... TEMP -0.5, wd "NNW", WSPM 5.7.
    const MetHour& h0 = s.hours[0];
    EXPECT_EQ(h0.start, utc("2013-02-28T16:00Z"));
    EXPECT_DOUBLE_EQ(h0.windSpeed_ms, 5.7);
    EXPECT_DOUBLE_EQ(h0.windFromDir_deg, 337.5);
    EXPECT_NEAR(h0.temperature_K, 272.65, 1e-9);
    // Local 00:30, sun far below the horizon: clear night, index -2; 5.7 m/s = 11.08 -> 11 kt:
    // table 6-4 gives D. Mixing height 320 * 5.7 = 1824 m.
    EXPECT_EQ(h0.stability, Stability::D);
    EXPECT_NEAR(h0.mixingHeight_m, 1824.0, 1e-9);

    // Row 13: hour 12, wd "W", 4.6 m/s. At 12:30 local the sun is about 18 minutes past
    // its transit (equation of time -12.4 min; 4 min x (120 - 116.417)° = 14.3 min late):
    // elevation close to 90 - 39.93 - 7.53 = 42.5°, insolation class 3. 4.6 m/s = 8.94 ->
    // 9 kt: C. Mixing height 320 * 4.6 = 1472 m.
    const MetHour& h12 = s.hours[12];
    EXPECT_DOUBLE_EQ(h12.windFromDir_deg, 270.0);
    EXPECT_EQ(h12.stability, Stability::C);
    EXPECT_NEAR(h12.mixingHeight_m, 1472.0, 1e-9);

    // Row 8: hour 7, 3.0 m/s. At 07:30 local the sun is about 7° up, but sunrise was near
    // 06:55, less than an hour before: Turner counts it as night (clear, index -2).
    // 3.0 m/s = 5.83 -> 6 kt, index -2: F.
    EXPECT_EQ(s.hours[7].stability, Stability::F);
    // Row 9: hour 8, 4.6 m/s. At 08:30 local, solar time is 8.5 h - 0.239 h (longitude)
    // - 0.207 h (equation of time) = 8.054 h, hour angle -59.2°, declination -7.8°:
    // sin(el) = sin 39.93 sin -7.8 + cos 39.93 cos -7.8 cos 59.2 = 0.302, el = 17.6°, and the
    // sun rose more than an hour before: insolation class 2. 4.6 m/s = 8.94 -> 9 kt: C.
    EXPECT_EQ(s.hours[8].stability, Stability::C);

    // Row 19: hour 18, 0.5 m/s. At 18:30 local the sun has set (about -5°): clear night;
    // 0.5 m/s = 0.97 -> 1 kt: G, taken as F, no lid (10,000 m).
    EXPECT_EQ(s.hours[18].stability, Stability::F);
    EXPECT_DOUBLE_EQ(s.hours[18].mixingHeight_m, 10000.0);
}

TEST(MetStationCsv, WholeFileCountsMatchAwk) {
    const auto path = prsaFile("Dongsi");
    PARKTWIN_REQUIRE_SHARED(path);
    // Counted independently with awk -F, on the file (columns 12 TEMP, 16 wd, 17 WSPM):
    // 35,064 rows; WSPM NA 14; wd NA with WSPM > 0: 42; TEMP NA 20; WSPM 0: 623.
    StationReadStats stats;
    const MetSeries s = readStationCsv(path, dongsi(), utc("2000-01-01T00:00Z"),
                                       utc("2030-01-01T00:00Z"), &stats);
    EXPECT_EQ(s.hours.size(), 35064u);
    EXPECT_EQ(stats.missingWindHours, 14 + 42);
    EXPECT_EQ(stats.missingTemperatureHours, 20);
    EXPECT_EQ(stats.calmHours, 623);
    int calm = 0;
    for (const MetHour& h : s.hours)
        calm += h.calm ? 1 : 0;
    // Hours missing both wind and temperature are counted under each but calm once, so the
    // calm hours are at most the sum and at least calm + missing wind.
    EXPECT_GE(calm, 623 + 56);
    EXPECT_LE(calm, 623 + 56 + 20);
}

TEST(MetStationCsv, MissingValuesAreMarkedNotInvented) {
    const std::string text = std::string(kPrsaHeader) +
                             "1,2016,7,1,0,1,1,1,1,1,1,25.0,1000,20,0,\"S\",2.0,\"X\"\n"
                             "2,2016,7,1,1,1,1,1,1,1,1,NA,1000,20,0,\"S\",2.0,\"X\"\n"
                             "3,2016,7,1,2,1,1,1,1,1,1,24.0,1000,20,0,NA,2.0,\"X\"\n"
                             "4,2016,7,1,3,1,1,1,1,1,1,24.0,1000,20,0,\"S\",NA,\"X\"\n"
                             "5,2016,7,1,4,1,1,1,1,1,1,24.0,1000,20,0,NA,0,\"X\"\n";
    StationReadStats stats;
    const MetSeries s = readStationCsv(writeFile("prsa.csv", text), dongsi(),
                                       utc("2016-06-01T00:00Z"), utc("2016-08-01T00:00Z"),
                                       &stats);
    ASSERT_EQ(s.hours.size(), 5u);
    EXPECT_FALSE(s.hours[0].calm);
    EXPECT_DOUBLE_EQ(s.hours[0].windFromDir_deg, 180.0);
    EXPECT_TRUE(s.hours[1].calm);
    EXPECT_TRUE(std::isnan(s.hours[1].temperature_K));
    EXPECT_TRUE(s.hours[2].calm);
    EXPECT_TRUE(s.hours[3].calm);
    EXPECT_TRUE(s.hours[4].calm); // a true calm: no direction needed
    EXPECT_EQ(stats.missingTemperatureHours, 1);
    EXPECT_EQ(stats.missingWindHours, 2);
    EXPECT_EQ(stats.calmHours, 1);
}

TEST(MetStationCsv, OnlyTheRequestedPeriodIsKept) {
    const std::string text = std::string(kPrsaHeader) +
                             "1,2016,7,1,7,1,1,1,1,1,1,25.0,1000,20,0,\"S\",2.0,\"X\"\n"
                             "2,2016,7,1,8,1,1,1,1,1,1,25.0,1000,20,0,\"S\",2.0,\"X\"\n"
                             "3,2016,7,1,9,1,1,1,1,1,1,25.0,1000,20,0,\"S\",2.0,\"X\"\n";
    // 08:00 local at UTC+8 is 00:00Z: the window [00:00Z, 01:00Z) holds only row 2.
    const MetSeries s = readStationCsv(writeFile("prsa.csv", text), dongsi(),
                                       utc("2016-07-01T00:00Z"), utc("2016-07-01T01:00Z"));
    ASSERT_EQ(s.hours.size(), 1u);
    EXPECT_EQ(s.hours[0].start, utc("2016-07-01T00:00Z"));
}

TEST(MetStationCsv, MalformedLinesNameFileAndLine) {
    const auto expectLine3 = [](const std::string& badRow) {
        const std::string text = std::string(kPrsaHeader) +
                                 "1,2016,7,1,0,1,1,1,1,1,1,25.0,1000,20,0,\"S\",2.0,\"X\"\n" +
                                 badRow;
        const auto path = writeFile("bad.csv", text);
        try {
            readStationCsv(path, dongsi(), utc("2016-01-01T00:00Z"), utc("2017-01-01T00:00Z"));
            ADD_FAILURE() << "no error for " << badRow;
        } catch (const InputError& e) {
            EXPECT_EQ(e.where(), "line 3") << e.what();
            EXPECT_NE(std::string(e.what()).find("bad.csv"), std::string::npos);
        }
    };
    expectLine3("2,2016,7,1,1,1,1,1,1,1,1,25.0,1000,20,0,\"S\"\n");          // too few fields
    expectLine3("2,2016,7,1,1,1,1,1,1,1,1,warm,1000,20,0,\"S\",2.0,\"X\"\n"); // TEMP text
    expectLine3("2,2016,7,1,1,1,1,1,1,1,1,25.0,1000,20,0,\"Q\",2.0,\"X\"\n"); // compass
    expectLine3("2,2016,7,1,1,1,1,1,1,1,1,25.0,1000,20,0,\"S\",fast,\"X\"\n"); // WSPM text
    expectLine3("2,2016,2,30,1,1,1,1,1,1,1,25.0,1000,20,0,\"S\",2,\"X\"\n");  // no such date
    expectLine3("2,2016,7,1,24,1,1,1,1,1,1,25.0,1000,20,0,\"S\",2,\"X\"\n");  // hour 24
}

TEST(MetStationCsv, MissingColumnIsReported) {
    const auto path = writeFile("nocol.csv", "year,month,day,hour,TEMP,wd\n2016,7,1,0,1,N\n");
    EXPECT_THROW(readStationCsv(path, dongsi(), utc("2016-01-01T00:00Z"),
                                utc("2017-01-01T00:00Z")),
                 InputError);
}

TEST(MetParkTwinCsv, ReadsHandMadeHours) {
    const std::string text = "# a hand-made scenario\n"
                             "time,wind_speed_ms,wind_from_deg,temperature_K,stability,"
                             "mixing_height_m\n"
                             "2024-01-01T07:00,3.5,270,293.15,D,800\n"
                             "2024-01-01T08:00Z,0,0,290,F,10000\n";
    const MetSeries s = readParkTwinMetCsv(writeFile("met.csv", text), UtcOffset{420});
    ASSERT_EQ(s.hours.size(), 2u);
    // 07:00 at UTC+7 is midnight UTC.
    EXPECT_EQ(s.hours[0].start, utc("2024-01-01T00:00Z"));
    EXPECT_DOUBLE_EQ(s.hours[0].windSpeed_ms, 3.5);
    EXPECT_DOUBLE_EQ(s.hours[0].windFromDir_deg, 270.0);
    EXPECT_EQ(s.hours[0].stability, Stability::D);
    EXPECT_DOUBLE_EQ(s.hours[0].mixingHeight_m, 800.0);
    EXPECT_DOUBLE_EQ(s.hours[0].anemometerHeight_m, 10.0);
    EXPECT_FALSE(s.hours[0].calm);
    EXPECT_EQ(s.hours[1].start, utc("2024-01-01T08:00Z"));
    EXPECT_TRUE(s.hours[1].calm);
    EXPECT_EQ(s.hours[1].stability, Stability::F);
}

TEST(MetParkTwinCsv, BadValuesNameLineAndColumn) {
    const std::string header =
        "time,wind_speed_ms,wind_from_deg,temperature_K,stability,mixing_height_m\n";
    const auto path = writeFile("met.csv", header + "2024-01-01T00:00Z,3,90,293,G,800\n");
    try {
        readParkTwinMetCsv(path);
        FAIL() << "class G accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), "line 2, column stability");
    }
    const auto path2 = writeFile("met2.csv", header + "2024-01-01T00:00Z,3,400,293,D,800\n");
    EXPECT_THROW(readParkTwinMetCsv(path2), InputError);
    const auto path3 = writeFile("met3.csv", header + "yesterday,3,90,293,D,800\n");
    EXPECT_THROW(readParkTwinMetCsv(path3), InputError);
    const auto path4 = writeFile("met4.csv", "time,wind_speed_ms\n");
    EXPECT_THROW(readParkTwinMetCsv(path4), InputError);
}

TEST(MetStationCsv, NonFiniteValuesAreMissing) {
    // from_chars reads "NaN", "nan" and "inf" as numbers; none of them is a reading.
    const std::string text = std::string(kPrsaHeader) +
                             "1,2016,7,1,0,1,1,1,1,1,1,NaN,1000,20,0,\"S\",2.0,\"X\"\n"
                             "2,2016,7,1,1,1,1,1,1,1,1,nan,1000,20,0,\"S\",2.0,\"X\"\n"
                             "3,2016,7,1,2,1,1,1,1,1,1,inf,1000,20,0,\"S\",2.0,\"X\"\n"
                             "4,2016,7,1,3,1,1,1,1,1,1,24.0,1000,20,0,\"S\",NaN,\"X\"\n"
                             "5,2016,7,1,4,1,1,1,1,1,1,24.0,1000,20,0,\"S\",inf,\"X\"\n"
                             "6,2016,7,1,5,1,1,1,1,1,1,24.0,1000,20,0,\"S\",2.0,\"X\"\n";
    test::LogCapture logs("met");
    StationReadStats stats;
    const MetSeries s = readStationCsv(writeFile("prsa.csv", text), dongsi(),
                                       utc("2016-06-30T16:00Z"), utc("2016-06-30T22:00Z"),
                                       &stats);
    ASSERT_EQ(s.hours.size(), 6u);
    for (int i = 0; i < 5; ++i) {
        EXPECT_TRUE(s.hours[i].calm) << "row " << i + 1;
        EXPECT_DOUBLE_EQ(s.hours[i].windSpeed_ms, 0.0) << "row " << i + 1;
    }
    for (int i = 0; i < 3; ++i)
        EXPECT_TRUE(std::isnan(s.hours[i].temperature_K)) << "row " << i + 1;
    // The good row: 24.0 + 273.15 K, wind 2 m/s from the south.
    EXPECT_FALSE(s.hours[5].calm);
    EXPECT_NEAR(s.hours[5].temperature_K, 297.15, 1e-9);
    EXPECT_EQ(stats.missingTemperatureHours, 3);
    EXPECT_EQ(stats.missingWindHours, 2);
    EXPECT_EQ(stats.calmHours, 0);
    EXPECT_EQ(stats.absentHours, 0);
    const auto warnings = logs.warnings();
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_TRUE(contains(warnings[0], "2 with missing wind")) << warnings[0];
    EXPECT_TRUE(contains(warnings[0], "3 with missing temperature")) << warnings[0];
}

TEST(MetStationCsv, ImpossibleValuesAreMissing) {
    // Bounds: -90..+60 °C (records -89.2 °C and 56.7 °C) and 0..75 m/s; values on a bound
    // are kept.
    const std::string text = std::string(kPrsaHeader) +
                             "1,2016,7,1,0,1,1,1,1,1,1,-999,1000,20,0,\"S\",2.0,\"X\"\n"
                             "2,2016,7,1,1,1,1,1,1,1,1,-300,1000,20,0,\"S\",2.0,\"X\"\n"
                             "3,2016,7,1,2,1,1,1,1,1,1,60.5,1000,20,0,\"S\",2.0,\"X\"\n"
                             "4,2016,7,1,3,1,1,1,1,1,1,24.0,1000,20,0,\"S\",-1,\"X\"\n"
                             "5,2016,7,1,4,1,1,1,1,1,1,24.0,1000,20,0,\"S\",75.5,\"X\"\n"
                             "6,2016,7,1,5,1,1,1,1,1,1,-90,1000,20,0,\"S\",75,\"X\"\n"
                             "7,2016,7,1,6,1,1,1,1,1,1,60,1000,20,0,\"S\",2.0,\"X\"\n";
    test::LogCapture logs("met");
    StationReadStats stats;
    const MetSeries s = readStationCsv(writeFile("prsa.csv", text), dongsi(),
                                       utc("2016-06-30T16:00Z"), utc("2016-06-30T23:00Z"),
                                       &stats);
    ASSERT_EQ(s.hours.size(), 7u);
    for (int i = 0; i < 5; ++i)
        EXPECT_TRUE(s.hours[i].calm) << "row " << i + 1;
    for (int i = 0; i < 3; ++i)
        EXPECT_TRUE(std::isnan(s.hours[i].temperature_K)) << "row " << i + 1;
    // -90 + 273.15 = 183.15 K and 60 + 273.15 = 333.15 K.
    EXPECT_FALSE(s.hours[5].calm);
    EXPECT_NEAR(s.hours[5].temperature_K, 183.15, 1e-9);
    EXPECT_DOUBLE_EQ(s.hours[5].windSpeed_ms, 75.0);
    EXPECT_NEAR(s.hours[6].temperature_K, 333.15, 1e-9);
    EXPECT_EQ(stats.impossibleTemperatureHours, 3);
    EXPECT_EQ(stats.impossibleWindHours, 2);
    EXPECT_EQ(stats.missingTemperatureHours, 0);
    EXPECT_EQ(stats.missingWindHours, 0);
    const auto warnings = logs.warnings();
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_TRUE(contains(warnings[0], "2 with impossible wind")) << warnings[0];
    EXPECT_TRUE(contains(warnings[0], "3 with impossible temperature")) << warnings[0];
}

TEST(MetStationCsv, CleanFileLogsNoWarning) {
    const std::string text = std::string(kPrsaHeader) +
                             "1,2016,7,1,0,1,1,1,1,1,1,25.0,1000,20,0,\"S\",2.0,\"X\"\n";
    test::LogCapture logs("met");
    // 2016-07-01 00:00 at UTC+8 is 2016-06-30T16:00Z: the one-hour period is all there.
    readStationCsv(writeFile("prsa.csv", text), dongsi(), utc("2016-06-30T16:00Z"),
                   utc("2016-06-30T17:00Z"));
    EXPECT_TRUE(logs.warnings().empty());
}

TEST(MetStationCsv, DuplicatedHourNamesBothLines) {
    // Rows on lines 2 and 4 are both 2016-07-01 00:00 local.
    const std::string text = std::string(kPrsaHeader) +
                             "1,2016,7,1,0,1,1,1,1,1,1,25.0,1000,20,0,\"S\",2.0,\"X\"\n"
                             "2,2016,7,1,1,1,1,1,1,1,1,25.0,1000,20,0,\"S\",2.0,\"X\"\n"
                             "3,2016,7,1,0,1,1,1,1,1,1,30.0,1000,20,0,\"N\",4.0,\"X\"\n";
    try {
        readStationCsv(writeFile("dup.csv", text), dongsi(), utc("2016-01-01T00:00Z"),
                       utc("2017-01-01T00:00Z"));
        FAIL() << "duplicated hour accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), "line 4") << e.what();
        EXPECT_TRUE(contains(e.what(), "dup.csv")) << e.what();
        EXPECT_TRUE(contains(e.what(), "first on line 2")) << e.what();
    }
}

TEST(MetStationCsv, OutOfOrderRowsAreSorted) {
    const std::string text = std::string(kPrsaHeader) +
                             "3,2016,7,1,2,1,1,1,1,1,1,27.0,1000,20,0,\"S\",2.0,\"X\"\n"
                             "1,2016,7,1,0,1,1,1,1,1,1,25.0,1000,20,0,\"S\",2.0,\"X\"\n"
                             "2,2016,7,1,1,1,1,1,1,1,1,26.0,1000,20,0,\"S\",2.0,\"X\"\n";
    const MetSeries s = readStationCsv(writeFile("prsa.csv", text), dongsi(),
                                       utc("2016-06-30T16:00Z"), utc("2016-06-30T19:00Z"));
    ASSERT_EQ(s.hours.size(), 3u);
    // Local 00, 01, 02 at UTC+8 are 16, 17, 18 Z the day before; 25, 26, 27 °C in kelvin.
    EXPECT_EQ(s.hours[0].start, utc("2016-06-30T16:00Z"));
    EXPECT_EQ(s.hours[1].start, utc("2016-06-30T17:00Z"));
    EXPECT_EQ(s.hours[2].start, utc("2016-06-30T18:00Z"));
    EXPECT_NEAR(s.hours[0].temperature_K, 298.15, 1e-9);
    EXPECT_NEAR(s.hours[2].temperature_K, 300.15, 1e-9);
}

TEST(MetStationCsv, RequestedHoursAbsentFromFileAreWarned) {
    const std::string text = std::string(kPrsaHeader) +
                             "1,2016,7,1,0,1,1,1,1,1,1,25.0,1000,20,0,\"S\",2.0,\"X\"\n"
                             "2,2016,7,1,1,1,1,1,1,1,1,25.0,1000,20,0,\"S\",2.0,\"X\"\n"
                             "3,2016,7,1,2,1,1,1,1,1,1,25.0,1000,20,0,\"S\",2.0,\"X\"\n";
    const auto path = writeFile("prsa.csv", text);
    {
        // 16:00Z to 22:00Z asks for 6 hours; the file has the first 3 of them.
        test::LogCapture logs("met");
        StationReadStats stats;
        const MetSeries s = readStationCsv(path, dongsi(), utc("2016-06-30T16:00Z"),
                                           utc("2016-06-30T22:00Z"), &stats);
        EXPECT_EQ(s.hours.size(), 3u);
        EXPECT_EQ(stats.absentHours, 3);
        const auto warnings = logs.warnings();
        ASSERT_EQ(warnings.size(), 1u);
        EXPECT_TRUE(contains(warnings[0], "3 of the 6 requested hours")) << warnings[0];
    }
    {
        // A day in 2020, none of it in the file: 24 absent, no error.
        test::LogCapture logs("met");
        StationReadStats stats;
        const MetSeries s = readStationCsv(path, dongsi(), utc("2020-01-01T00:00Z"),
                                           utc("2020-01-02T00:00Z"), &stats);
        EXPECT_TRUE(s.hours.empty());
        EXPECT_EQ(stats.absentHours, 24);
        const auto warnings = logs.warnings();
        ASSERT_EQ(warnings.size(), 1u);
        EXPECT_TRUE(contains(warnings[0], "24 of the 24 requested hours")) << warnings[0];
    }
}

TEST(MetParkTwinCsv, NonFiniteValuesNameLineAndColumn) {
    const std::string header =
        "time,wind_speed_ms,wind_from_deg,temperature_K,stability,mixing_height_m\n";
    const auto expectColumn = [&](const std::string& row, const std::string& column) {
        const auto path = writeFile("met.csv", header + row);
        try {
            readParkTwinMetCsv(path);
            ADD_FAILURE() << "accepted " << row;
        } catch (const InputError& e) {
            EXPECT_EQ(e.where(), "line 2, column " + column) << e.what();
            EXPECT_TRUE(contains(e.what(), "met.csv")) << e.what();
        }
    };
    expectColumn("2024-01-01T00:00Z,nan,90,293,D,800\n", "wind_speed_ms");
    expectColumn("2024-01-01T00:00Z,3,NaN,293,D,800\n", "wind_from_deg");
    expectColumn("2024-01-01T00:00Z,3,90,nan,D,800\n", "temperature_K");
    expectColumn("2024-01-01T00:00Z,3,90,293,D,nan\n", "mixing_height_m");
    expectColumn("2024-01-01T00:00Z,3,90,inf,D,800\n", "temperature_K");
}

TEST(MetParkTwinCsv, DuplicatedHourNamesBothLines) {
    // 07:00 at +07:00 and 00:00Z are the same hour.
    const std::string text =
        "time,wind_speed_ms,wind_from_deg,temperature_K,stability,mixing_height_m\n"
        "2024-01-01T00:00Z,3,90,293,D,800\n"
        "2024-01-01T01:00Z,3,90,293,D,800\n"
        "2024-01-01T07:00+07:00,5,180,280,E,500\n";
    try {
        readParkTwinMetCsv(writeFile("met.csv", text));
        FAIL() << "duplicated hour accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), "line 4, column time") << e.what();
        EXPECT_TRUE(contains(e.what(), "met.csv")) << e.what();
        EXPECT_TRUE(contains(e.what(), "first on line 2")) << e.what();
    }
}

TEST(MetParkTwinCsv, OutOfOrderRowsAreSorted) {
    const std::string text =
        "time,wind_speed_ms,wind_from_deg,temperature_K,stability,mixing_height_m\n"
        "2024-01-01T02:00Z,3,90,292,D,800\n"
        "2024-01-01T00:00Z,3,90,290,D,800\n"
        "2024-01-01T01:00Z,3,90,291,D,800\n";
    const MetSeries s = readParkTwinMetCsv(writeFile("met.csv", text));
    ASSERT_EQ(s.hours.size(), 3u);
    EXPECT_EQ(s.hours[0].start, utc("2024-01-01T00:00Z"));
    EXPECT_DOUBLE_EQ(s.hours[0].temperature_K, 290.0);
    EXPECT_EQ(s.hours[1].start, utc("2024-01-01T01:00Z"));
    EXPECT_EQ(s.hours[2].start, utc("2024-01-01T02:00Z"));
    EXPECT_DOUBLE_EQ(s.hours[2].temperature_K, 292.0);
}
