#pragma once
// Alarms, incidents and their audit trail, kept in the SQLite database that holds the readings.
// Times are stored as seconds since 1970-01-01 UTC in columns named *_utc. The audit table is
// append-only: triggers refuse any UPDATE or DELETE on it.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/time.h"
#include "engine/sensors/reading_store.h"

struct sqlite3;

namespace parktwin::sensors {

enum class AlarmKind {
    Exceedance, ///< a valid mean above its limit
    Warning,    ///< a running mean on course to cross its limit within the warning horizon
    Silent,     ///< a station silent for longer than its reporting interval
};

const char* alarmKindName(AlarmKind kind);

struct AlarmRecord {
    std::int64_t id = 0;
    AlarmKind kind = AlarmKind::Exceedance;
    std::string station;
    std::string parameter; ///< empty for a silent station
    std::string scope;     ///< "ambient" or "emission"; empty for a silent station
    std::string period;    ///< "1h", "8h", "24h", "year"; empty for a silent station
    UtcTime raisedAt{};    ///< data time at which the condition was found
    std::optional<UtcTime> clearedAt;
    double value = 0; ///< the mean (or running mean) that raised it
    double limit = 0;
    std::string unit;
    std::string regulation;
    std::string limitGrade;     ///< P, S, S1 or M, as the thresholds file grades the limit
    bool limitVerified = false; ///< false for limits graded S1 or M (not checked against the text)
    std::string message;
    std::optional<std::int64_t> incidentId;
    std::string ackedBy;
    std::optional<UtcTime> ackedAt;
};

struct IncidentRecord {
    std::int64_t id = 0;
    std::string parameter;
    std::string scope;
    UtcTime start{};
    std::optional<UtcTime> end;  ///< empty while open
    UtcTime lastExceedingEnd{}; ///< end of the last window found above its limit
    double peakValue = 0;
    double peakLimit = 0;
    std::string peakStation;
    std::string peakPeriod;
    UtcTime peakAt{};
    std::string unit;
    std::vector<std::string> stations; ///< sorted

    double peakRatio() const { return peakLimit > 0 ? peakValue / peakLimit : 0; }
};

/// One source of an incident's attribution ranking.
struct RankedSource {
    int rank = 0;            ///< 1 = the source that explains the readings best
    std::string sourceId;    ///< the park stack's id
    double rate_gs = 0;      ///< fitted emission rate, g/s
    double share = 0;        ///< part of the fitted source signal that is this source's, 0..1
    double score = 0;        ///< drop in R² when the source is left out and the rest refitted
};

/// The attribution of an incident to the park's sources, as last computed. An incident that
/// could not be ranked (no park, no wind, no readings at the park's sensors) has a row with
/// `ranked` false, the reason, and no sources.
struct IncidentRanking {
    std::int64_t incidentId = 0;
    bool ranked = false;
    std::string reason;  ///< why it is not ranked; empty when ranked
    std::string trigger; ///< "opened", "grew", "closed", "on demand", "resumed"
    UtcTime windowFrom{}, windowTo{}; ///< readings used: windowFrom <= time < windowTo
    double background_ugm3 = 0;       ///< fitted uniform background
    double r2 = 0;                    ///< explained variance of the fit
    std::int64_t samples = 0;         ///< readings in the fit
    std::int64_t metHours = 0;        ///< hours of recorded wind used
    std::string method;               ///< model and fit, in words
    UtcTime computedAt{};             ///< wall clock
    std::vector<RankedSource> sources; ///< rank order
};

struct AuditRecord {
    std::int64_t id = 0;
    UtcTime at{};         ///< data time of the event (or the wall time of an acknowledgement)
    UtcTime recordedAt{}; ///< wall-clock time the row was written
    std::string event;
    std::optional<std::int64_t> alarmId;
    std::optional<std::int64_t> incidentId;
    std::string operatorName;
    std::string detail;
};

class AlarmStore {
public:
    /// Opens (creating if needed) the database in WAL mode and creates the alarm tables.
    /// Throws Error naming the file when SQLite cannot open or write it. ReadOnly opens an
    /// existing database without writing to it and throws Error naming the file when it has
    /// no alarm tables; a database written before rankings existed then has no rankings.
    explicit AlarmStore(const std::filesystem::path& file,
                        StoreAccess access = StoreAccess::ReadWrite);
    ~AlarmStore();
    AlarmStore(const AlarmStore&) = delete;
    AlarmStore& operator=(const AlarmStore&) = delete;

    /// Whether the existing database `file` has alarm tables (an ingest without --park or
    /// --thresholds stores readings only). Opens it read-only; false when it cannot.
    static bool holdsAlarms(const std::filesystem::path& file);

    /// Groups the writes made until commit() into one transaction.
    void begin();
    void commit();
    void rollback();

    /// Stores a new alarm (its id is returned) with an "alarm_raised" audit row.
    std::int64_t raiseAlarm(const AlarmRecord& alarm);
    /// Marks an alarm cleared at `at`, with an "alarm_cleared" audit row saying why.
    void clearAlarm(std::int64_t alarmId, UtcTime at, const std::string& why);
    /// Records that `operatorName` acknowledged the alarm at `at`. Throws Error when the alarm
    /// does not exist, is already acknowledged, or the operator name is empty.
    void acknowledge(std::int64_t alarmId, const std::string& operatorName, UtcTime at);

    std::int64_t openIncident(const IncidentRecord& incident, std::int64_t alarmId);
    /// Writes the incident's end, peak and stations; `event` (when not empty) goes to the audit
    /// trail with `detail`.
    void updateIncident(const IncidentRecord& incident, const std::string& event,
                        const std::string& detail, UtcTime at,
                        std::optional<std::int64_t> alarmId = std::nullopt);
    void linkAlarm(std::int64_t alarmId, std::int64_t incidentId);

    /// An audit row for a feed event (a sequence gap, a refused payload).
    void recordFeedEvent(const std::string& event, UtcTime at, const std::string& detail);

    /// Keeps the last sequence number of each station so a restarted feed notices a gap.
    void saveSequences(const std::map<std::string, std::uint64_t>& last);
    std::map<std::string, std::uint64_t> lastSequences() const;

    std::vector<AlarmRecord> alarms(bool activeOnly = false) const;
    std::optional<AlarmRecord> alarm(std::int64_t id) const;
    std::vector<IncidentRecord> incidents(bool openOnly = false) const;
    std::vector<AuditRecord> audit() const;

    /// Replaces the stored ranking of `ranking.incidentId` (rows of `incident_rankings` and
    /// `incident_sources`) and writes an "incident_ranked" or "incident_not_ranked" audit row,
    /// all in one transaction. Throws Error when the incident does not exist.
    void saveRanking(const IncidentRanking& ranking);
    /// The latest ranking of an incident, or nothing when none was computed.
    std::optional<IncidentRanking> ranking(std::int64_t incidentId) const;
    /// The latest ranking of every incident that has one, by incident id.
    std::vector<IncidentRanking> rankings() const;

    const std::filesystem::path& file() const { return file_; }

private:
    void exec(const char* sql);
    void audit(UtcTime at, const std::string& event, std::optional<std::int64_t> alarmId,
               std::optional<std::int64_t> incidentId, const std::string& operatorName,
               const std::string& detail);
    std::vector<AlarmRecord> selectAlarms(const std::string& where, std::int64_t id) const;
    std::vector<IncidentRanking> selectRankings(std::optional<std::int64_t> id) const;

    std::filesystem::path file_;
    sqlite3* db_ = nullptr;
    bool hasRankings_ = true; ///< false for a database opened read-only without them
};

} // namespace parktwin::sensors
