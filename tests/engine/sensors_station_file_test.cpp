// Thông tư 10/2021 station files: good lines, local time to UTC, 24:00, and every kind of
// broken file refused with the file and line named.

#include "engine/core/error.h"
#include "engine/sensors/station_file.h"
#include "test_paths.h"

#include <cmath>
#include <fstream>
#include <gtest/gtest.h>

using namespace parktwin;
using namespace parktwin::sensors;

namespace {

constexpr UtcOffset kVietnam{420};
const std::string kName = "TNG_GTTN_KK01_20240115103000.txt";

UtcTime utc(const std::string& iso) {
    return parseIsoTime(iso, UtcOffset{0});
}

/// The message of the InputError `parse` throws, or a failure when it throws none.
std::string errorOf(const std::string& text) {
    try {
        parseStationFile(text, kName, "KK01", kVietnam);
    } catch (const InputError& e) {
        return e.what();
    }
    ADD_FAILURE() << "expected an InputError for: " << text;
    return {};
}

} // namespace

TEST(StationFile, ReadsEachLineWithLocalTimeAsUtc) {
    const std::string text = "SO2\t45.20\tµg/m³\t20240115103000\t00\r\n"
                             "PM2,5\t18,5\tµg/m³\t20240115103000\t01\r\n"
                             "NO2\t12\tug/m3\t20240115103000\t02\r\n";
    const auto rows = parseStationFile(text, kName, "TNG_GTTN_KK01", kVietnam);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].station, "TNG_GTTN_KK01");
    EXPECT_EQ(rows[0].parameter, "SO2");
    EXPECT_DOUBLE_EQ(*rows[0].value, 45.2);
    EXPECT_EQ(rows[0].unit, "µg/m³");
    // 10:30 at UTC+7 is 03:30 UTC.
    EXPECT_EQ(rows[0].time, utc("2024-01-15T03:30:00Z"));
    EXPECT_EQ(rows[0].status, ReadingStatus::Measuring);
    EXPECT_EQ(rows[0].period_s, 300);
    EXPECT_EQ(rows[1].parameter, "PM2,5");
    EXPECT_DOUBLE_EQ(*rows[1].value, 18.5); // decimal comma
    EXPECT_EQ(rows[1].status, ReadingStatus::Calibrating);
    EXPECT_EQ(rows[2].status, ReadingStatus::DeviceFault);
}

TEST(StationFile, MidnightWrittenAs240000EndsTheDay) {
    const auto rows =
        parseStationFile("CO\t400\tug/m3\t20240115240000\t00\n", kName, "KK01", kVietnam);
    ASSERT_EQ(rows.size(), 1u);
    // 24:00 on the 15th local = 00:00 on the 16th local = 17:00 UTC on the 15th.
    EXPECT_EQ(rows[0].time, utc("2024-01-15T17:00:00Z"));
    EXPECT_EQ(
        rows[0].time,
        parseStationFile("CO\t400\tug/m3\t20240116000000\t00\n", kName, "KK01", kVietnam)[0].time);
}

TEST(StationFile, NanAndMinus999AreReadForValidationToRefuse) {
    const auto rows = parseStationFile("SO2\tNaN\tug/m3\t20240115103000\t00\r\n"
                                       "NO2\t-999\tug/m3\t20240115103000\t00\r\n"
                                       "CO\t\tug/m3\t20240115103000\t00\r\n",
                                       kName, "KK01", kVietnam);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_TRUE(std::isnan(*rows[0].value));
    EXPECT_DOUBLE_EQ(*rows[1].value, -999);
    EXPECT_FALSE(rows[2].value);
}

TEST(StationFile, DuplicatedAndOutOfOrderLinesAreKeptForTheStoreToSettle) {
    const auto rows = parseStationFile("SO2\t40\tug/m3\t20240115103000\t00\n"
                                       "SO2\t38\tug/m3\t20240115102500\t00\n"
                                       "SO2\t40\tug/m3\t20240115103000\t00\n",
                                       kName, "KK01", kVietnam);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_LT(rows[1].time, rows[0].time);
    EXPECT_EQ(rows[2].time, rows[0].time);
}

