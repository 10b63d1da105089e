#include "engine/sensors/reading_store.h"

#include "engine/core/error.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <sqlite3.h>
#include <unordered_map>
#include <utility>
#include <vector>

namespace parktwin::sensors {
namespace {

// A series is one parameter of one station, with its canonical unit. Readings refer to it by
// an integer id: rows stay small and key comparisons cheap. WITHOUT ROWID clusters readings on
// (series_id, time_utc), which is the index on (station, parameter, time): a range read is one
// sequential walk of the B-tree. The view gives the readings with their names.
constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS series (
  series_id INTEGER PRIMARY KEY, station TEXT NOT NULL, parameter TEXT NOT NULL,
  unit TEXT NOT NULL, UNIQUE (station, parameter));
CREATE TABLE IF NOT EXISTS readings (
  series_id INTEGER NOT NULL REFERENCES series (series_id), time_utc INTEGER NOT NULL,
  value REAL NOT NULL, status INTEGER NOT NULL, period_s INTEGER NOT NULL,
  batch_id INTEGER NOT NULL,
  PRIMARY KEY (series_id, time_utc)) WITHOUT ROWID;
CREATE VIEW IF NOT EXISTS reading_rows AS
  SELECT s.station, s.parameter, r.time_utc, r.value, s.unit, r.status, r.period_s, r.batch_id
  FROM readings AS r JOIN series AS s USING (series_id);
CREATE TABLE IF NOT EXISTS ingest_batches (
  batch_id INTEGER PRIMARY KEY, source TEXT NOT NULL, count INTEGER NOT NULL,
  inserted INTEGER NOT NULL, last_station TEXT, last_parameter TEXT, last_time_utc INTEGER,
  committed_utc INTEGER NOT NULL);
)";

/// A prepared statement that finalises itself and resets after each use.
class Statement {
public:
    Statement(sqlite3* db, const char* sql, const std::filesystem::path& file)
        : db_(db), file_(file) {
        if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) !=
            SQLITE_OK)
            fail();
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& text(int k, const std::string& v) {
        sqlite3_bind_text(stmt_, k, v.data(), int(v.size()), SQLITE_STATIC);
        return *this;
    }
    Statement& integer(int k, std::int64_t v) {
        sqlite3_bind_int64(stmt_, k, v);
        return *this;
    }
    Statement& real(int k, double v) {
        sqlite3_bind_double(stmt_, k, v);
        return *this;
    }
    /// Steps once; true while a row is available.
    bool step() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW)
            return true;
        if (rc != SQLITE_DONE) {
            sqlite3_reset(stmt_);
            fail();
        }
        return false;
    }
    void reset() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
    std::string columnText(int k) const {
        const auto* p = sqlite3_column_text(stmt_, k);
        return p ? std::string(reinterpret_cast<const char*>(p)) : std::string();
    }
    std::int64_t columnInt(int k) const { return sqlite3_column_int64(stmt_, k); }
    double columnReal(int k) const { return sqlite3_column_double(stmt_, k); }

private:
    [[noreturn]] void fail() { throw Error(file_.string() + ": SQLite: " + sqlite3_errmsg(db_)); }
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    const std::filesystem::path& file_;
};

/// Columns time_utc, value, status, period_s from column 0 on, of series `series`.
Reading readingFrom(const Statement& s, const std::string& station, const std::string& parameter,
                    const std::string& unit) {
    Reading r;
    r.station = station;
    r.parameter = parameter;
    r.time = fromEpochSeconds(s.columnInt(0));
    r.value = s.columnReal(1);
    r.unit = unit;
    r.status = static_cast<ReadingStatus>(s.columnInt(2));
    r.period_s = int(s.columnInt(3));
    return r;
}

std::string seriesKey(const std::string& station, const std::string& parameter) {
    std::string key;
    key.reserve(station.size() + parameter.size() + 1);
    key += station;
    key += '\x1f'; // unit separator: in no station id or symbol
    key += parameter;
    return key;
}

} // namespace

struct ReadingStore::Statements {
    Statements(sqlite3* db, const std::filesystem::path& file)
        : insert(db, "INSERT INTO readings VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
                 file),
          existing(db, "SELECT value, status FROM readings WHERE series_id = ?1 AND time_utc = ?2",
                   file),
          newSeries(db,
                    "INSERT INTO series (station, parameter, unit) VALUES (?1, ?2, ?3) "
                    "ON CONFLICT DO NOTHING",
                    file),
          findSeries(db, "SELECT series_id, unit FROM series WHERE station = ?1 AND parameter = ?2",
                     file),
          nextBatch(db, "SELECT COALESCE(MAX(batch_id), 0) + 1 FROM ingest_batches", file),
          batch(db, "INSERT INTO ingest_batches VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", file),
          range(db,
                "SELECT time_utc, value, status, period_s FROM readings WHERE series_id = ?1 "
                "AND time_utc >= ?2 AND time_utc < ?3 ORDER BY time_utc",
                file),
          latest(db,
                 "SELECT time_utc, value, status, period_s FROM readings WHERE series_id = ?1 "
                 "AND time_utc <= ?2 ORDER BY time_utc DESC LIMIT 1",
                 file) {}
    Statement insert, existing, newSeries, findSeries, nextBatch, batch, range, latest;

