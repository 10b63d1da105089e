// The readings store: batches committed and logged, repeats idempotent, out-of-order rows
// accepted, range and latest-at queries across blocks, the block layout, and the conversion
// of a store of the earlier one-row-per-reading layout.

#include "engine/core/error.h"
#include "engine/sensors/reading_store.h"
#include "test_paths.h"

#include <bit>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <span>
#include <sqlite3.h>
#include <string>
#include <vector>

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

/// A store as ParkTwin wrote them before blocks, one row per reading: KK01 SO2 at 5 min (three
/// readings), KK02 WS with no period (one); then `extraSql`.
void writeEarlierLayout(const std::filesystem::path& file, const std::string& extraSql = "") {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    const std::string sql =
        "CREATE TABLE series (series_id INTEGER PRIMARY KEY, station TEXT NOT NULL, "
        "parameter TEXT NOT NULL, unit TEXT NOT NULL, UNIQUE (station, parameter));"
        "CREATE TABLE readings (series_id INTEGER NOT NULL, time_utc INTEGER NOT NULL, "
        "value REAL NOT NULL, status INTEGER NOT NULL, period_s INTEGER NOT NULL, "
        "batch_id INTEGER NOT NULL, PRIMARY KEY (series_id, time_utc)) WITHOUT ROWID;"
        "CREATE VIEW reading_rows AS SELECT * FROM readings;"
        "CREATE TABLE ingest_batches (batch_id INTEGER PRIMARY KEY, source TEXT NOT NULL,"
        " count INTEGER NOT NULL, inserted INTEGER NOT NULL, last_station TEXT, "
        "last_parameter TEXT, last_time_utc INTEGER, committed_utc INTEGER NOT NULL);"
        "INSERT INTO series VALUES (1, 'KK01', 'SO2', 'ug/m3'), (2, 'KK02', 'WS', 'm/s');"
        "INSERT INTO readings VALUES (1, 1705289400, 45.5, 0, 300, 1),"
        " (1, 1705289700, 46.5, 1, 300, 1), (1, 1705300000, 50, 0, 300, 2),"
        " (2, 1705289400, 2.5, 0, 0, 2);"
        "INSERT INTO ingest_batches VALUES (1, 'a', 2, 2, 'KK01', 'SO2', 1705289700, 0),"
        " (2, 'b', 2, 2, 'KK02', 'WS', 1705289400, 0);" +
        extraSql;
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
}

/// The first column of every row of `sql` on the file, read with SQLite directly.
std::vector<std::string> column(const std::filesystem::path& file, const char* sql) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* s = nullptr;
    std::vector<std::string> out;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK)
        while (sqlite3_step(s) == SQLITE_ROW)
            out.push_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
}

/// Runs `open` and expects an Error naming the file and saying `words`.
template <typename F>
void expectRefusal(const std::filesystem::path& file, const std::string& words, F open) {
    try {
        open();
        ADD_FAILURE() << "expected an error saying '" << words << "'";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
}

} // namespace


