#pragma once
// Alarms on live readings: QCVN 05:2023 ambient limits as 1 h, 8 h, 24 h and annual means with a
// data-completeness rule, per-stack emission limits, early warnings from the recent trend,
// incidents grouping exceedances, and silent stations. Every change goes to the AlarmStore.
//
// Means. A 1 h mean is the mean of a station's measuring-status values stamped in one clock
// hour (period-ending stamps, see averaging.h). The 8 h and 24 h means are running means of the
// last 8 and 24 hourly means, checked each time an hour closes, so every calendar-day window is
// among those checked. The annual mean is the mean of the valid hourly means of a calendar year
// in park local time, checked when its last hour closes.
//
// Data completeness, from Directive 2008/50/EC, Annex XI A (criteria for aggregating data):
// a 1 h mean needs 75 % of the hour covered (45 min, i.e. 9 of twelve 5-minute values); an 8 h
// mean 75 % of its hourly means (6 of 8); a 24 h mean 75 % (18 of 24); the annual mean 90 % of
// the year's hourly values. QCVN 05:2023 gives no completeness rule in the sources at hand, so
// the EU rule is used and can be changed in AlarmConfig.
//
// A mean above its limit is an exceedance (the limits are maxima: equal complies). An hour
// closes when its last slot (the value stamped on the hour) arrives or when a later value of
// the same station and parameter arrives; values for an hour already closed are stored but do
// not change alarms (counted as late).

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/core/thresholds.h"
#include "engine/core/time.h"
#include "engine/sensors/alarm_store.h"
#include "engine/sensors/reading.h"

namespace parktwin::sensors {

struct AlarmConfig {
    std::string ambientRegulation = "QCVN 05:2023";
    std::string emissionRegulation = "QCVN 19:2009";
    std::string emissionColumn = "B";
    /// Kp × Kv of QCVN 19:2009 for the park's stacks (flow and area factors); 1 for a stack of
    /// at most 20 000 m³/h in an industrial park (area type 3).
    double emissionFactor = 1.0;
    std::chrono::seconds reportingInterval{300}; ///< Thông tư 10/2021: a value every 5 minutes
    std::map<std::string, std::chrono::seconds> stationIntervals; ///< overrides per station
    /// A station is silent when nothing arrived for longer than its interval plus this grace.
    std::chrono::seconds silenceGrace{60};
    double completeness = 0.75;       ///< 1 h, 8 h, 24 h means
    double annualCompleteness = 0.90; ///< annual mean
    std::chrono::seconds trendWindow{3600};    ///< running means fitted for the trend
    std::chrono::seconds warningHorizon{3600}; ///< how far ahead the trend is projected
    std::size_t minTrendPoints = 4;
    /// A new exceedance starting within this time of an incident's end reopens it.
    std::chrono::seconds incidentMergeGap{3600};
    UtcOffset localOffset{420}; ///< calendar years in park local time
};

/// One limit as the alarms apply it.
struct AlarmLimit {
    std::string parameter; ///< as readings name it ("SO2", "PM2.5", "PM" for stack dust)
    std::string scope;     ///< "ambient" (µg/m³) or "emission" (mg/Nm³)
    std::string period;    ///< "1h", "8h", "24h", "year"
    double value = 0;
    std::string unit;
    std::string regulation;
    std::string grade;
    bool verified = false;
    std::optional<UtcTime> validFrom;  ///< from a note "from DD/MM/YYYY"
    std::optional<UtcTime> validUntil; ///< from a note "until DD/MM/YYYY" (exclusive, next day)
};

/// The ambient and emission limits of a thresholds table that alarms apply. Emission limits
/// apply to the 1 h mean of a stack's measured concentration, multiplied by emissionFactor.
std::vector<AlarmLimit> alarmLimits(const ThresholdTable& table, const AlarmConfig& config);

struct AlarmStats {
    std::uint64_t readings = 0;
    std::uint64_t flagged = 0;      ///< calibrating or device-fault values, kept out of alarms
    std::uint64_t withoutLimit = 0; ///< parameters or units no limit applies to
    std::uint64_t late = 0;         ///< values for an hour already closed
    std::uint64_t hoursClosed = 0;
    std::uint64_t incompleteMeans = 0; ///< means left unjudged for want of data
};

/// How an incident changed in a batch of readings.
enum class IncidentChange {
    Opened,
    Grew,     ///< a station joined, the peak rose, or another hour above the limit
    Reopened, ///< a new exceedance within the merge gap of its end
    Closed,
};

const char* incidentChangeName(IncidentChange change);

/// Told of each incident change once the batch that made it is committed.
using IncidentListener = std::function<void(std::int64_t incidentId, IncidentChange change)>;

class AlarmEngine {
public:
    /// Resumes the alarms and incidents still open in `store`.
    AlarmEngine(const ThresholdTable& limits, AlarmConfig config, AlarmStore& store);

