#include "engine/sensors/reading_store.h"

#include "engine/core/error.h"
#include "engine/core/log.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <chrono>
#include <optional>
#include <sqlite3.h>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace parktwin::sensors {
namespace {

// A series is one parameter of one station, with its canonical unit. Its readings are kept in
// blocks: one row per series and time window of `block_s` seconds (about 24 of the series'
// reporting periods), holding that window's readings packed in time order. A day of a
// 5-minute series is 12 rows instead of 288, and reading a range back steps that many rows:
// with SQLite, stepping rows is what costs, not copying their bytes. Blocks are a rowid
// table with a unique index on (series_id, block_utc): rows of a few hundred bytes would
// crowd the interior pages of a WITHOUT ROWID table.
//
// Each reading is 32 bytes of the block's `data`, little-endian: time_utc (int64, seconds
// since 1970 UTC), value (IEEE double), batch_id (int64), period_s (int32), status (int32).
constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS series (
  series_id INTEGER PRIMARY KEY, station TEXT NOT NULL, parameter TEXT NOT NULL,
  unit TEXT NOT NULL, block_s INTEGER NOT NULL DEFAULT 3600, UNIQUE (station, parameter));
CREATE TABLE IF NOT EXISTS reading_blocks (
  block_id INTEGER PRIMARY KEY, series_id INTEGER NOT NULL REFERENCES series (series_id),
  block_utc INTEGER NOT NULL, count INTEGER NOT NULL, data BLOB NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS reading_blocks_key ON reading_blocks (series_id, block_utc);
CREATE TABLE IF NOT EXISTS ingest_batches (
  batch_id INTEGER PRIMARY KEY, source TEXT NOT NULL, count INTEGER NOT NULL,
  inserted INTEGER NOT NULL, last_station TEXT, last_parameter TEXT, last_time_utc INTEGER,
  committed_utc INTEGER NOT NULL);
)";

static_assert(std::endian::native == std::endian::little,
              "reading blocks are stored little-endian; this host would need byte swaps");

/// One reading as a block stores it.
struct Packed {
    std::int64_t time_utc;
    double value;
    std::int64_t batch_id;
    std::int32_t period_s;
    std::int32_t status;
};
static_assert(sizeof(Packed) == 32 && std::is_trivially_copyable_v<Packed>);

/// Block width for a series whose first reading covers `period_s`: about 24 readings a block,
/// between a minute and a day; an hour when the source gives no period.
std::int64_t blockWidthFor(int period_s) {
    if (period_s <= 0)
        return 3600;
    const std::int64_t width = std::clamp<std::int64_t>(24 * std::int64_t(period_s), 60, 86400);
    return width - width % 60;
}

bool validBlockWidth(std::int64_t width_s) { return width_s >= 60 && width_s <= 86400; }

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/// Start of the block of width `width_s` holding time `t`.
std::int64_t blockStart(std::int64_t t, std::int64_t width_s) {
    return floorDiv(t, width_s) * width_s;
}

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
    std::span<const std::byte> columnBlob(int k) const {
        const auto* p = static_cast<const std::byte*>(sqlite3_column_blob(stmt_, k));
        return {p, p ? std::size_t(sqlite3_column_bytes(stmt_, k)) : 0};
    }
    /// Binds a copy-free view of `bytes`, which must outlive the step.
    Statement& blob(int k, std::span<const std::byte> bytes) {
        sqlite3_bind_blob(stmt_, k, bytes.data(), int(bytes.size()), SQLITE_STATIC);
        return *this;
    }

private:
    [[noreturn]] void fail() { throw Error(file_.string() + ": SQLite: " + sqlite3_errmsg(db_)); }
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    const std::filesystem::path& file_;
};

std::string seriesKey(const std::string& station, const std::string& parameter) {
    std::string key;
    key.reserve(station.size() + parameter.size() + 1);
    key += station;
    key += '\x1f'; // unit separator: in no station id or symbol
    key += parameter;
    return key;
}

/// The readings of a block's `data`, checked: a blob that is not whole readings, or holds
/// another count than its row says, is reported with the file, series and block.
std::span<const std::byte> checkedBlock(std::span<const std::byte> data, std::int64_t count,
                                        const std::filesystem::path& file, std::int64_t series,
                                        std::int64_t blockUtc) {
    if (data.size() % sizeof(Packed) != 0 || std::int64_t(data.size() / sizeof(Packed)) != count)
        throw Error(file.string() + ": damaged readings block (series " + std::to_string(series) +
                    ", block " + std::to_string(blockUtc) + "): " + std::to_string(data.size()) +
                    " bytes for " + std::to_string(count) + " readings");
    return data;
}

