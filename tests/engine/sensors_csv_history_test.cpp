// CSV history: the real Hà Nội AirNow and Beijing PRSA files import as they are, with their
// UTC offsets, hour-ending stamps and QC codes; broken copies are refused by file and line.

#include "engine/core/error.h"
#include "engine/sensors/csv_history.h"
#include "test_paths.h"

#include <fstream>
#include <gtest/gtest.h>
#include <map>

using namespace parktwin;
using namespace parktwin::sensors;

namespace {

UtcTime utc(const std::string& iso) {
    return parseIsoTime(iso, UtcOffset{0});
}

std::filesystem::path write(const std::filesystem::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
    return file;
}

const std::string kAirNowHeader =
    "Site,Parameter,Date (LT),Year,Month,Day,Hour,NowCast Conc.,AQI,AQI Category,Raw Conc.,"
    "Conc. Unit,Duration,QC Name\n";
const std::string kPrsaHeader = "\"No\",\"year\",\"month\",\"day\",\"hour\",\"PM2.5\",\"PM10\","
                                "\"SO2\",\"NO2\",\"CO\",\"O3\",\"TEMP\",\"PRES\",\"DEWP\","
                                "\"RAIN\",\"wd\",\"WSPM\",\"station\"\n";

std::string errorOf(const std::filesystem::path& file, UtcOffset offset) {
    try {
        readCsvHistory(file, CsvSource{offset, ""});
    } catch (const InputError& e) {
        return e.what();
    }
    ADD_FAILURE() << "expected an InputError for " << file;
    return {};
}

} // namespace

TEST(CsvHistory, HanoiAirNowYearImportsWithHourEndingLocalStamps) {
    const auto file =
        test::sharedDataDir() / "sensors/hanoi_us_embassy_pm25/Hanoi_PM2.5_2016_YTD.csv";
    PARKTWIN_REQUIRE_SHARED(file);
    const CsvHistory h = readCsvHistory(file, CsvSource{UtcOffset{420}, ""});
    EXPECT_EQ(h.layout, CsvLayout::AirNow);
    // The folder's README: 8784 rows, first 2016-01-01 01:00 AM, last 2017-01-01 12:00 AM.
    ASSERT_EQ(h.readings.size(), 8784u);
    const RawReading& first = h.readings.front();
    EXPECT_EQ(first.station, "Hanoi");
    EXPECT_EQ(first.parameter, "PM2.5 - Principal");
    EXPECT_DOUBLE_EQ(*first.value, 94.7); // Raw Conc. of the first row
    EXPECT_EQ(first.unit, "UG/M3");
    EXPECT_EQ(first.period_s, 3600);
    // 01:00 local (UTC+7) closes the hour 00:00-01:00 local, i.e. 17:00-18:00 UTC on Dec 31.
    EXPECT_EQ(first.time, utc("2015-12-31T18:00:00Z"));
    // "2017-01-01 12:00 AM" is midnight, the end of 2016's last hour: 17:00 UTC.
    EXPECT_EQ(h.readings.back().time, utc("2016-12-31T17:00:00Z"));

    // README QC counts for 2016: Valid 8322, Missing 402, Invalid 60.
    ValidationCounts counts;
    int invalid = 0;
    for (const RawReading& r : h.readings) {
        invalid += r.sourceInvalid;
        validate(r, counts);
    }
    EXPECT_EQ(invalid, 60);
    EXPECT_EQ(counts.refusedFor(RefusalReason::SourceInvalid), 60);
    EXPECT_EQ(counts.refusedFor(RefusalReason::MissingMarker), 402);
    EXPECT_EQ(counts.accepted, 8322);
}

TEST(CsvHistory, HanoiSuspectReadingsAreStoredFlagged) {
    const auto file =
        test::sharedDataDir() / "sensors/hanoi_us_embassy_pm25/Hanoi_PM2.5_2019_YTD.csv";
    PARKTWIN_REQUIRE_SHARED(file);
    const CsvHistory h = readCsvHistory(file, CsvSource{UtcOffset{420}, "US-Embassy"});
    ValidationCounts counts;
    for (const RawReading& r : h.readings)
        validate(r, counts);
    // README for 2019: 1921 rows, Valid 1849, Missing 36, Suspect 29, Invalid 7.
    EXPECT_EQ(h.readings.size(), 1921u);
    EXPECT_EQ(h.readings[0].station, "US-Embassy");
    EXPECT_EQ(counts.flagged, 29);
    EXPECT_EQ(counts.accepted, 1849 + 29);
    EXPECT_EQ(counts.refusedFor(RefusalReason::SourceInvalid), 7);
    EXPECT_EQ(counts.refusedFor(RefusalReason::MissingMarker), 36);
}