    /// Applies a batch of readings that arrived at `arrival` (wall clock), in time order, and
    /// writes every alarm change in one transaction.
    void onReadings(std::vector<Reading> batch, UtcTime arrival);

    /// Calls `listener` (on the caller's thread) for each incident opened, grown, reopened or
    /// closed, after the transaction that stored the change has committed.
    void setIncidentListener(IncidentListener listener) { listener_ = std::move(listener); }

    /// Raises silent-station alarms for stations quiet since before `now` (wall clock).
    void tick(UtcTime now);

    const AlarmStats& stats() const { return stats_; }
    const std::vector<AlarmLimit>& limits() const { return limits_; }

private:
    struct PeriodState {
        std::optional<std::int64_t> exceedance;
        std::optional<std::int64_t> warning;
        std::deque<std::pair<UtcTime, double>> trend; ///< recent running means
    };
    struct YearSum {
        double sum = 0;
        int validHours = 0;
    };
    struct Sample {
        double value = 0;
        double covered_s = 0; ///< the value's averaging period, or the station's interval
    };
    struct Stream {
        std::string station, parameter, scope;
        std::map<UtcTime, Sample> samples;                  ///< measuring values, last 25 h
        std::map<std::int64_t, std::optional<double>> hourly; ///< closed hours, last 24
        std::optional<std::int64_t> openFrom;               ///< first hour not yet closed
        std::map<int, YearSum> years;
        std::map<std::string, PeriodState> periods;
    };
    using StreamKey = std::tuple<std::string, std::string, std::string>;
    using IncidentKey = std::pair<std::string, std::string>; ///< parameter, scope
    struct Window {
        std::string period;
        UtcTime start; ///< start of the hour (or year) that this verdict is about
        UtcTime end;
        std::optional<double> mean;
    };

    void apply(const Reading& r, UtcTime arrival);
    void markArrival(const std::string& station, UtcTime arrival);
    std::string scopeOf(const Reading& r) const;
    const AlarmLimit* limitFor(const Stream& s, const std::string& period, UtcTime at) const;
    bool hasLimits(const std::string& parameter, const std::string& scope) const;
    Stream& stream(const std::string& station, const std::string& parameter,
                   const std::string& scope);
    std::chrono::seconds intervalOf(const std::string& station) const;

    void closeHours(Stream& s, std::int64_t upTo);
    void closeHour(Stream& s, std::int64_t hour);
    void judge(Stream& s, const Window& w);
    void checkTrend(Stream& s, UtcTime t);

    void raiseExceedance(Stream& s, PeriodState& ps, const Window& w, const AlarmLimit& limit);
    void clearExceedance(Stream& s, PeriodState& ps, const Window& w, const std::string& why);
    void clearWarning(PeriodState& ps, UtcTime at, const std::string& why);
    void joinIncident(Stream& s, std::int64_t alarmId, const Window& w, const AlarmLimit& limit);
    void leaveIncident(std::int64_t alarmId, std::int64_t incidentId, UtcTime at);

    std::vector<AlarmLimit> limits_;
    AlarmConfig config_;
    AlarmStore& store_;
    AlarmStats stats_;
    std::map<StreamKey, Stream> streams_;
    struct StationState {
        UtcTime lastArrival{};
        std::optional<std::int64_t> silentAlarm;
    };
    std::map<std::string, StationState> stations_;
    std::map<IncidentKey, IncidentRecord> latestIncident_;
    std::map<std::int64_t, std::set<std::int64_t>> incidentAlarms_; ///< open alarms of each
    IncidentListener listener_;
    std::vector<std::pair<std::int64_t, IncidentChange>> changes_; ///< of the current batch
};

} // namespace parktwin::sensors