TEST(ReadingStore, OpensInWalModeWithTheKeyIndex) {
    ReadingStore store(test::scratchDir() / "readings.sqlite");
    EXPECT_EQ(pragma(store.handle(), "PRAGMA journal_mode"), "wal");
    EXPECT_EQ(pragma(store.handle(), "PRAGMA synchronous"), "2"); // FULL
    // The range query is answered from the (series, block) index, not by scanning the table.
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(store.handle(),
                       "EXPLAIN QUERY PLAN SELECT data FROM reading_blocks WHERE series_id = 1 "
                       "AND block_utc >= 0 AND block_utc < 10",
                       -1, &s, nullptr);
    std::string detail;
    while (sqlite3_step(s) == SQLITE_ROW)
        detail += reinterpret_cast<const char*>(sqlite3_column_text(s, 3));
    sqlite3_finalize(s);
    EXPECT_NE(detail.find("USING INDEX reading_blocks_key (series_id=? AND block_utc>? AND "
                          "block_utc<?)"),
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

TEST(ReadingStore, BlocksHoldTheReadingsInTheDocumentedLayout) {
    ReadingStore store(test::scratchDir() / "readings.sqlite");
    Reading calibrating = reading("KK01", "SO2", "2024-01-15T03:35Z", -1.25);
    calibrating.status = ReadingStatus::Calibrating;
    store.writeBatch(std::vector<Reading>{calibrating}, "a");
    store.writeBatch(std::vector<Reading>{reading("KK01", "SO2", "2024-01-15T03:30Z", 45.5)}, "b");

    // Decoded here from the bytes, by the layout the header gives: 32 bytes a reading,
    // little-endian int64 time, double value, int64 batch, int32 period, int32 status.
    sqlite3_stmt* s = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(store.handle(),
                                 "SELECT s.station, s.block_s, b.block_utc, b.count, b.data "
                                 "FROM reading_blocks AS b JOIN series AS s USING (series_id)",
                                 -1, &s, nullptr),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "KK01");
    // A 5-minute series: blocks of 24 periods, two hours, aligned on the epoch.
    EXPECT_EQ(sqlite3_column_int64(s, 1), 7200);
    EXPECT_EQ(sqlite3_column_int64(s, 2), 1705284000); // 2024-01-15T02:00Z
    EXPECT_EQ(sqlite3_column_int64(s, 3), 2);
    ASSERT_EQ(sqlite3_column_bytes(s, 4), 64);
    const auto* bytes = static_cast<const unsigned char*>(sqlite3_column_blob(s, 4));
    auto le = [&](int offset, int size) {
        std::uint64_t v = 0;
        for (int k = size - 1; k >= 0; --k)
            v = (v << 8) | bytes[offset + k];
        return v;
    };
    EXPECT_EQ(le(0, 8), 1705289400u); // 03:30Z first: blocks are in time order
    EXPECT_EQ(std::bit_cast<double>(le(8, 8)), 45.5);
    EXPECT_EQ(le(16, 8), 2u); // written by the second batch
    EXPECT_EQ(le(24, 4), 300u);
    EXPECT_EQ(le(28, 4), 0u);
    EXPECT_EQ(le(32, 8), 1705289700u);
    EXPECT_EQ(std::bit_cast<double>(le(40, 8)), -1.25);
    EXPECT_EQ(le(48, 8), 1u);
    EXPECT_EQ(le(60, 4), 1u); // calibrating
    EXPECT_EQ(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
}

TEST(ReadingStore, RangesAndLatestCrossBlockBoundaries) {
    ReadingStore store(test::scratchDir() / "readings.sqlite");
    // Every 5 minutes for 30 hours (blocks of two hours) and hourly for 5 days (blocks of a
    // day), written in three batches out of time order.
    std::vector<Reading> fine, hourly;
    for (int k = 0; k < 360; ++k)
        fine.push_back(reading("KK01", "SO2", "2024-01-15T00:00Z", k));
    for (int k = 0; k < 360; ++k)
        fine[std::size_t(k)].time += std::chrono::minutes(5 * k);
    for (int k = 0; k < 120; ++k) {
        Reading r = reading("KK01", "PM10", "2024-01-13T00:00Z", 1000 + k);
        r.time += std::chrono::hours(k);
        r.period_s = 3600;
        hourly.push_back(r);
    }
    // A day's block that starts with a reading at noon.
    hourly.push_back(reading("KK01", "PM10", "2024-01-18T12:00Z", 5000));
    hourly.back().period_s = 3600;
    store.writeBatch(std::span(fine).subspan(200), "late half");
    store.writeBatch(std::span(fine).first(200), "early half");
    store.writeBatch(hourly, "hourly");
    EXPECT_EQ(store.readingCount(), 481);

    // 01:57Z to 04:02Z: 02:00 ... 04:00, 25 readings, across three blocks.
    const auto part =
        store.readings("KK01", "SO2", at("2024-01-15T01:57Z"), at("2024-01-15T04:02Z"));
    ASSERT_EQ(part.size(), 25u);
    EXPECT_DOUBLE_EQ(part.front().value, 24);
    EXPECT_DOUBLE_EQ(part.back().value, 48);
    for (std::size_t k = 1; k < part.size(); ++k)
        EXPECT_EQ(part[k].time - part[k - 1].time, std::chrono::minutes(5));
    EXPECT_EQ(store.readings("KK01", "SO2", at("2024-01-01T00:00Z"), at("2024-02-01T00:00Z"))
                  .size(),
              360u);
    EXPECT_TRUE(
        store.readings("KK01", "SO2", at("2024-01-15T04:00Z"), at("2024-01-15T04:00Z")).empty());
    const auto days =
        store.readings("KK01", "PM10", at("2024-01-14T23:00Z"), at("2024-01-16T01:00Z"));
    ASSERT_EQ(days.size(), 26u);
    EXPECT_DOUBLE_EQ(days.front().value, 1047);
    EXPECT_EQ(days.front().period_s, 3600);

    // At 06:00Z on the 18th the hourly series' block of that day holds only a later
    // reading, so its latest is the last one of the day before.
    const auto latest = store.latestAt(at("2024-01-18T06:00Z"));
    ASSERT_EQ(latest.size(), 2u);
    EXPECT_EQ(latest[0].parameter, "PM10");
    EXPECT_DOUBLE_EQ(latest[0].value, 1119); // 2024-01-17T23:00Z
    EXPECT_EQ(latest[0].time, at("2024-01-17T23:00Z"));
    EXPECT_DOUBLE_EQ(latest[1].value, 359); // SO2 ended on the 16th at 05:55Z
}

TEST(ReadingStore, OfTwoReadingsWithOneKeyInABatchTheFirstIsStored) {
    ReadingStore store(test::scratchDir() / "readings.sqlite");
    const BatchAck ack =
        store.writeBatch(std::vector<Reading>{reading("KK01", "SO2", "2024-01-15T03:30Z", 7),
                                              reading("KK01", "SO2", "2024-01-15T03:30Z", 8),
                                              reading("KK01", "SO2", "2024-01-15T03:30Z", 7)},
                         "a");
    EXPECT_EQ(ack.inserted, 1);
    EXPECT_EQ(ack.conflicts, 1);
    EXPECT_EQ(ack.repeats, 1);
    const auto rows =
        store.readings("KK01", "SO2", at("2024-01-15T00:00Z"), at("2024-01-16T00:00Z"));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_DOUBLE_EQ(rows[0].value, 7);
}

TEST(ReadingStore, AStoreOfTheEarlierLayoutIsConvertedWhenOpenedForWriting) {
    const auto file = test::scratchDir() / "readings.sqlite";
    writeEarlierLayout(file);
    // Read-only, it is refused with the way out rather than read wrongly.
    try {
        ReadingStore readOnly(file, StoreAccess::ReadOnly);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("earlier"), std::string::npos) << e.what();
    }

    ReadingStore store(file);
    EXPECT_FALSE(store.hasTable("readings"));
    EXPECT_EQ(store.readingCount(), 4);
    const auto so2 =
        store.readings("KK01", "SO2", at("2024-01-15T00:00Z"), at("2024-01-16T00:00Z"));
    ASSERT_EQ(so2.size(), 3u);
    EXPECT_DOUBLE_EQ(so2[0].value, 45.5);
    EXPECT_EQ(so2[1].status, ReadingStatus::Calibrating);
    EXPECT_EQ(so2[2].time, fromEpochSeconds(1705300000));
    EXPECT_EQ(store.readings("KK02", "WS", at("2024-01-15T00:00Z"), at("2024-01-16T00:00Z"))
                  .front()
                  .unit,
              "m/s");
    EXPECT_EQ(store.batchLog().size(), 2u);
    // It goes on taking readings, and a repeat of a converted one is still a repeat.
    const BatchAck ack = store.writeBatch(
        std::vector<Reading>{reading("KK01", "SO2", "2024-01-15T03:30Z", 45.5),
                             reading("KK01", "SO2", "2024-01-15T03:40Z", 47)},
        "c");
    EXPECT_EQ(ack.repeats, 1);
    EXPECT_EQ(ack.inserted, 1);
    EXPECT_EQ(store.readingCount(), 5);
}

TEST(ReadingStore, ADamagedBlockIsAClearError) {
    const auto file = test::scratchDir() / "readings.sqlite";
    {
        ReadingStore store(file);
        store.writeBatch(std::vector<Reading>{reading("KK01", "SO2", "2024-01-15T03:30Z", 1)}, "a");
        store.exec("UPDATE reading_blocks SET data = zeroblob(20)");
    }
    ReadingStore store(file, StoreAccess::ReadOnly);
    try {
        store.readings("KK01", "SO2", at("2024-01-15T00:00Z"), at("2024-01-16T00:00Z"));
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("damaged"), std::string::npos) << e.what();
    }
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

// Each series of a converted store gets the block width a new series gets for its period:
// 24 periods (24 x 300 s = 7200 s), or an hour when the readings give none.
TEST(ReadingStore, AConvertedSeriesGetsTheBlockWidthOfItsPeriod) {
    const auto file = test::scratchDir() / "readings.sqlite";
    writeEarlierLayout(file);
    { ReadingStore store(file); }
    EXPECT_EQ(column(file, "SELECT block_s FROM series ORDER BY series_id"),
              (std::vector<std::string>{"7200", "3600"}));
}

TEST(ReadingStore, AnEarlierStoreThatCannotBeConvertedIsLeftAsItWas) {
    const auto dir = test::scratchDir();
    // Readings of a series the store does not have.
    const auto orphans = dir / "orphans.sqlite";
    writeEarlierLayout(orphans, "INSERT INTO readings VALUES (9, 1705289400, 1, 0, 300, 1);");
    expectRefusal(orphans, "belong to no series", [&] { ReadingStore store(orphans); });
    EXPECT_EQ(column(orphans, "SELECT COUNT(*) FROM readings"),
              std::vector<std::string>{"5"});
    EXPECT_TRUE(column(orphans, "SELECT name FROM sqlite_schema WHERE name = 'reading_blocks'")
                    .empty());
    // A readings table beside blocks that already hold readings.
    const auto both = dir / "both.sqlite";
    writeEarlierLayout(both);
    { ReadingStore store(both); }
    {
        sqlite3* db = nullptr;
        sqlite3_open(both.c_str(), &db);
        sqlite3_exec(db,
                     "CREATE TABLE readings (series_id INTEGER, time_utc INTEGER, value REAL, "
                     "status INTEGER, period_s INTEGER, batch_id INTEGER);"
                     "INSERT INTO readings VALUES (1, 1705289400, 45.5, 0, 300, 1);",
                     nullptr, nullptr, nullptr);
        sqlite3_close(db);
    }
    expectRefusal(both, "both layouts", [&] { ReadingStore store(both); });
    EXPECT_EQ(column(both, "SELECT SUM(count) FROM reading_blocks"),
              std::vector<std::string>{"4"});
}

TEST(ReadingStore, AStoreMissingATableIsRefusedNotRebuilt) {
    const auto dir = test::scratchDir();
    for (const char* table : {"series", "reading_blocks", "ingest_batches"}) {
        const auto file = dir / (std::string("no_") + table + ".sqlite");
        {
            ReadingStore store(file);
            store.writeBatch(std::vector<Reading>{reading("KK01", "SO2", "2024-01-15T03:30Z", 1)},
                             "a");
            store.exec(std::string("DROP TABLE ") + table);
        }
        expectRefusal(file, std::string("the ") + table + " table is missing",
                      [&] { ReadingStore store(file); });
        EXPECT_TRUE(column(file, (std::string("SELECT name FROM sqlite_schema WHERE name = '") +
                                  table + "'")
                                     .c_str())
                        .empty())
            << table << " was made again";
    }
}

TEST(ReadingStore, ABlockWidthOutOfRangeIsRefusedAndNothingIsWritten) {
    const auto file = test::scratchDir() / "readings.sqlite";
    {
        ReadingStore store(file);
        store.writeBatch(std::vector<Reading>{reading("KK01", "SO2", "2024-01-15T03:30Z", 1)},
                         "a");
        store.exec("UPDATE series SET block_s = 0");
    }
    ReadingStore store(file);
    expectRefusal(file, "block width", [&] {
        store.writeBatch(std::vector<Reading>{reading("KK01", "SO2", "2024-01-15T03:30Z", 1),
                                              reading("KK01", "SO2", "2024-01-15T03:35Z", 2)},
                         "b");
    });
    EXPECT_EQ(column(file, "SELECT SUM(count) FROM reading_blocks"),
              std::vector<std::string>{"1"});
    EXPECT_EQ(column(file, "SELECT COUNT(*) FROM ingest_batches"),
              std::vector<std::string>{"1"});
}

TEST(ReadingStore, AFileOfOtherTablesIsNotTakenOverAndExistingDoesNotCreate) {
    const auto dir = test::scratchDir();
    const auto other = dir / "customers.sqlite";
    {
        sqlite3* db = nullptr;
        sqlite3_open(other.c_str(), &db);
        sqlite3_exec(db, "CREATE TABLE customers (name TEXT)", nullptr, nullptr, nullptr);
        sqlite3_close(db);
    }
    expectRefusal(other, "not a readings store", [&] { ReadingStore store(other); });
    EXPECT_EQ(column(other, "SELECT name FROM sqlite_schema"),
              std::vector<std::string>{"customers"});
    EXPECT_EQ(column(other, "PRAGMA journal_mode"), std::vector<std::string>{"delete"});

    const auto blank = dir / "blank.sqlite";
    std::ofstream{blank};
    expectRefusal(blank, "no readings store",
                  [&] { ReadingStore store(blank, StoreAccess::Existing); });
    EXPECT_TRUE(column(blank, "SELECT name FROM sqlite_schema").empty());
    // For ingest, the same empty file becomes a store.
    { ReadingStore store(blank); }
    EXPECT_EQ(column(blank, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'reading_blocks'"),
              std::vector<std::string>{"1"});
}
