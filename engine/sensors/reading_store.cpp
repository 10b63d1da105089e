#include "engine/sensors/reading_store.h"

#include "engine/core/error.h"

#include <chrono>
#include <set>
#include <sqlite3.h>
#include <utility>

namespace parktwin::sensors {
namespace {

// WITHOUT ROWID keeps each table clustered on its primary key, so the key is the index on
// (station, parameter, time) and a range read is one sequential walk of the B-tree.
constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS readings (
  station TEXT NOT NULL, parameter TEXT NOT NULL, time_utc INTEGER NOT NULL,
  value REAL NOT NULL, unit TEXT NOT NULL, status INTEGER NOT NULL, period_s INTEGER NOT NULL,
  batch_id INTEGER NOT NULL,
  PRIMARY KEY (station, parameter, time_utc)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS series (
  station TEXT NOT NULL, parameter TEXT NOT NULL, unit TEXT NOT NULL,
  PRIMARY KEY (station, parameter)) WITHOUT ROWID;
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

/// Columns station, parameter, time_utc, value, unit, status, period_s from column 0 on.
Reading readingFrom(const Statement& s) {
    Reading r;
    r.station = s.columnText(0);
    r.parameter = s.columnText(1);
    r.time = fromEpochSeconds(s.columnInt(2));
    r.value = s.columnReal(3);
    r.unit = s.columnText(4);
    r.status = static_cast<ReadingStatus>(s.columnInt(5));
    r.period_s = int(s.columnInt(6));
    return r;
}

constexpr const char* kReadingColumns =
    "station, parameter, time_utc, value, unit, status, period_s";

} // namespace

struct ReadingStore::Statements {
    Statements(sqlite3* db, const std::filesystem::path& file)
        : insert(db,
                 "INSERT INTO readings VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                 "ON CONFLICT DO NOTHING",
                 file),
          existing(db,
                   "SELECT value, status FROM readings "
                   "WHERE station = ?1 AND parameter = ?2 AND time_utc = ?3",
                   file),
          series(db, "INSERT INTO series VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING", file),
          nextBatch(db, "SELECT COALESCE(MAX(batch_id), 0) + 1 FROM ingest_batches", file),
          batch(db, "INSERT INTO ingest_batches VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", file) {}
    Statement insert, existing, series, nextBatch, batch;
};

ReadingStore::ReadingStore(const std::filesystem::path& file) : file_(file) {
    if (sqlite3_open(file.string().c_str(), &db_) != SQLITE_OK) {
        const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw Error(file.string() + ": cannot open the readings store: " + why);
    }
    try {
        sqlite3_busy_timeout(db_, 5000);
        exec("PRAGMA journal_mode=WAL");
        // FULL: each commit syncs the WAL, so an acknowledged batch survives a power cut too;
        // NORMAL would survive only a crash of the process.
        exec("PRAGMA synchronous=FULL");
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
    transaction([&](sqlite3* db) {
        st_->nextBatch.step();
        ack.batchId = st_->nextBatch.columnInt(0);
        st_->nextBatch.reset();

        std::set<std::pair<std::string, std::string>> seriesSeen;
        for (const Reading& r : readings) {
            const std::int64_t t = toEpochSeconds(r.time);
            Statement& ins = st_->insert;
            ins.text(1, r.station).text(2, r.parameter).integer(3, t).real(4, r.value);
            ins.text(5, r.unit).integer(6, int(r.status)).integer(7, r.period_s);
            ins.integer(8, ack.batchId);
            ins.step();
            ins.reset();
            if (sqlite3_changes(db) == 1) {
                ++ack.inserted;
                if (seriesSeen.emplace(r.station, r.parameter).second) {
                    st_->series.text(1, r.station).text(2, r.parameter).text(3, r.unit);
                    st_->series.step();
                    st_->series.reset();
                }
                continue;
            }
            Statement& ex = st_->existing;
            ex.text(1, r.station).text(2, r.parameter).integer(3, t);
            ex.step();
            const bool same = ex.columnReal(0) == r.value && ex.columnInt(1) == int(r.status);
            ex.reset();
            ++(same ? ack.repeats : ack.conflicts);
        }

        Statement& b = st_->batch;
        b.integer(1, ack.batchId).text(2, source).integer(3, ack.count).integer(4, ack.inserted);
        if (!readings.empty()) {
            const Reading& last = readings.back();
            b.text(5, last.station).text(6, last.parameter).integer(7, toEpochSeconds(last.time));
        }
        const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        b.integer(8, toEpochSeconds(now));
        b.step();
        b.reset();
    });
    return ack;
}

std::vector<Reading> ReadingStore::readings(const std::string& station,
                                            const std::string& parameter, UtcTime from,
                                            UtcTime to) const {
    const std::string sql = std::string("SELECT ") + kReadingColumns +
                            " FROM readings WHERE station = ?1 AND parameter = ?2 "
                            "AND time_utc >= ?3 AND time_utc < ?4 ORDER BY time_utc";
    Statement s(db_, sql.c_str(), file_);
    s.text(1, station).text(2, parameter).integer(3, toEpochSeconds(from));
    s.integer(4, toEpochSeconds(to));
    std::vector<Reading> out;
    while (s.step())
        out.push_back(readingFrom(s));
    return out;
}

std::vector<Reading> ReadingStore::latestAt(UtcTime at) const {
    // One index seek per series rather than a scan of every reading up to `at`.
    Statement series(db_, "SELECT station, parameter FROM series ORDER BY station, parameter",
                     file_);
    const std::string sql = std::string("SELECT ") + kReadingColumns +
                            " FROM readings WHERE station = ?1 AND parameter = ?2 "
                            "AND time_utc <= ?3 ORDER BY time_utc DESC LIMIT 1";
    Statement latest(db_, sql.c_str(), file_);
    std::vector<Reading> out;
    while (series.step()) {
        const std::string station = series.columnText(0), parameter = series.columnText(1);
        latest.text(1, station).text(2, parameter).integer(3, toEpochSeconds(at));
        if (latest.step())
            out.push_back(readingFrom(latest));
        latest.reset();
    }
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
