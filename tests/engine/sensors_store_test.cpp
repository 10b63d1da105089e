// The readings store: batches committed and logged, repeats idempotent, out-of-order rows
// accepted, range and latest-at queries.

#include "engine/core/error.h"
#include "engine/sensors/reading_store.h"
#include "test_paths.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

using namespace parktwin;
using namespace parktwin::sensors;

namespace {

UtcTime at(const std::string& iso) {
    return parseIsoTime(iso, UtcOffset{0});
}

Reading reading(const std::string& station, const std::string& parameter, const std::string& iso,
                double value) {
    Reading r;
    r.station = station;
    r.parameter = parameter;
    r.time = at(iso);
    r.value = value;
    r.unit = parameter == "WS" ? "m/s" : "ug/m3";
    r.period_s = 300;
    return r;
}

std::string pragma(sqlite3* db, const char* sql) {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
    std::string out;
    if (sqlite3_step(s) == SQLITE_ROW)
        out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return out;
}

} // namespace

TEST(ReadingStore, OpensInWalModeWithTheKeyIndex) {
    ReadingStore store(test::scratchDir() / "readings.sqlite");
    EXPECT_EQ(pragma(store.handle(), "PRAGMA journal_mode"), "wal");
    EXPECT_EQ(pragma(store.handle(), "PRAGMA synchronous"), "2"); // FULL
    // The range query is answered from the primary key, not by scanning the table.
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(store.handle(),
                       "EXPLAIN QUERY PLAN SELECT value FROM readings WHERE series_id = 1 "
                       "AND time_utc >= 0 AND time_utc < 10",
                       -1, &s, nullptr);
    std::string detail;
    while (sqlite3_step(s) == SQLITE_ROW)
        detail += reinterpret_cast<const char*>(sqlite3_column_text(s, 3));
    sqlite3_finalize(s);
    EXPECT_NE(detail.find("USING PRIMARY KEY (series_id=? AND time_utc>? AND time_utc<?)"),
              std::string::npos)
        << detail;
}

TEST(ReadingStore, RepeatsAreIdempotentAndConflictsKeepTheFirstValue) {
    const auto file = test::scratchDir() / "readings.sqlite";
    ReadingStore store(file);
    const std::vector<Reading> first = {reading("KK01", "SO2", "2024-01-15T03:30Z", 45.2),
                                        reading("KK01", "SO2", "2024-01-15T03:35Z", 47.0)};
    const BatchAck a = store.writeBatch(first, "file-1");
    EXPECT_EQ(a.inserted, 2);

    // The same file again, plus one changed value and one new reading.
    std::vector<Reading> again = first;
    again[1].value = 99.0;
    again.push_back(reading("KK01", "SO2", "2024-01-15T03:40Z", 44.0));
    const BatchAck b = store.writeBatch(again, "file-1 resent");
    EXPECT_EQ(b.count, 3);
    EXPECT_EQ(b.inserted, 1);
    EXPECT_EQ(b.repeats, 1);
    EXPECT_EQ(b.conflicts, 1);
    EXPECT_EQ(store.readingCount(), 3);
    const auto stored =
        store.readings("KK01", "SO2", at("2024-01-15T03:35Z"), at("2024-01-15T03:36Z"));
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_DOUBLE_EQ(stored[0].value, 47.0);
}

TEST(ReadingStore, AStationParameterKeepsOneUnit) {
    ReadingStore store(test::scratchDir() / "readings.sqlite");
    Reading stack = reading("CEMS1", "SO2", "2024-01-15T03:30Z", 480);
    stack.unit = "mg/Nm3";
    store.writeBatch(std::vector<Reading>{stack}, "a");
    const BatchAck ack = store.writeBatch(
        std::vector<Reading>{reading("CEMS1", "SO2", "2024-01-15T03:35Z", 480000)}, "b");
    EXPECT_EQ(ack.inserted, 0);
    EXPECT_EQ(ack.unitMismatches, 1);
    EXPECT_EQ(store.readingCount(), 1);
}

TEST(ReadingStore, TheViewGivesReadingsWithTheirNames) {
    ReadingStore store(test::scratchDir() / "readings.sqlite");
    store.writeBatch(std::vector<Reading>{reading("KK01", "SO2", "2024-01-15T03:30Z", 45.5)}, "a");
    EXPECT_EQ(pragma(store.handle(),
                     "SELECT station || ' ' || parameter || ' ' || time_utc || ' ' || value || ' ' "
                     "|| unit FROM reading_rows"),
              "KK01 SO2 1705289400 45.5 ug/m3");
}