TEST(CsvHistory, BeijingPrsaImportsPollutantsAndMetAtUtcPlus8) {
    const auto file = test::sharedDataDir() /
                      "sensors/beijing_prsa_multisite/PRSA_Data_Changping_20130301-20170228.csv";
    PARKTWIN_REQUIRE_SHARED(file);
    const CsvHistory h = readCsvHistory(file, CsvSource{UtcOffset{480}, ""});
    EXPECT_EQ(h.layout, CsvLayout::BeijingPrsa);
    // README: 35,064 hourly rows, each giving 6 pollutants + TEMP, WS, WD.
    ASSERT_EQ(h.readings.size(), 35064u * 9);
    std::map<std::string, const RawReading*> first;
    for (std::size_t k = 0; k < 9; ++k)
        first[h.readings[k].parameter] = &h.readings[k];
    // First row: 2013-03-01 hour 0, PM2.5 3, SO2 13, CO 300, TEMP -2.3, wd "E", WSPM 0.5.
    // Hour 0 local (UTC+8) is 16:00-17:00 UTC on Feb 28; stamped with its end.
    EXPECT_EQ(first.at("SO2")->time, utc("2013-02-28T17:00:00Z"));
    EXPECT_EQ(first.at("SO2")->station, "Changping");
    EXPECT_DOUBLE_EQ(*first.at("PM2.5")->value, 3);
    EXPECT_DOUBLE_EQ(*first.at("CO")->value, 300);
    EXPECT_DOUBLE_EQ(*first.at("TEMP")->value, -2.3);
    EXPECT_EQ(first.at("TEMP")->unit, "degC");
    EXPECT_DOUBLE_EQ(*first.at("WS")->value, 0.5);
    EXPECT_DOUBLE_EQ(*first.at("WD")->value, 90.0); // east
    EXPECT_EQ(first.at("WD")->unit, "deg");

    ValidationCounts counts;
    for (const RawReading& r : h.readings)
        validate(r, counts);
    EXPECT_GT(counts.refusedFor(RefusalReason::Missing), 0); // NA cells
    EXPECT_EQ(counts.refusedFor(RefusalReason::UnknownUnit), 0);
    EXPECT_EQ(counts.accepted + counts.refusedTotal(), long(h.readings.size()));
}

TEST(CsvHistory, AirNowStampsWith24HourClockAndDuplicatedOutOfOrderRows) {
    const auto dir = test::scratchDir();
    const auto file =
        write(dir / "hanoi.csv",
              kAirNowHeader + "Hanoi,PM2.5 - Principal,2016-01-01 24:00,2016,01,02,00,1,1,x,50.0,"
                              "UG/M3,1 Hr,Valid\n"
                              "Hanoi,PM2.5 - Principal,2016-01-01 12:00 PM,2016,01,01,12,1,1,x,"
                              "40.0,UG/M3,1 Hr,Valid\n"
                              "Hanoi,PM2.5 - Principal,2016-01-01 24:00,2016,01,02,00,1,1,x,50.0,"
                              "UG/M3,1 Hr,Valid\n");
    const CsvHistory h = readCsvHistory(file, CsvSource{UtcOffset{420}, ""});
    ASSERT_EQ(h.readings.size(), 3u);
    EXPECT_EQ(h.readings[0].time, utc("2016-01-01T17:00:00Z"));
    EXPECT_EQ(h.readings[1].time, utc("2016-01-01T05:00:00Z")); // noon local
    EXPECT_EQ(h.readings[2].time, h.readings[0].time);
}

TEST(CsvHistory, BrokenFilesNameTheFileAndLine) {
    const auto dir = test::scratchDir();
    const std::string good =
        "1,2013,3,1,0,3,6,13,7,300,85,-2.3,1020.8,-19.7,0,\"E\",0.5,\"Changping\"\n";
    struct Case {
        std::string name, text, expected;
    } cases[] = {
        {"truncated.csv", kPrsaHeader + good + "2,2013,3,1,1,3,3,6",
         "line 3: expected 18 fields, found 8"},
        {"compass.csv",
         kPrsaHeader + "1,2013,3,1,0,3,6,13,7,300,85,-2.3,1020.8,-19.7,0,\"EAST\","
                       "0.5,\"Changping\"\n",
         "line 2: expected wd as a 16-point compass name"},
        {"value.csv",
         kPrsaHeader + "1,2013,3,1,0,3,6,1O,7,300,85,-2.3,1020.8,-19.7,0,\"E\",0.5,"
                       "\"Changping\"\n",
         "line 2: expected SO2 as a number or NA, found '1O'"},
        {"hour.csv",
         kPrsaHeader + "1,2013,3,1,24,3,6,13,7,300,85,-2.3,1020.8,-19.7,0,\"E\",0.5,"
                       "\"Changping\"\n",
         "line 2: expected whole-number year, month, day and hour 0-23"},
        {"date.csv",
         kAirNowHeader + "Hanoi,PM2.5 - Principal,2016-01-01 13:00 AM,2016,01,01,01,"
                         "1,1,x,5,UG/M3,1 Hr,Valid\n",
         "line 2: expected Date (LT)"},
        {"qc.csv",
         kAirNowHeader + "Hanoi,PM2.5 - Principal,2016-01-01 01:00 AM,2016,01,01,01,"
                         "1,1,x,5,UG/M3,1 Hr,Maybe\n",
         "line 2: expected QC Name"},
        {"header.csv", "a,b,c\n1,2,3\n", "line 1: expected the header of an AirNow file"},
        {"empty.csv", "", "line 1: expected a header line"},
        {"cp1258.csv",
         kAirNowHeader + "H\xE0 N\xF4i,PM2.5 - Principal,2016-01-01 01:00 AM,2016,"
                         "01,01,01,1,1,x,5,UG/M3,1 Hr,Valid\n",
         "line 2: byte 0xE0 at column 2 is not UTF-8"},
    };
    for (const Case& c : cases) {
        const auto file = write(dir / c.name, c.text);
        const std::string message = errorOf(file, UtcOffset{480});
        EXPECT_NE(message.find(file.string()), std::string::npos) << message;
        EXPECT_NE(message.find(c.expected), std::string::npos) << c.name << ": " << message;
    }
}