TEST(StationFile, BrokenFilesNameTheFileAndLine) {
    struct Case {
        std::string text;
        std::string expected;
    } cases[] = {
        {"SO2\t45.2\tug/m3\t20240115103000\t00\r\nNO2\t12\tug", "line 2: the file ends without "
                                                                "a line end"},
        {"SO2\t45.2\tug/m3\t2024011510\n", "line 1: expected 5 tab-separated fields"},
        {"SO2 45.2 ug/m3 20240115103000 00\n", "found 1"},
        {"SO2\tabc\tug/m3\t20240115103000\t00\n", "line 1: expected the value of SO2 as a number"},
        {"SO2\t1\tug/m3\t2024-01-15 10:30\t00\n", "expected the time as YYYYMMDDhhmmss"},
        {"SO2\t1\tug/m3\t20240230103000\t00\n", "expected the time"}, // 30 February
        {"SO2\t1\tug/m3\t20240115246000\t00\n", "expected the time"},
        {"SO2\t1\tug/m3\t20240115103000\t03\n", "expected status 00"},
        {"\t1\tug/m3\t20240115103000\t00\n", "expected a parameter symbol"},
        {"", "holds no parameter lines"},
        {"\r\n\r\n", "holds no parameter lines"},
    };
    for (const Case& c : cases) {
        const std::string message = errorOf(c.text);
        EXPECT_NE(message.find(kName), std::string::npos) << message;
        EXPECT_NE(message.find(c.expected), std::string::npos) << message;
    }
}

TEST(StationFile, OtherEncodingsAreRefused) {
    // UTF-16LE with its byte-order mark, as Windows Notepad saves "Unicode".
    std::string utf16 = "\xFF\xFE";
    for (char c : std::string("SO2\t1\tug/m3\t20240115103000\t00\r\n")) {
        utf16 += c;
        utf16 += '\0';
    }
    EXPECT_NE(errorOf(utf16).find("UTF-16"), std::string::npos);
    // The same without the mark: NUL bytes give it away.
    EXPECT_NE(errorOf(utf16.substr(2)).find("line 1: NUL byte"), std::string::npos);
    // Windows-1258: µ is 0xB5 and ³ is 0xB3 there, single bytes that are not UTF-8.
    const std::string cp1258 = "SO2\t1\tug/m3\t20240115103000\t00\r\n"
                               "NO2\t2\t\xB5g/m\xB3\t20240115103000\t00\r\n";
    const std::string message = errorOf(cp1258);
    EXPECT_NE(message.find("line 2: byte 0xB5 at column 7 is not UTF-8"), std::string::npos)
        << message;
    // A UTF-8 byte-order mark is fine.
    EXPECT_EQ(
        parseStationFile("\xEF\xBB\xBFSO2\t1\tug/m3\t20240115103000\t00\n", kName, "KK01", kVietnam)
            .size(),
        1u);
}

TEST(StationFile, StationAndTimeFromTheFileName) {
    const auto full = parseStationFileName("TNG_GTTN_KK01_20240115103000.txt", kVietnam);
    ASSERT_TRUE(full);
    EXPECT_EQ(full->station, "TNG_GTTN_KK01");
    EXPECT_EQ(full->fileTime, utc("2024-01-15T03:30:00Z"));
    const auto shortName = parseStationFileName("KK02_20240115103500.txt", kVietnam);
    ASSERT_TRUE(shortName);
    EXPECT_EQ(shortName->station, "KK02");
    EXPECT_FALSE(parseStationFileName("readme.txt", kVietnam));
    EXPECT_FALSE(parseStationFileName("_20240115103500.txt", kVietnam));
    EXPECT_FALSE(parseStationFileName("KK02_2024.txt", kVietnam));

    const auto dir = test::scratchDir();
    std::ofstream(dir / "notastation.txt") << "SO2\t1\tug/m3\t20240115103000\t00\n";
    EXPECT_THROW(readStationFile(dir / "notastation.txt", kVietnam), InputError);
}