    struct Series {
        std::int64_t id;
        std::string unit;
    };
    /// Series already looked up, by seriesKey(); only ever holds committed series.
    std::unordered_map<std::string, Series> known;

    /// The series of (station, parameter), from the cache or the database; when absent and
    /// `unit` is given, created with that unit.
    std::optional<Series> lookup(const std::string& station, const std::string& parameter,
                                 const std::string* unit, std::vector<std::string>* created) {
        const std::string key = seriesKey(station, parameter);
        if (const auto it = known.find(key); it != known.end())
            return it->second;
        if (unit) {
            newSeries.text(1, station).text(2, parameter).text(3, *unit);
            newSeries.step();
            newSeries.reset();
        }
        findSeries.text(1, station).text(2, parameter);
        std::optional<Series> found;
        if (findSeries.step())
            found = Series{findSeries.columnInt(0), findSeries.columnText(1)};
        findSeries.reset();
        if (found) {
            known.emplace(key, *found);
            if (created)
                created->push_back(key);
        }
        return found;
    }
};

ReadingStore::ReadingStore(const std::filesystem::path& file, StoreAccess access)
    : file_(file) {
    // NOMUTEX: the store is used from one thread at a time, so SQLite need not lock the
    // connection around every call (a measurable share of reading a day back).
    const bool readOnly = access == StoreAccess::ReadOnly;
    const int flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                      SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(file.string().c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw Error(file.string() + ": cannot open the readings store: " + why);
    }
    try {
        sqlite3_busy_timeout(db_, 5000);
        if (readOnly) {
            for (const char* table : {"series", "readings", "ingest_batches"})
                if (!hasTable(table))
                    throw Error(file.string() + ": not a readings store of parktwin ingest (no " +
                                table + " table)");
            exec("PRAGMA cache_size=-65536");
            st_ = new Statements(db_, file_);
            return;
        }
        exec("PRAGMA journal_mode=WAL");
        // FULL: each commit syncs the WAL, so an acknowledged batch survives a power cut too;
        // NORMAL would survive only a crash of the process.
        exec("PRAGMA synchronous=FULL");
        // Readings arrive time-major across many series, so each batch touches a leaf page of
        // every series: a 64 MiB page cache keeps them in memory instead of re-reading them.
        exec("PRAGMA cache_size=-65536");
        exec(kSchema);
        st_ = new Statements(db_, file_);
    } catch (...) {
        sqlite3_close(db_);
        throw;
    }
}

ReadingStore::~ReadingStore() {
    delete st_;
    sqlite3_close(db_);
}

void ReadingStore::exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string why = message ? message : sqlite3_errmsg(db_);
        sqlite3_free(message);
        throw Error(file_.string() + ": SQLite: " + why);
    }
}