TEST(ReadingStore, OutOfOrderReadingsComeBackInTimeOrder) {
    ReadingStore store(test::scratchDir() / "readings.sqlite");
    store.writeBatch(std::vector<Reading>{reading("KK01", "NO2", "2024-01-15T04:00Z", 3),
                                          reading("KK01", "NO2", "2024-01-15T03:50Z", 1)},
                     "a");
    store.writeBatch(std::vector<Reading>{reading("KK01", "NO2", "2024-01-15T03:55Z", 2),
                                          reading("KK02", "NO2", "2024-01-15T03:55Z", 9)},
                     "b");
    const auto rows =
        store.readings("KK01", "NO2", at("2024-01-15T00:00Z"), at("2024-01-16T00:00Z"));
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_DOUBLE_EQ(rows[0].value, 1);
    EXPECT_DOUBLE_EQ(rows[1].value, 2);
    EXPECT_DOUBLE_EQ(rows[2].value, 3);
    EXPECT_EQ(rows[0].period_s, 300);
    EXPECT_EQ(rows[0].unit, "ug/m3");
    // The range is half-open: a reading at `to` is not in it.
    EXPECT_EQ(
        store.readings("KK01", "NO2", at("2024-01-15T03:50Z"), at("2024-01-15T04:00Z")).size(), 2u);
}

TEST(ReadingStore, LatestReadingOfEachStationAtAnInstant) {
    ReadingStore store(test::scratchDir() / "readings.sqlite");
    Reading fault = reading("KK02", "SO2", "2024-01-15T03:45Z", 500);
    fault.status = ReadingStatus::DeviceFault;
    store.writeBatch(
        std::vector<Reading>{
            reading("KK01", "SO2", "2024-01-15T03:30Z", 10),
            reading("KK01", "SO2", "2024-01-15T03:40Z", 20),
            reading("KK01", "SO2", "2024-01-15T03:50Z", 30),
            reading("KK01", "WS", "2024-01-15T03:00Z", 2.5),
            fault,
        },
        "x");
    const auto latest = store.latestAt(at("2024-01-15T03:45Z"));
    ASSERT_EQ(latest.size(), 3u);
    EXPECT_EQ(latest[0].station, "KK01");
    EXPECT_EQ(latest[0].parameter, "SO2");
    EXPECT_DOUBLE_EQ(latest[0].value, 20);
    EXPECT_EQ(latest[1].parameter, "WS");
    EXPECT_DOUBLE_EQ(latest[1].value, 2.5);
    EXPECT_EQ(latest[2].station, "KK02");
    EXPECT_EQ(latest[2].status, ReadingStatus::DeviceFault); // flagged, still stored
    EXPECT_TRUE(store.latestAt(at("2024-01-15T02:00Z")).empty());
}

TEST(ReadingStore, EachCommittedBatchIsLoggedWithItsCountAndLastKey) {
    const auto file = test::scratchDir() / "readings.sqlite";
    {
        ReadingStore store(file);
        store.writeBatch(std::vector<Reading>{reading("KK01", "SO2", "2024-01-15T03:30Z", 1),
                                              reading("KK01", "CO", "2024-01-15T03:30Z", 2)},
                         "TNG_GTTN_KK01_20240115103000.txt");
        store.writeBatch(std::vector<Reading>{}, "empty.txt");
    }
    ReadingStore reopened(file);
    const auto log = reopened.batchLog();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].batchId, 1);
    EXPECT_EQ(log[0].source, "TNG_GTTN_KK01_20240115103000.txt");
    EXPECT_EQ(log[0].count, 2);
    EXPECT_EQ(log[0].lastParameter, "CO");
    EXPECT_EQ(log[0].lastTime, at("2024-01-15T03:30Z"));
    EXPECT_EQ(log[1].batchId, 2);
    EXPECT_EQ(log[1].count, 0);
}

TEST(ReadingStore, OtherComponentsRunTheirOwnTransactions) {
    ReadingStore store(test::scratchDir() / "readings.sqlite");
    store.exec("CREATE TABLE IF NOT EXISTS incidents (id INTEGER PRIMARY KEY, what TEXT)");
    EXPECT_TRUE(store.hasTable("incidents"));
    EXPECT_THROW(store.transaction([](sqlite3* db) {
        sqlite3_exec(db, "INSERT INTO incidents (what) VALUES ('x')", nullptr, nullptr, nullptr);
        throw Error("abandoned");
    }),
                 Error);
    store.transaction([](sqlite3* db) {
        sqlite3_exec(db, "INSERT INTO incidents (what) VALUES ('y')", nullptr, nullptr, nullptr);
    });
    EXPECT_EQ(pragma(store.handle(), "SELECT group_concat(what) FROM incidents"), "y");
}

TEST(ReadingStore, AnUnwritablePlaceIsAClearError) {
    try {
        ReadingStore store("/nonexistent-folder/readings.sqlite");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent-folder/readings.sqlite"),
                  std::string::npos);
    }
}
