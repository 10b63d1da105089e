#pragma once
// The readings store: one SQLite file in WAL mode holding every validated reading, keyed by
// (station, parameter, time), with a log of the committed ingest batches. The alarm and
// incident tables live in the same file and use handle() and transaction().
//
// Tables: `series` (series_id, station, parameter, unit, block_s), `reading_blocks` (one row
// per series and window of block_s seconds: series_id, block_utc, count, data; unique on
// (series_id, block_utc)), and `ingest_batches` (one row per committed batch). A block's
// `data` holds its readings in time order, 32 bytes each, little-endian: time_utc (int64,
// seconds since 1970 UTC), value (double), batch_id (int64), period_s (int32), status
// (int32). A store of the earlier layout (one `readings` row per reading) is converted in
// one transaction when opened for writing.

#include "engine/sensors/reading.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

struct sqlite3;

namespace parktwin::sensors {

/// What one committed batch did; the batch's row in `ingest_batches` says the same.
struct BatchAck {
    std::int64_t batchId = 0; ///< id of the batch's row in ingest_batches
    int count = 0;            ///< readings in the batch
    int inserted = 0;         ///< new readings stored
    int repeats = 0;          ///< same key and same value as a stored reading: nothing to do
    int conflicts = 0;        ///< same key, different value or status: the stored one kept
    int unitMismatches = 0;   ///< not stored: the series already holds another unit
};

/// One row of the batch log.
struct BatchLogEntry {
    std::int64_t batchId = 0;
    std::string source; ///< file, topic or stream the batch came from
    int count = 0;
    int inserted = 0;
    std::string lastStation, lastParameter; ///< key of the batch's last reading
    UtcTime lastTime{};
    UtcTime committedAt{};
};

/// How a store is opened: for ingest (created and brought up to date); as an existing store
/// that may be brought up to date but is never created (replay); or only to read an existing
/// one, which is then never written (viewers, reports).
enum class StoreAccess { ReadWrite, Existing, ReadOnly };

/// A connection to the store; use it from one thread at a time (each thread or process may
/// open its own: SQLite's WAL lets readers work beside the writer).
class ReadingStore {
public:
    /// Opens (creating if needed) the store at `file`: WAL journal, full synchronisation on
    /// commit so a committed batch survives a power cut as well as a killed process. Throws
    /// Error naming the file when SQLite cannot open, create or write it. ReadOnly opens an
    /// existing store without writing to it (no journal change, no schema) and throws Error
    /// naming the file when it is not a readings store; writing through it then fails.
    /// Existing opens for writing but throws instead of creating a store. A file holding other
    /// tables and none of ParkTwin's, a store missing one of its tables, and a series whose
    /// block width is out of range are refused with Error naming the file; nothing is written
    /// to them.
    explicit ReadingStore(const std::filesystem::path& file,
                          StoreAccess access = StoreAccess::ReadWrite);
    ~ReadingStore();
    ReadingStore(const ReadingStore&) = delete;
    ReadingStore& operator=(const ReadingStore&) = delete;

    /// Stores `readings` in one transaction with a row in `ingest_batches` naming `source`;
    /// when it returns, the batch is committed (acknowledged). A reading whose (station,
    /// parameter, time) is already stored is not stored again: the first value stays, and a
    /// different value is counted as a conflict. Readings may come in any time order. A
    /// station's parameter keeps the canonical unit of its first reading; a reading in another
    /// unit is not stored and is counted in unitMismatches.
    BatchAck writeBatch(std::span<const Reading> readings, const std::string& source);

    /// Readings of one station and parameter with from <= time < to, in time order.
    std::vector<Reading> readings(const std::string& station, const std::string& parameter,
                                  UtcTime from, UtcTime to) const;

    /// For every station and parameter, the latest reading at or before `at`; sorted by
    /// station, then parameter.
    std::vector<Reading> latestAt(UtcTime at) const;

    /// The stations that have a series of `parameter`, sorted.
    std::vector<std::string> stationsReporting(const std::string& parameter) const;

    /// Number of stored readings.
    std::int64_t readingCount() const;

    /// The committed batches, oldest first.
    std::vector<BatchLogEntry> batchLog() const;

    /// Runs `body` inside BEGIN IMMEDIATE ... COMMIT on this store's connection, rolling back
    /// when it throws. For the tables other components keep in the same file.
    void transaction(const std::function<void(sqlite3*)>& body);

    /// Runs SQL statements with no result rows (schema, pragmas); throws Error on failure.
    void exec(const std::string& sql);

    /// True when the database holds a table of that name.
    bool hasTable(const std::string& name) const;

    /// The SQLite connection, for the components that keep their own tables in this file.
    sqlite3* handle() const { return db_; }
    const std::filesystem::path& file() const { return file_; }

private:
    void checkBeforeWriting(bool mayCreate);
    void upgradeEarlierLayout();

    std::filesystem::path file_;
    sqlite3* db_ = nullptr;
    struct Statements;
    Statements* st_ = nullptr;
};

/// Seconds since 1970-01-01T00:00Z, the form times take in the store.
inline std::int64_t toEpochSeconds(UtcTime t) {
    return t.time_since_epoch().count();
}
inline UtcTime fromEpochSeconds(std::int64_t s) {
    return UtcTime{std::chrono::seconds{s}};
}

} // namespace parktwin::sensors