Packed packedAt(std::span<const std::byte> data, std::size_t k) {
    Packed p;
    std::memcpy(&p, data.data() + k * sizeof(Packed), sizeof(Packed));
    return p;
}

void fill(Reading& r, const Packed& p) {
    r.time = fromEpochSeconds(p.time_utc);
    r.value = p.value;
    r.status = static_cast<ReadingStatus>(p.status);
    r.period_s = p.period_s;
}

} // namespace

struct ReadingStore::Statements {
    Statements(sqlite3* db, const std::filesystem::path& file)
        : file_(file),
          newSeries(db,
                    "INSERT INTO series (station, parameter, unit, block_s) "
                    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                    file),
          findSeries(db,
                     "SELECT series_id, unit, block_s FROM series "
                     "WHERE station = ?1 AND parameter = ?2",
                     file),
          nextBatch(db, "SELECT COALESCE(MAX(batch_id), 0) + 1 FROM ingest_batches", file),
          batch(db, "INSERT INTO ingest_batches VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", file),
          block(db,
                "SELECT block_id, count, data FROM reading_blocks "
                "WHERE series_id = ?1 AND block_utc = ?2",
                file),
          newBlock(db,
                   "INSERT INTO reading_blocks (series_id, block_utc, count, data) "
                   "VALUES (?1, ?2, ?3, ?4)",
                   file),
          updateBlock(db, "UPDATE reading_blocks SET count = ?2, data = ?3 WHERE block_id = ?1",
                      file),
          range(db,
                "SELECT block_utc, count, data FROM reading_blocks WHERE series_id = ?1 "
                "AND block_utc >= ?2 AND block_utc < ?3 ORDER BY block_utc",
                file),
          backwards(db,
                    "SELECT block_utc, count, data FROM reading_blocks WHERE series_id = ?1 "
                    "AND block_utc <= ?2 ORDER BY block_utc DESC",
                    file) {}
    std::filesystem::path file_;
    Statement newSeries, findSeries, nextBatch, batch, block, newBlock, updateBlock, range,
        backwards;

    struct Series {
        std::int64_t id;
        std::string unit;
        std::int64_t block_s;
    };
    /// Series already looked up, by seriesKey(); only ever holds committed series.
    std::unordered_map<std::string, Series> known;

    /// The series of (station, parameter), from the cache or the database; when absent and
    /// `first` is given, created with its unit and a block width for its period.
    std::optional<Series> lookup(const std::string& station, const std::string& parameter,
                                 const Reading* first, std::vector<std::string>* created) {
        const std::string key = seriesKey(station, parameter);
        if (const auto it = known.find(key); it != known.end())
            return it->second;
        if (first) {
            newSeries.text(1, station).text(2, parameter).text(3, first->unit);
            newSeries.integer(4, blockWidthFor(first->period_s));
            newSeries.step();
            newSeries.reset();
        }
        findSeries.text(1, station).text(2, parameter);
        std::optional<Series> found;
        if (findSeries.step())
            found = Series{findSeries.columnInt(0), findSeries.columnText(1),
                           findSeries.columnInt(2)};
        findSeries.reset();
        if (found && !validBlockWidth(found->block_s))
            throw Error(file_.string() + ": damaged readings store: series " +
                        std::to_string(found->id) + " (" + station + " " + parameter +
                        ") has a block width of " + std::to_string(found->block_s) +
                        " s, outside 60 to 86400 s");
        if (found) {
            known.emplace(key, *found);
            if (created)
                created->push_back(key);
        }
        return found;
    }
};

