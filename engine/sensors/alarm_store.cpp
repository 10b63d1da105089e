#include "engine/sensors/alarm_store.h"

#include <algorithm>
#include <cctype>
#include <chrono>

#include <fmt/format.h>
#include <sqlite3.h>

#include "engine/core/error.h"

namespace parktwin::sensors {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS incidents(
  id INTEGER PRIMARY KEY,
  parameter TEXT NOT NULL,
  scope TEXT NOT NULL,
  start_utc INTEGER NOT NULL,
  end_utc INTEGER,
  last_exceeding_utc INTEGER NOT NULL,
  peak_value REAL NOT NULL,
  peak_limit REAL NOT NULL,
  peak_station TEXT NOT NULL,
  peak_period TEXT NOT NULL,
  peak_utc INTEGER NOT NULL,
  unit TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS incident_stations(
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  station TEXT NOT NULL,
  PRIMARY KEY(incident_id, station));
CREATE TABLE IF NOT EXISTS alarms(
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  station TEXT NOT NULL,
  parameter TEXT NOT NULL,
  scope TEXT NOT NULL,
  period TEXT NOT NULL,
  raised_utc INTEGER NOT NULL,
  cleared_utc INTEGER,
  value REAL NOT NULL,
  limit_value REAL NOT NULL,
  unit TEXT NOT NULL,
  regulation TEXT NOT NULL,
  limit_grade TEXT NOT NULL,
  limit_verified INTEGER NOT NULL,
  message TEXT NOT NULL,
  incident_id INTEGER REFERENCES incidents(id),
  acked_by TEXT,
  acked_utc INTEGER);
CREATE INDEX IF NOT EXISTS alarms_active ON alarms(cleared_utc);
CREATE TABLE IF NOT EXISTS audit(
  id INTEGER PRIMARY KEY,
  at_utc INTEGER NOT NULL,
  recorded_utc INTEGER NOT NULL,
  event TEXT NOT NULL,
  alarm_id INTEGER,
  incident_id INTEGER,
  operator TEXT,
  detail TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TABLE IF NOT EXISTS incident_rankings(
  incident_id INTEGER PRIMARY KEY REFERENCES incidents(id),
  ranked INTEGER NOT NULL,
  reason TEXT NOT NULL,
  trigger TEXT NOT NULL,
  window_from_utc INTEGER NOT NULL,
  window_to_utc INTEGER NOT NULL,
  background REAL NOT NULL,
  r2 REAL NOT NULL,
  samples INTEGER NOT NULL,
  met_hours INTEGER NOT NULL,
  method TEXT NOT NULL,
  computed_utc INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS incident_sources(
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  rank INTEGER NOT NULL,
  source_id TEXT NOT NULL,
  rate_gs REAL NOT NULL,
  share REAL NOT NULL,
  score REAL NOT NULL,
  r2 REAL NOT NULL,
  samples INTEGER NOT NULL,
  computed_utc INTEGER NOT NULL,
  PRIMARY KEY(incident_id, rank));
CREATE TABLE IF NOT EXISTS feed_sequences(
  station TEXT PRIMARY KEY,
  last_seq INTEGER NOT NULL);
)sql";

std::int64_t toSeconds(UtcTime t) { return t.time_since_epoch().count(); }
UtcTime fromSeconds(std::int64_t s) { return UtcTime{std::chrono::seconds{s}}; }

/// A prepared statement bound by position, reset after each step.
class Statement {
public:
    Statement(sqlite3* db, const std::filesystem::path& file, const char* sql) : file_(file) {
        if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
            throw Error(file.string() + ": SQLite: " + sqlite3_errmsg(db));
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int k, const std::string& v) {
        sqlite3_bind_text(stmt_, k, v.c_str(), int(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& bind(int k, double v) {
        sqlite3_bind_double(stmt_, k, v);
        return *this;
    }
    Statement& bind(int k, std::int64_t v) {
        sqlite3_bind_int64(stmt_, k, v);
        return *this;
    }
    Statement& bind(int k, UtcTime t) { return bind(k, toSeconds(t)); }
    template <class T> Statement& bind(int k, const std::optional<T>& v) {
        if (v)
            return bind(k, *v);
        sqlite3_bind_null(stmt_, k);
        return *this;
    }

    /// Steps once; true while a row is available.
    bool step() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW)
            return true;
        sqlite3_reset(stmt_);
        if (rc != SQLITE_DONE)
            throw Error(file_.string() + ": SQLite: " +
                        sqlite3_errmsg(sqlite3_db_handle(stmt_)));
        return false;
    }

    std::string text(int col) const {
        const auto* p = sqlite3_column_text(stmt_, col);
        return p ? reinterpret_cast<const char*>(p) : "";
    }
    double real(int col) const { return sqlite3_column_double(stmt_, col); }
    std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
    bool isNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
    std::optional<std::int64_t> optInteger(int col) const {
        return isNull(col) ? std::nullopt : std::optional(integer(col));
    }
    std::optional<UtcTime> optTime(int col) const {
        return isNull(col) ? std::nullopt : std::optional(fromSeconds(integer(col)));
    }
    UtcTime time(int col) const { return fromSeconds(integer(col)); }

private:
    std::filesystem::path file_;
    sqlite3_stmt* stmt_ = nullptr;
};

UtcTime wallClock() {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

} // namespace

const char* alarmKindName(AlarmKind kind) {
    switch (kind) {
    case AlarmKind::Exceedance:
        return "exceedance";
    case AlarmKind::Warning:
        return "warning";
    case AlarmKind::Silent:
        return "silent";
    }
    return "?";
}

namespace {
AlarmKind alarmKindFromName(const std::string& name) {
    if (name == "warning")
        return AlarmKind::Warning;
    if (name == "silent")
        return AlarmKind::Silent;
    return AlarmKind::Exceedance;
}
} // namespace

namespace {
bool hasTable(sqlite3* db, const std::filesystem::path& file, const char* name) {
    Statement st(db, file, "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?");
    st.bind(1, std::string(name));
    return st.step();
}
} // namespace

bool AlarmStore::holdsAlarms(const std::filesystem::path& file) {
    sqlite3* db = nullptr;
    bool found = false;
    if (sqlite3_open_v2(file.string().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        try {
            found = hasTable(db, file, "incidents");
        } catch (const Error&) {
            // not an SQLite database: no alarms either
        }
    }
    sqlite3_close(db);
    return found;
}

AlarmStore::AlarmStore(const std::filesystem::path& file, StoreAccess access) : file_(file) {
    const bool readOnly = access == StoreAccess::ReadOnly;
    const int flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(file.string().c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw Error(file.string() + ": cannot open the database: " + why);
    }
    sqlite3_busy_timeout(db_, 5000);
    try {
        if (readOnly) {
            for (const char* table : {"incidents", "incident_stations", "alarms", "audit"})
                if (!hasTable(db_, file_, table))
                    throw Error(file.string() + ": not an alarm store of parktwin ingest (no " +
                                table + " table)");
            hasRankings_ = hasTable(db_, file_, "incident_rankings") &&
                           hasTable(db_, file_, "incident_sources");
            return;
        }
        exec("PRAGMA journal_mode=WAL");
        exec(kSchema);
    } catch (...) {
        sqlite3_close(db_);
        db_ = nullptr;
        throw;
    }
}

AlarmStore::~AlarmStore() { sqlite3_close(db_); }

void AlarmStore::exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string why = message ? message : sqlite3_errmsg(db_);
        sqlite3_free(message);
        throw Error(file_.string() + ": SQLite: " + why);
    }
}

void AlarmStore::begin() { exec("BEGIN IMMEDIATE"); }
void AlarmStore::commit() { exec("COMMIT"); }
void AlarmStore::rollback() { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }

void AlarmStore::audit(UtcTime at, const std::string& event, std::optional<std::int64_t> alarmId,
                       std::optional<std::int64_t> incidentId, const std::string& operatorName,
                       const std::string& detail) {
    Statement st(db_, file_,
                 "INSERT INTO audit(at_utc, recorded_utc, event, alarm_id, incident_id, operator, "
                 "detail) VALUES(?,?,?,?,?,?,?)");
    st.bind(1, at).bind(2, wallClock()).bind(3, event).bind(4, alarmId).bind(5, incidentId);
    if (operatorName.empty())
        st.bind(6, std::optional<std::string>());
    else
        st.bind(6, operatorName);
    st.bind(7, detail).step();
}

std::int64_t AlarmStore::raiseAlarm(const AlarmRecord& a) {
    Statement st(db_, file_,
                 "INSERT INTO alarms(kind, station, parameter, scope, period, raised_utc, value, "
                 "limit_value, unit, regulation, limit_grade, limit_verified, message, "
                 "incident_id) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    st.bind(1, std::string(alarmKindName(a.kind)))
        .bind(2, a.station)
        .bind(3, a.parameter)
        .bind(4, a.scope)
        .bind(5, a.period)
        .bind(6, a.raisedAt)
        .bind(7, a.value)
        .bind(8, a.limit)
        .bind(9, a.unit)
        .bind(10, a.regulation)
        .bind(11, a.limitGrade)
        .bind(12, std::int64_t(a.limitVerified))
        .bind(13, a.message)
        .bind(14, a.incidentId)
        .step();
    const std::int64_t id = sqlite3_last_insert_rowid(db_);
    audit(a.raisedAt, "alarm_raised", id, a.incidentId, "", a.message);
    return id;
}

void AlarmStore::clearAlarm(std::int64_t alarmId, UtcTime at, const std::string& why) {
    Statement(db_, file_, "UPDATE alarms SET cleared_utc=? WHERE id=? AND cleared_utc IS NULL")
        .bind(1, at)
        .bind(2, alarmId)
        .step();
    audit(at, "alarm_cleared", alarmId, std::nullopt, "", why);
}

void AlarmStore::acknowledge(std::int64_t alarmId, const std::string& operatorName, UtcTime at) {
    const auto blank = std::all_of(operatorName.begin(), operatorName.end(),
                                   [](unsigned char c) { return std::isspace(c); });
    if (blank)
        throw Error("an acknowledgement needs the operator's name");
    begin();
    try {
        const auto existing = alarm(alarmId);
        if (!existing)
            throw Error(file_.string() + ": no alarm with id " + std::to_string(alarmId));
        if (existing->ackedAt)
            throw Error("alarm " + std::to_string(alarmId) + " was already acknowledged by " +
                        existing->ackedBy + " at " + formatIsoTime(*existing->ackedAt, {0}));
        Statement(db_, file_, "UPDATE alarms SET acked_by=?, acked_utc=? WHERE id=?")
            .bind(1, operatorName)
            .bind(2, at)
            .bind(3, alarmId)
            .step();
        audit(at, "alarm_acknowledged", alarmId, existing->incidentId, operatorName,
              std::string(alarmKindName(existing->kind)) + " alarm acknowledged: " +
                  existing->message);
        commit();
    } catch (...) {
        rollback();
        throw;
    }
}

namespace {
void writeStations(sqlite3* db, const std::filesystem::path& file, const IncidentRecord& inc) {
    Statement st(db, file,
                 "INSERT OR IGNORE INTO incident_stations(incident_id, station) VALUES(?,?)");
    for (const std::string& station : inc.stations) {
        st.bind(1, inc.id).bind(2, station).step();
    }
}
} // namespace

std::int64_t AlarmStore::openIncident(const IncidentRecord& inc, std::int64_t alarmId) {
    Statement st(db_, file_,
                 "INSERT INTO incidents(parameter, scope, start_utc, end_utc, "
                 "last_exceeding_utc, peak_value, peak_limit, peak_station, peak_period, peak_utc, "
                 "unit) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
    st.bind(1, inc.parameter)
        .bind(2, inc.scope)
        .bind(3, inc.start)
        .bind(4, inc.end)
        .bind(5, inc.lastExceedingEnd)
        .bind(6, inc.peakValue)
        .bind(7, inc.peakLimit)
        .bind(8, inc.peakStation)
        .bind(9, inc.peakPeriod)
        .bind(10, inc.peakAt)
        .bind(11, inc.unit)
        .step();
    IncidentRecord stored = inc;
    stored.id = sqlite3_last_insert_rowid(db_);
    writeStations(db_, file_, stored);
    linkAlarm(alarmId, stored.id);
    audit(inc.start, "incident_opened", alarmId, stored.id, "",
          inc.scope + " " + inc.parameter + " incident opened at " + inc.peakStation);
    return stored.id;
}

void AlarmStore::updateIncident(const IncidentRecord& inc, const std::string& event,
                                const std::string& detail, UtcTime at,
                                std::optional<std::int64_t> alarmId) {
    Statement(db_, file_,
              "UPDATE incidents SET end_utc=?, last_exceeding_utc=?, peak_value=?, peak_limit=?, "
              "peak_station=?, peak_period=?, peak_utc=? WHERE id=?")
        .bind(1, inc.end)
        .bind(2, inc.lastExceedingEnd)
        .bind(3, inc.peakValue)
        .bind(4, inc.peakLimit)
        .bind(5, inc.peakStation)
        .bind(6, inc.peakPeriod)
        .bind(7, inc.peakAt)
        .bind(8, inc.id)
        .step();
    writeStations(db_, file_, inc);
    if (!event.empty())
        audit(at, event, alarmId, inc.id, "", detail);
}

void AlarmStore::linkAlarm(std::int64_t alarmId, std::int64_t incidentId) {
    Statement(db_, file_, "UPDATE alarms SET incident_id=? WHERE id=?")
        .bind(1, incidentId)
        .bind(2, alarmId)
        .step();
}

void AlarmStore::recordFeedEvent(const std::string& event, UtcTime at, const std::string& detail) {
    audit(at, event, std::nullopt, std::nullopt, "", detail);
}

void AlarmStore::saveSequences(const std::map<std::string, std::uint64_t>& last) {
    Statement st(db_, file_,
                 "INSERT INTO feed_sequences(station, last_seq) VALUES(?,?) "
                 "ON CONFLICT(station) DO UPDATE SET last_seq=excluded.last_seq");
    for (const auto& [station, seq] : last)
        st.bind(1, station).bind(2, std::int64_t(seq)).step();
}

std::map<std::string, std::uint64_t> AlarmStore::lastSequences() const {
    std::map<std::string, std::uint64_t> out;
    Statement st(db_, file_, "SELECT station, last_seq FROM feed_sequences");
    while (st.step())
        out[st.text(0)] = std::uint64_t(st.integer(1));
    return out;
}

std::vector<AlarmRecord> AlarmStore::selectAlarms(const std::string& where, std::int64_t id) const {
    const std::string sql =
        "SELECT id, kind, station, parameter, scope, period, raised_utc, cleared_utc, value, "
        "limit_value, unit, regulation, limit_grade, limit_verified, message, incident_id, "
        "acked_by, acked_utc FROM alarms " +
        where + " ORDER BY id";
    Statement st(db_, file_, sql.c_str());
    if (where.find('?') != std::string::npos)
        st.bind(1, id);
    std::vector<AlarmRecord> out;
    while (st.step()) {
        AlarmRecord a;
        a.id = st.integer(0);
        a.kind = alarmKindFromName(st.text(1));
        a.station = st.text(2);
        a.parameter = st.text(3);
        a.scope = st.text(4);
        a.period = st.text(5);
        a.raisedAt = st.time(6);
        a.clearedAt = st.optTime(7);
        a.value = st.real(8);
        a.limit = st.real(9);
        a.unit = st.text(10);
        a.regulation = st.text(11);
        a.limitGrade = st.text(12);
        a.limitVerified = st.integer(13) != 0;
        a.message = st.text(14);
        a.incidentId = st.optInteger(15);
        a.ackedBy = st.text(16);
        a.ackedAt = st.optTime(17);
        out.push_back(std::move(a));
    }
    return out;
}

std::vector<AlarmRecord> AlarmStore::alarms(bool activeOnly) const {
    return selectAlarms(activeOnly ? "WHERE cleared_utc IS NULL" : "", 0);
}

std::optional<AlarmRecord> AlarmStore::alarm(std::int64_t id) const {
    auto rows = selectAlarms("WHERE id=?", id);
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

std::vector<IncidentRecord> AlarmStore::incidents(bool openOnly) const {
    const std::string sql =
        std::string("SELECT id, parameter, scope, start_utc, end_utc, last_exceeding_utc, "
                    "peak_value, peak_limit, peak_station, peak_period, peak_utc, unit "
                    "FROM incidents ") +
        (openOnly ? "WHERE end_utc IS NULL " : "") + "ORDER BY id";
    Statement st(db_, file_, sql.c_str());
    Statement stations(
        db_, file_, "SELECT station FROM incident_stations WHERE incident_id=? ORDER BY station");
    std::vector<IncidentRecord> out;
    while (st.step()) {
        IncidentRecord inc;
        inc.id = st.integer(0);
        inc.parameter = st.text(1);
        inc.scope = st.text(2);
        inc.start = st.time(3);
        inc.end = st.optTime(4);
        inc.lastExceedingEnd = st.time(5);
        inc.peakValue = st.real(6);
        inc.peakLimit = st.real(7);
        inc.peakStation = st.text(8);
        inc.peakPeriod = st.text(9);
        inc.peakAt = st.time(10);
        inc.unit = st.text(11);
        stations.bind(1, inc.id);
        while (stations.step())
            inc.stations.push_back(stations.text(0));
        out.push_back(std::move(inc));
    }
    return out;
}

std::vector<AuditRecord> AlarmStore::audit() const {
    Statement st(db_, file_,
                 "SELECT id, at_utc, recorded_utc, event, alarm_id, incident_id, operator, detail "
                 "FROM audit ORDER BY id");
    std::vector<AuditRecord> out;
    while (st.step()) {
        AuditRecord r;
        r.id = st.integer(0);
        r.at = st.time(1);
        r.recordedAt = st.time(2);
        r.event = st.text(3);
        r.alarmId = st.optInteger(4);
        r.incidentId = st.optInteger(5);
        r.operatorName = st.text(6);
        r.detail = st.text(7);
        out.push_back(std::move(r));
    }
    return out;
}

void AlarmStore::saveRanking(const IncidentRanking& r) {
    begin();
    try {
        Statement exists(db_, file_, "SELECT 1 FROM incidents WHERE id=?");
        exists.bind(1, r.incidentId);
        if (!exists.step())
            throw Error(file_.string() + ": no incident with id " + std::to_string(r.incidentId));
        Statement(db_, file_, "DELETE FROM incident_sources WHERE incident_id=?")
            .bind(1, r.incidentId)
            .step();
        Statement(db_, file_,
                  "INSERT OR REPLACE INTO incident_rankings(incident_id, ranked, reason, trigger, "
                  "window_from_utc, window_to_utc, background, r2, samples, met_hours, method, "
                  "computed_utc) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)")
            .bind(1, r.incidentId)
            .bind(2, std::int64_t(r.ranked))
            .bind(3, r.reason)
            .bind(4, r.trigger)
            .bind(5, r.windowFrom)
            .bind(6, r.windowTo)
            .bind(7, r.background_ugm3)
            .bind(8, r.r2)
            .bind(9, r.samples)
            .bind(10, r.metHours)
            .bind(11, r.method)
            .bind(12, r.computedAt)
            .step();
        Statement source(db_, file_,
                         "INSERT INTO incident_sources(incident_id, rank, source_id, rate_gs, "
                         "share, score, r2, samples, computed_utc) VALUES(?,?,?,?,?,?,?,?,?)");
        std::string detail;
        for (const RankedSource& s : r.sources) {
            source.bind(1, r.incidentId)
                .bind(2, std::int64_t(s.rank))
                .bind(3, s.sourceId)
                .bind(4, s.rate_gs)
                .bind(5, s.share)
                .bind(6, s.score)
                .bind(7, r.r2)
                .bind(8, r.samples)
                .bind(9, r.computedAt)
                .step();
            if (s.rank <= 3)
                detail += (detail.empty() ? "" : ", ") +
                          fmt::format("{}. {} {:.3g} g/s (share {:.2f}, score {:.2f})", s.rank,
                                      s.sourceId, s.rate_gs, s.share, s.score);
        }
        if (r.ranked)
            detail = fmt::format("sources ranked ({}): {}; background {:.3g} ug/m3, R2 {:.2f} "
                                 "over {} readings",
                                 r.trigger, detail, r.background_ugm3, r.r2, r.samples);
        else
            detail = "sources not ranked (" + r.trigger + "): " + r.reason;
        audit(r.windowTo, r.ranked ? "incident_ranked" : "incident_not_ranked", std::nullopt,
              r.incidentId, "", detail);
        commit();
    } catch (...) {
        rollback();
        throw;
    }
}

namespace {
constexpr const char* kRankingColumns =
    "SELECT incident_id, ranked, reason, trigger, window_from_utc, window_to_utc, background, "
    "r2, samples, met_hours, method, computed_utc FROM incident_rankings ";
} // namespace

std::vector<IncidentRanking> AlarmStore::selectRankings(std::optional<std::int64_t> id) const {
    if (!hasRankings_)
        return {};
    const std::string sql = std::string(kRankingColumns) +
                            (id ? "WHERE incident_id=? " : "") + "ORDER BY incident_id";
    Statement st(db_, file_, sql.c_str());
    if (id)
        st.bind(1, *id);
    Statement sources(db_, file_,
                      "SELECT rank, source_id, rate_gs, share, score FROM incident_sources "
                      "WHERE incident_id=? ORDER BY rank");
    std::vector<IncidentRanking> out;
    while (st.step()) {
        IncidentRanking r;
        r.incidentId = st.integer(0);
        r.ranked = st.integer(1) != 0;
        r.reason = st.text(2);
        r.trigger = st.text(3);
        r.windowFrom = st.time(4);
        r.windowTo = st.time(5);
        r.background_ugm3 = st.real(6);
        r.r2 = st.real(7);
        r.samples = st.integer(8);
        r.metHours = st.integer(9);
        r.method = st.text(10);
        r.computedAt = st.time(11);
        sources.bind(1, r.incidentId);
        while (sources.step())
            r.sources.push_back({int(sources.integer(0)), sources.text(1), sources.real(2),
                                 sources.real(3), sources.real(4)});
        out.push_back(std::move(r));
    }
    return out;
}

std::optional<IncidentRanking> AlarmStore::ranking(std::int64_t incidentId) const {
    auto rows = selectRankings(incidentId);
    if (rows.empty())
        return std::nullopt;
    return std::move(rows.front());
}

std::vector<IncidentRanking> AlarmStore::rankings() const { return selectRankings(std::nullopt); }

} // namespace parktwin::sensors