void ReadingStore::transaction(const std::function<void(sqlite3*)>& body) {
    exec("BEGIN IMMEDIATE");
    try {
        body(db_);
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

BatchAck ReadingStore::writeBatch(std::span<const Reading> readings, const std::string& source) {
    BatchAck ack;
    ack.count = int(readings.size());
    std::vector<std::string> created; // series first seen in this transaction
    try {
        transaction([&](sqlite3* db) {
            st_->nextBatch.step();
            ack.batchId = st_->nextBatch.columnInt(0);
            st_->nextBatch.reset();

            for (const Reading& r : readings) {
                const auto series = st_->lookup(r.station, r.parameter, &r.unit, &created);
                // A series keeps one unit; a reading in another cannot join it.
                if (series->unit != r.unit) {
                    ++ack.unitMismatches;
                    continue;
                }
                const std::int64_t t = toEpochSeconds(r.time);
                Statement& ins = st_->insert;
                ins.integer(1, series->id).integer(2, t).real(3, r.value);
                ins.integer(4, int(r.status)).integer(5, r.period_s).integer(6, ack.batchId);
                ins.step();
                ins.reset();
                if (sqlite3_changes(db) == 1) {
                    ++ack.inserted;
                    continue;
                }
                Statement& ex = st_->existing;
                ex.integer(1, series->id).integer(2, t);
                ex.step();
                const bool same = ex.columnReal(0) == r.value && ex.columnInt(1) == int(r.status);
                ex.reset();
                ++(same ? ack.repeats : ack.conflicts);
            }

            Statement& b = st_->batch;
            b.integer(1, ack.batchId).text(2, source).integer(3, ack.count);
            b.integer(4, ack.inserted);
            if (!readings.empty()) {
                const Reading& last = readings.back();
                b.text(5, last.station).text(6, last.parameter);
                b.integer(7, toEpochSeconds(last.time));
            }
            const auto now =
                std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
            b.integer(8, toEpochSeconds(now));
            b.step();
            b.reset();
        });
    } catch (...) {
        // Series created by the rolled-back transaction do not exist.
        for (const std::string& key : created)
            st_->known.erase(key);
        throw;
    }
    return ack;
}

std::vector<Reading> ReadingStore::readings(const std::string& station,
                                            const std::string& parameter, UtcTime from,
                                            UtcTime to) const {
    std::vector<Reading> out;
    const auto series = st_->lookup(station, parameter, nullptr, nullptr);
    if (!series)
        return out;
    Statement& s = st_->range;
    const std::int64_t from_s = toEpochSeconds(from), to_s = toEpochSeconds(to);
    s.integer(1, series->id).integer(2, from_s).integer(3, to_s);
    // Room for a value every 5 minutes (Thông tư 10/2021 stations), up to a week: growing the
    // vector instead moved each reading about twice more.
    constexpr std::uint64_t kExpectedInterval_s = 300, kMostReserved = 7 * 288;
    if (to_s > from_s) {
        const std::uint64_t span_s = std::uint64_t(to_s) - std::uint64_t(from_s); // no overflow
        out.reserve(std::size_t(std::min(kMostReserved, span_s / kExpectedInterval_s + 1)));
    }
    // Readings are built in place: a day of a busy series is hundreds of them.
    Reading proto;
    proto.station = station;
    proto.parameter = parameter;
    proto.unit = series->unit;
    try {
        while (s.step()) {
            Reading& r = out.emplace_back(proto);
            r.time = fromEpochSeconds(s.columnInt(0));
            r.value = s.columnReal(1);
            r.status = static_cast<ReadingStatus>(s.columnInt(2));
            r.period_s = int(s.columnInt(3));
        }
    } catch (...) {
        s.reset();
        throw;
    }
    s.reset();
    return out;
}

std::vector<Reading> ReadingStore::latestAt(UtcTime at) const {
    // One index seek per series rather than a scan of every reading up to `at`.
    Statement series(db_,
                     "SELECT series_id, station, parameter, unit FROM series "
                     "ORDER BY station, parameter",
                     file_);
    Statement& latest = st_->latest;
    std::vector<Reading> out;
    while (series.step()) {
        latest.integer(1, series.columnInt(0)).integer(2, toEpochSeconds(at));
        if (latest.step())
            out.push_back(readingFrom(latest, series.columnText(1), series.columnText(2),
                                      series.columnText(3)));
        latest.reset();
    }
    return out;
}

std::vector<std::string> ReadingStore::stationsReporting(const std::string& parameter) const {
    Statement s(db_, "SELECT station FROM series WHERE parameter = ?1 ORDER BY station", file_);
    s.text(1, parameter);
    std::vector<std::string> out;
    while (s.step())
        out.push_back(s.columnText(0));
    return out;
}

std::int64_t ReadingStore::readingCount() const {
    Statement s(db_, "SELECT COUNT(*) FROM readings", file_);
    s.step();
    return s.columnInt(0);
}

std::vector<BatchLogEntry> ReadingStore::batchLog() const {
    Statement s(db_,
                "SELECT batch_id, source, count, inserted, last_station, last_parameter, "
                "last_time_utc, committed_utc FROM ingest_batches ORDER BY batch_id",
                file_);
    std::vector<BatchLogEntry> out;
    while (s.step()) {
        BatchLogEntry e;
        e.batchId = s.columnInt(0);
        e.source = s.columnText(1);
        e.count = int(s.columnInt(2));
        e.inserted = int(s.columnInt(3));
        e.lastStation = s.columnText(4);
        e.lastParameter = s.columnText(5);
        e.lastTime = fromEpochSeconds(s.columnInt(6));
        e.committedAt = fromEpochSeconds(s.columnInt(7));
        out.push_back(std::move(e));
    }
    return out;
}

bool ReadingStore::hasTable(const std::string& name) const {
    Statement s(db_, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", file_);
    s.text(1, name);
    return s.step();
}

} // namespace parktwin::sensors