namespace {

/// Converts a store of the earlier layout (one `readings` row per reading) to blocks, in one
/// transaction: either every reading is in a block afterwards or the store is as it was.
std::int64_t convertRowsToBlocks(sqlite3* db, const std::filesystem::path& file) {
    {
        Statement orphans(db,
                          "SELECT COUNT(*) FROM readings WHERE series_id NOT IN "
                          "(SELECT series_id FROM series)",
                          file);
        orphans.step();
        if (const std::int64_t n = orphans.columnInt(0); n > 0)
            throw Error(std::to_string(n) + " reading(s) belong to no series");
    }
    Statement rows(db,
                   "SELECT r.series_id, s.block_s, r.time_utc, r.value, r.status, r.period_s, "
                   "r.batch_id FROM readings AS r JOIN series AS s USING (series_id) "
                   "ORDER BY r.series_id, r.time_utc",
                   file);
    Statement insert(db,
                     "INSERT INTO reading_blocks (series_id, block_utc, count, data) "
                     "VALUES (?1, ?2, ?3, ?4)",
                     file);
    std::vector<Packed> pending;
    std::int64_t series = -1, blockUtc = 0, converted = 0;
    auto flush = [&] {
        if (pending.empty())
            return;
        insert.integer(1, series).integer(2, blockUtc).integer(3, std::int64_t(pending.size()));
        insert.blob(4, std::as_bytes(std::span(pending)));
        insert.step();
        insert.reset();
        converted += std::int64_t(pending.size());
        pending.clear();
    };
    while (rows.step()) {
        const std::int64_t id = rows.columnInt(0), width = rows.columnInt(1);
        if (!validBlockWidth(width))
            throw Error("series " + std::to_string(id) + " has a block width of " +
                        std::to_string(width) + " s");
        const std::int64_t t = rows.columnInt(2);
        if (id != series || blockStart(t, width) != blockUtc) {
            flush();
            series = id;
            blockUtc = blockStart(t, width);
        }
        pending.push_back(Packed{t, rows.columnReal(3), rows.columnInt(6),
                                 std::int32_t(rows.columnInt(5)), std::int32_t(rows.columnInt(4))});
    }
    flush();
    return converted;
}

} // namespace

ReadingStore::ReadingStore(const std::filesystem::path& file, StoreAccess access)
    : file_(file) {
    // NOMUTEX: the store is used from one thread at a time, so SQLite need not lock the
    // connection around every call.
    const bool readOnly = access == StoreAccess::ReadOnly;
    const bool mayCreate = access == StoreAccess::ReadWrite;
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
        exec("PRAGMA cache_size=-65536");
        if (readOnly) {
            for (const char* table : {"series", "ingest_batches"})
                if (!hasTable(table))
                    throw Error(file.string() + ": not a readings store of parktwin ingest (no " +
                                table + " table)");
            if (!hasTable("reading_blocks"))
                throw Error(file.string() +
                            (hasTable("readings")
                                 ? ": a readings store of an earlier ParkTwin, with one row per "
                                   "reading; parktwin ingest or parktwin replay on it converts "
                                   "it to the current layout first"
                                 : ": not a readings store of parktwin ingest (no reading_blocks "
                                   "table)"));
            st_ = new Statements(db_, file_);
            return;
        }
        checkBeforeWriting(mayCreate);
        exec("PRAGMA journal_mode=WAL");
        // FULL: each commit syncs the WAL, so an acknowledged batch survives a power cut too;
        // NORMAL would survive only a crash of the process.
        exec("PRAGMA synchronous=FULL");
        upgradeEarlierLayout();
        // All tables or none: a store killed while being created is not left half made.
        transaction([&](sqlite3*) { exec(kSchema); });
        st_ = new Statements(db_, file_);
    } catch (...) {
        sqlite3_close(db_);
        throw;
    }
}

