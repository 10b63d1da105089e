// Station CSV readers: the Beijing PRSA format on the real files and on hand-made ones, and
// ParkTwin's own met CSV.

#include "engine/met/parktwin_met_csv.h"
#include "engine/met/station_csv.h"

#include <cmath>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "engine/core/error.h"
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

    // Row 8: hour 7, 3.0 m/s. At 07:30 local the sun is about 7° up (sunrise near 06:55):
    // insolation class 1; 3.0 m/s = 5.83 -> 6 kt: D.
    EXPECT_EQ(s.hours[7].stability, Stability::D);

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
    expectLine3("2,2016,7,1,1,1,1,1,1,1,1,25.0,1000,20,0,\"S\",-1,\"X\"\n");  // negative speed
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