void ReadingStore::checkBeforeWriting(bool mayCreate) {
    // Which of ParkTwin's tables the file holds (the alarm store shares the file).
    static const char* const kReadingTables[] = {"series", "ingest_batches"};
    static const char* const kAlarmTables[] = {"incidents",        "incident_stations",
                                               "alarms",           "audit",
                                               "incident_rankings", "incident_sources",
                                               "feed_sequences"};
    Statement tables(db_, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table'", file_);
    tables.step();
    const bool empty = tables.columnInt(0) == 0;
    const bool readings = hasTable("reading_blocks") || hasTable("readings");
    bool readingTable = readings;
    for (const char* t : kReadingTables)
        readingTable = readingTable || hasTable(t);
    bool alarmTable = false;
    for (const char* t : kAlarmTables)
        alarmTable = alarmTable || hasTable(t);

    if (!readingTable) {
        if (!empty && !alarmTable)
            throw Error(file_.string() +
                        ": not a readings store of parktwin ingest (it holds other tables); "
                        "give a new file or an existing store");
        if (!mayCreate)
            throw Error(file_.string() + ": holds no readings store of parktwin ingest");
        return; // a new store, beside the alarms when they are there
    }
    for (const char* t : kReadingTables)
        if (!hasTable(t))
            throw Error(file_.string() + ": damaged readings store: the " + t +
                        " table is missing; nothing was written");
    if (!readings)
        throw Error(file_.string() + ": damaged readings store: the reading_blocks table is "
                                     "missing; nothing was written");
}

void ReadingStore::upgradeEarlierLayout() {
    if (!hasTable("readings"))
        return;
    std::int64_t converted = 0;
    bool done = false;
    try {
        transaction([&](sqlite3* db) {
            // Another process may have converted it while this one waited for the lock.
            if (!hasTable("readings")) {
                done = true;
                return;
            }
            if (hasTable("reading_blocks")) {
                Statement any(db, "SELECT 1 FROM reading_blocks LIMIT 1", file_);
                if (any.step())
                    throw Error("it holds readings in both layouts: a readings table (one row "
                                "per reading, written by an earlier ParkTwin) beside "
                                "reading_blocks; ingest the earlier readings again into this "
                                "store from their sources and drop the readings table");
            }
            bool hasWidth = false;
            {
                Statement columns(
                    db, "SELECT 1 FROM pragma_table_info('series') WHERE name = 'block_s'", file_);
                hasWidth = columns.step();
            }
            if (!hasWidth) {
                // Each series gets the block width a new one would get for its period.
                exec("ALTER TABLE series ADD COLUMN block_s INTEGER NOT NULL DEFAULT 3600");
                std::vector<std::pair<std::int64_t, std::int64_t>> widths;
                {
                    Statement periods(db,
                                      "SELECT s.series_id, (SELECT MIN(r.period_s) FROM readings "
                                      "AS r WHERE r.series_id = s.series_id AND r.period_s > 0) "
                                      "FROM series AS s",
                                      file_);
                    while (periods.step())
                        widths.emplace_back(periods.columnInt(0),
                                            blockWidthFor(int(periods.columnInt(1))));
                }
                Statement set(db, "UPDATE series SET block_s = ?2 WHERE series_id = ?1", file_);
                for (const auto& [id, width] : widths) {
                    set.integer(1, id).integer(2, width);
                    set.step();
                    set.reset();
                }
            }
            exec(kSchema);
            converted = convertRowsToBlocks(db, file_);
            exec("DROP VIEW IF EXISTS reading_rows; DROP TABLE readings");
        });
    } catch (const Error& e) {
        const std::string what = e.what();
        const std::string prefix = file_.string() + ": ";
        throw Error(prefix + "cannot convert this store of an earlier ParkTwin (one row per "
                             "reading) to the current layout: " +
                    (what.rfind(prefix, 0) == 0 ? what.substr(prefix.size()) : what) +
                    "; the store is left as it was");
    }
    if (!done)
        log::get("ingest").info("{}: {} readings converted from one row each to blocks",
                                file_.string(), converted);
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

    // Readings bound for a block: series, block and time, then the batch's own order, so
    // that of two readings with one key the earlier in the batch is the one stored.
    struct Entry {
        std::int64_t series, blockUtc, time;
        std::size_t index;
    };
    try {
        transaction([&](sqlite3*) {
            st_->nextBatch.step();
            ack.batchId = st_->nextBatch.columnInt(0);
            st_->nextBatch.reset();

            std::vector<Entry> entries;
            entries.reserve(readings.size());
            for (std::size_t k = 0; k < readings.size(); ++k) {
                const Reading& r = readings[k];
                const auto series = st_->lookup(r.station, r.parameter, &r, &created);
                // A series keeps one unit; a reading in another cannot join it.
                if (series->unit != r.unit) {
                    ++ack.unitMismatches;
                    continue;
                }
                const std::int64_t t = toEpochSeconds(r.time);
                entries.push_back({series->id, blockStart(t, series->block_s), t, k});
            }
            std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
                return std::tie(a.series, a.blockUtc, a.time, a.index) <
                       std::tie(b.series, b.blockUtc, b.time, b.index);
            });

            std::vector<Packed> block; // the block being merged, in time order
            for (std::size_t g = 0; g < entries.size();) {
                const std::int64_t series = entries[g].series, blockUtc = entries[g].blockUtc;
                Statement& find = st_->block;
                find.integer(1, series).integer(2, blockUtc);
                std::optional<std::int64_t> blockId;
                block.clear();
                if (find.step()) {
                    blockId = find.columnInt(0);
                    const auto data =
                        checkedBlock(find.columnBlob(2), find.columnInt(1), file_, series, blockUtc);
                    block.resize(data.size() / sizeof(Packed));
                    std::memcpy(block.data(), data.data(), data.size());
                }
                find.reset();

                // Readings of a live feed come after the block's last one: appended. Others
                // (late, redelivered) find their place by binary search.
                int added = 0;
                for (; g < entries.size() && entries[g].series == series &&
                       entries[g].blockUtc == blockUtc;
                     ++g) {
                    const Reading& r = readings[entries[g].index];
                    const Packed p{entries[g].time, r.value, ack.batchId, std::int32_t(r.period_s),
                                   std::int32_t(r.status)};
                    if (block.empty() || block.back().time_utc < p.time_utc) {
                        block.push_back(p);
                        ++added;
                        continue;
                    }
                    const auto at = std::lower_bound(
                        block.begin(), block.end(), p.time_utc,
                        [](const Packed& x, std::int64_t t) { return x.time_utc < t; });
                    if (at != block.end() && at->time_utc == p.time_utc) {
                        const bool same = at->value == p.value && at->status == p.status;
                        ++(same ? ack.repeats : ack.conflicts);
                        continue;
                    }
                    block.insert(at, p);
                    ++added;
                }
                if (added == 0)
                    continue;
                ack.inserted += added;
                const auto bytes = std::as_bytes(std::span(block));
                if (blockId) {
                    Statement& up = st_->updateBlock;
                    up.integer(1, *blockId).integer(2, std::int64_t(block.size())).blob(3, bytes);
                    up.step();
                    up.reset();
                } else {
                    Statement& ins = st_->newBlock;
                    ins.integer(1, series).integer(2, blockUtc);
                    ins.integer(3, std::int64_t(block.size())).blob(4, bytes);
                    ins.step();
                    ins.reset();
                }
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
    const std::int64_t from_s = toEpochSeconds(from), to_s = toEpochSeconds(to);
    if (to_s <= from_s)
        return out;
    Statement& s = st_->range;
    s.integer(1, series->id).integer(2, blockStart(from_s, series->block_s)).integer(3, to_s);
    // Readings are built in place from a prototype carrying the names and unit.
    Reading proto;
    proto.station = station;
    proto.parameter = parameter;
    proto.unit = series->unit;
    try {
        bool first = true;
        while (s.step()) {
            const auto data = checkedBlock(s.columnBlob(2), s.columnInt(1), file_, series->id,
                                           s.columnInt(0));
            const std::size_t n = data.size() / sizeof(Packed);
            if (first) {
                // Blocks are about equally full: size the result from the first one.
                const std::int64_t blocks = (to_s - s.columnInt(0)) / series->block_s + 1;
                out.reserve(std::size_t(std::min<std::int64_t>(blocks * std::int64_t(n), 1 << 16)));
                first = false;
            }
            for (std::size_t k = 0; k < n; ++k) {
                const Packed p = packedAt(data, k);
                if (p.time_utc < from_s || p.time_utc >= to_s)
                    continue;
                fill(out.emplace_back(proto), p);
            }
        }
    } catch (...) {
        s.reset();
        throw;
    }
    s.reset();
    return out;
}

std::vector<Reading> ReadingStore::latestAt(UtcTime at) const {
    // One index seek per series, walking back over blocks only while they hold nothing at or
    // before `at`.
    Statement series(db_,
                     "SELECT series_id, station, parameter, unit FROM series "
                     "ORDER BY station, parameter",
                     file_);
    Statement& back = st_->backwards;
    const std::int64_t at_s = toEpochSeconds(at);
    std::vector<Reading> out;
    while (series.step()) {
        const std::int64_t id = series.columnInt(0);
        back.integer(1, id).integer(2, at_s);
        try {
            bool found = false;
            while (!found && back.step()) {
                const auto data =
                    checkedBlock(back.columnBlob(2), back.columnInt(1), file_, id, back.columnInt(0));
                for (std::size_t k = data.size() / sizeof(Packed); k-- > 0;) {
                    const Packed p = packedAt(data, k);
                    if (p.time_utc > at_s)
                        continue;
                    Reading& r = out.emplace_back();
                    r.station = series.columnText(1);
                    r.parameter = series.columnText(2);
                    r.unit = series.columnText(3);
                    fill(r, p);
                    found = true;
                    break;
                }
            }
        } catch (...) {
            back.reset();
            throw;
        }
        back.reset();
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
    Statement s(db_, "SELECT COALESCE(SUM(count), 0) FROM reading_blocks", file_);
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
