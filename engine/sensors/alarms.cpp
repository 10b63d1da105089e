#include "engine/sensors/alarms.h"

#include <algorithm>
#include <cmath>
#include <regex>

#include <fmt/format.h>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/sensors/averaging.h"

namespace parktwin::sensors {
namespace {

constexpr const char* kAmbient = "ambient";
constexpr const char* kEmission = "emission";

struct PeriodSpec {
    const char* name;
    int hours;
};
constexpr PeriodSpec kRunningPeriods[] = {{"1h", 1}, {"8h", 8}, {"24h", 24}};

spdlog::logger& alarmLog() { return log::get("alarms"); }

/// A date "DD/MM/YYYY" after `word` in a limit's note, as local midnight in Vietnam.
std::optional<UtcTime> noteDate(const std::string& note, const char* word, int dayShift) {
    const std::regex pattern(std::string(word) + R"(\s+(\d{1,2})/(\d{1,2})/(\d{4}))",
                             std::regex::icase);
    std::smatch m;
    if (!std::regex_search(note, m, pattern))
        return std::nullopt;
    return fromLocal(std::stoi(m[3]), std::stoi(m[2]), std::stoi(m[1]), 0, 0, 0, UtcOffset{420}) +
           std::chrono::days{dayShift};
}

/// QCVN 19:2009 names stack dust and NOx differently from the station-file symbols.
std::string readingParameterOfEmission(const std::string& qcvnName) {
    if (qcvnName == "dust")
        return "PM";
    if (qcvnName == "NOx as NO2")
        return "NOx";
    return qcvnName;
}

std::string fmtValue(double v) { return fmt::format("{:.6g}", v); }

std::string isoUtc(UtcTime t) { return formatIsoTime(t, UtcOffset{0}); }

} // namespace

std::vector<AlarmLimit> alarmLimits(const ThresholdTable& table, const AlarmConfig& config) {
    std::vector<AlarmLimit> out;
    for (const Threshold& t : table.rows) {
        AlarmLimit l;
        if (t.regulation.rfind(config.ambientRegulation, 0) == 0 &&
            (t.period == "1h" || t.period == "8h" || t.period == "24h" || t.period == "year") &&
            (t.unit == "ug/Nm3" || t.unit == "ug/m3")) {
            l.parameter = t.parameter;
            l.scope = kAmbient;
            l.period = t.period;
            l.value = t.limit;
        } else if (t.regulation.rfind(config.emissionRegulation, 0) == 0 &&
                   t.period == config.emissionColumn && t.unit == "mg/Nm3") {
            l.parameter = readingParameterOfEmission(t.parameter);
            l.scope = kEmission;
            l.period = "1h";
            l.value = t.limit * config.emissionFactor;
        } else {
            continue;
        }
        l.unit = t.unit;
        l.regulation = t.regulation + (l.scope == kEmission ? " column " + t.period : "");
        l.grade = t.grade;
        // S1 (one secondary source) and M (recollection) were not checked against the text.
        l.verified = t.grade == "P" || t.grade == "S";
        l.validFrom = noteDate(t.note, "from", 0);
        l.validUntil = noteDate(t.note, "until", 1);
        out.push_back(std::move(l));
    }
    return out;
}

const char* incidentChangeName(IncidentChange change) {
    switch (change) {
    case IncidentChange::Opened:
        return "opened";
    case IncidentChange::Grew:
        return "grew";
    case IncidentChange::Reopened:
        return "reopened";
    case IncidentChange::Closed:
        return "closed";
    }
    return "?";
}

AlarmEngine::AlarmEngine(const ThresholdTable& limits, AlarmConfig config, AlarmStore& store)
    : limits_(alarmLimits(limits, config)), config_(std::move(config)), store_(store) {
    for (const IncidentRecord& inc : store_.incidents())
        latestIncident_[{inc.parameter, inc.scope}] = inc;
    for (const AlarmRecord& a : store_.alarms(/*activeOnly=*/true)) {
        if (a.kind == AlarmKind::Silent) {
            stations_[a.station] = {a.raisedAt, a.id};
            continue;
        }
        PeriodState& ps = stream(a.station, a.parameter, a.scope).periods[a.period];
        (a.kind == AlarmKind::Exceedance ? ps.exceedance : ps.warning) = a.id;
        if (a.incidentId)
            incidentAlarms_[*a.incidentId].insert(a.id);
    }
}

std::chrono::seconds AlarmEngine::intervalOf(const std::string& station) const {
    const auto it = config_.stationIntervals.find(station);
    return it == config_.stationIntervals.end() ? config_.reportingInterval : it->second;
}

AlarmEngine::Stream& AlarmEngine::stream(const std::string& station,
                                         const std::string& parameter,
                                         const std::string& scope) {
    auto [it, inserted] = streams_.try_emplace(StreamKey{station, parameter, scope});
    if (inserted) {
        it->second.station = station;
        it->second.parameter = parameter;
        it->second.scope = scope;
    }
    return it->second;
}

std::string AlarmEngine::scopeOf(const Reading& r) const {
    if (r.unit == "ug/m3" || r.unit == "ug/Nm3")
        return kAmbient;
    if (r.unit == "mg/Nm3")
        return kEmission;
    return "";
}

bool AlarmEngine::hasLimits(const std::string& parameter, const std::string& scope) const {
    return std::any_of(limits_.begin(), limits_.end(), [&](const AlarmLimit& l) {
        return l.parameter == parameter && l.scope == scope;
    });
}

const AlarmLimit* AlarmEngine::limitFor(const Stream& s, const std::string& period,
                                        UtcTime at) const {
    for (const AlarmLimit& l : limits_) {
        if (l.parameter != s.parameter || l.scope != s.scope || l.period != period)
            continue;
        if ((l.validFrom && at <= *l.validFrom) || (l.validUntil && at > *l.validUntil))
            continue;
        return &l;
    }
    return nullptr;
}

void AlarmEngine::onReadings(std::vector<Reading> batch, UtcTime arrival) {
    std::stable_sort(batch.begin(), batch.end(),
                     [](const Reading& a, const Reading& b) { return a.time < b.time; });
    changes_.clear();
    store_.begin();
    try {
        for (const Reading& r : batch)
            apply(r, arrival);
        store_.commit();
    } catch (...) {
        store_.rollback();
        changes_.clear();
        throw;
    }
    if (listener_)
        for (const auto& [id, change] : changes_)
            listener_(id, change);
    changes_.clear();
}

void AlarmEngine::markArrival(const std::string& station, UtcTime arrival) {
    StationState& st = stations_[station];
    st.lastArrival = std::max(st.lastArrival, arrival);
    if (st.silentAlarm) {
        store_.clearAlarm(*st.silentAlarm, arrival, "station " + station + " reporting again");
        alarmLog().info("station {} reporting again", station);
        st.silentAlarm.reset();
    }
}

void AlarmEngine::apply(const Reading& r, UtcTime arrival) {
    ++stats_.readings;
    markArrival(r.station, arrival);
    if (!isUsable(r)) {
        ++stats_.flagged;
        return;
    }
    const std::string scope = scopeOf(r);
    if (scope.empty() || !hasLimits(r.parameter, scope)) {
        ++stats_.withoutLimit;
        return;
    }

    Stream& s = stream(r.station, r.parameter, scope);
    const std::int64_t hour = hourEndingIndex(r.time);
    if (s.openFrom && hour < *s.openFrom) {
        ++stats_.late;
        return;
    }
    if (!s.openFrom)
        s.openFrom = hour;
    // A value covers its own averaging period when the source gives it (hourly CSV history),
    // otherwise the station's reporting interval.
    const double covered_s =
        r.period_s > 0 ? double(r.period_s) : double(intervalOf(r.station).count());
    s.samples[r.time] = Sample{r.value, covered_s};
    const UtcTime keepFrom = s.samples.rbegin()->first - std::chrono::hours{25};
    s.samples.erase(s.samples.begin(), s.samples.lower_bound(keepFrom));

    // The value stamped on the hour is the hour's last slot; anything later closes the hours
    // before its own.
    closeHours(s, r.time == hourEnd(hour) ? hour : hour - 1);
    checkTrend(s, r.time);
}

void AlarmEngine::closeHours(Stream& s, std::int64_t upTo) {
    if (!s.openFrom || upTo < *s.openFrom)
        return;
    // After a long outage only the last day matters to the running means.
    std::int64_t from = *s.openFrom;
    if (upTo - from > 24 * 400)
        from = upTo - 48;
    for (std::int64_t h = from; h <= upTo; ++h)
        closeHour(s, h);
    s.openFrom = upTo + 1;
}

void AlarmEngine::closeHour(Stream& s, std::int64_t hour) {
    ++stats_.hoursClosed;
    const auto first = s.samples.upper_bound(hourStart(hour));
    const auto last = s.samples.upper_bound(hourEnd(hour));
    double sum = 0, covered_s = 0;
    int count = 0;
    for (auto it = first; it != last; ++it, ++count) {
        sum += it->second.value;
        covered_s += it->second.covered_s;
    }
    std::optional<double> hourMean;
    if (count > 0 && covered_s >= config_.completeness * 3600.0 - 1e-9)
        hourMean = sum / count;
    s.hourly[hour] = hourMean;
    s.hourly.erase(s.hourly.begin(), s.hourly.lower_bound(hour - 23));

    for (const PeriodSpec& p : kRunningPeriods) {
        if (!limitFor(s, p.name, hourEnd(hour)))
            continue;
        double windowSum = 0;
        int valid = 0;
        for (std::int64_t h = hour - p.hours + 1; h <= hour; ++h) {
            const auto it = s.hourly.find(h);
            if (it != s.hourly.end() && it->second) {
                windowSum += *it->second;
                ++valid;
            }
        }
        Window w{p.name, hourStart(hour), hourEnd(hour), std::nullopt};
        if (valid >= requiredValidHours(p.hours, config_.completeness))
            w.mean = windowSum / valid;
        judge(s, w);
    }

    const int year = localYear(hourStart(hour), config_.localOffset);
    if (hourMean) {
        s.years[year].sum += *hourMean;
        ++s.years[year].validHours;
    }
    if (localYear(hourEnd(hour), config_.localOffset) != year) {
        const YearSum ys = s.years[year];
        Window w{"year", fromLocal(year, 1, 1, 0, 0, 0, config_.localOffset), hourEnd(hour),
                 std::nullopt};
        if (ys.validHours >= config_.annualCompleteness * hoursInYear(year) - 1e-9)
            w.mean = ys.sum / ys.validHours;
        if (limitFor(s, "year", w.end)) {
            judge(s, w);
            // An annual mean is a verdict on a finished year, not a state that continues.
            PeriodState& ps = s.periods["year"];
            if (ps.exceedance)
                clearExceedance(s, ps, w, "annual mean judged for " + std::to_string(year));
        }
        s.years.erase(year);
    }
}

void AlarmEngine::judge(Stream& s, const Window& w) {
    PeriodState& ps = s.periods[w.period];
    if (!w.mean) {
        ++stats_.incompleteMeans;
        return;
    }
    const AlarmLimit* limit = limitFor(s, w.period, w.end);
    if (!limit)
        return;
    if (*w.mean > limit->value) {
        if (ps.warning)
            clearWarning(ps, w.end, "limit crossed");
        if (!ps.exceedance)
            raiseExceedance(s, ps, w, *limit);
        else
            joinIncident(s, *ps.exceedance, w, *limit);
    } else if (ps.exceedance) {
        clearExceedance(s, ps, w,
                        w.period + " mean " + fmtValue(*w.mean) + " back at or under the limit " +
                            fmtValue(limit->value));
    }
}

void AlarmEngine::raiseExceedance(Stream& s, PeriodState& ps, const Window& w,
                                  const AlarmLimit& limit) {
    AlarmRecord a;
    a.kind = AlarmKind::Exceedance;
    a.station = s.station;
    a.parameter = s.parameter;
    a.scope = s.scope;
    a.period = w.period;
    a.raisedAt = w.end;
    a.value = *w.mean;
    a.limit = limit.value;
    a.unit = limit.unit;
    a.regulation = limit.regulation;
    a.limitGrade = limit.grade;
    a.limitVerified = limit.verified;
    a.message = fmt::format("{} {} {} mean {} {} over the limit {} ({}) for the window ending {}{}",
                            s.station, s.parameter, w.period, fmtValue(*w.mean), limit.unit,
                            fmtValue(limit.value), limit.regulation, isoUtc(w.end),
                            limit.verified ? "" : "; limit graded " + limit.grade +
                                                      ", not verified against the official text");
    const std::int64_t id = store_.raiseAlarm(a);
    ps.exceedance = id;
    alarmLog().warn("alarm {}: {}", id, a.message);
    joinIncident(s, id, w, limit);
}

void AlarmEngine::clearExceedance(Stream& s, PeriodState& ps, const Window& w,
                                  const std::string& why) {
    const std::int64_t id = *ps.exceedance;
    ps.exceedance.reset();
    store_.clearAlarm(id, w.end, s.station + " " + s.parameter + " " + why);
    const auto owner = std::find_if(incidentAlarms_.begin(), incidentAlarms_.end(),
                                    [id](const auto& kv) { return kv.second.count(id) > 0; });
    if (owner != incidentAlarms_.end())
        leaveIncident(id, owner->first, w.end);
}

void AlarmEngine::joinIncident(Stream& s, std::int64_t alarmId, const Window& w,
                               const AlarmLimit& limit) {
    const IncidentKey key{s.parameter, s.scope};
    const auto found = latestIncident_.find(key);
    IncidentRecord* inc = found == latestIncident_.end() ? nullptr : &found->second;
    const double ratio = *w.mean / limit.value;

    if (inc && inc->end && w.start > *inc->end + config_.incidentMergeGap)
        inc = nullptr;
    if (!inc) {
        IncidentRecord fresh;
        fresh.parameter = s.parameter;
        fresh.scope = s.scope;
        fresh.start = w.start;
        fresh.lastExceedingEnd = w.end;
        fresh.peakValue = *w.mean;
        fresh.peakLimit = limit.value;
        fresh.peakStation = s.station;
        fresh.peakPeriod = w.period;
        fresh.peakAt = w.end;
        fresh.unit = limit.unit;
        fresh.stations = {s.station};
        fresh.id = store_.openIncident(fresh, alarmId);
        incidentAlarms_[fresh.id].insert(alarmId);
        alarmLog().warn("incident {} opened: {} {} at {}", fresh.id, s.scope, s.parameter,
                        s.station);
        latestIncident_[key] = fresh;
        changes_.emplace_back(fresh.id, IncidentChange::Opened);
        return;
    }

    std::string event, detail;
    if (inc->end) {
        inc->end.reset();
        event = "incident_reopened";
        detail = s.station + " " + s.parameter + " " + w.period + " exceeded within " +
                 std::to_string(config_.incidentMergeGap.count() / 60) + " min of the end";
    }
    if (!std::binary_search(inc->stations.begin(), inc->stations.end(), s.station)) {
        inc->stations.insert(
            std::lower_bound(inc->stations.begin(), inc->stations.end(), s.station), s.station);
        if (event.empty()) {
            event = "incident_station_added";
            detail = s.station + " joined with its " + w.period + " mean " + fmtValue(*w.mean);
        }
    }
    inc->lastExceedingEnd = std::max(inc->lastExceedingEnd, w.end);
    if (ratio > inc->peakRatio()) {
        inc->peakValue = *w.mean;
        inc->peakLimit = limit.value;
        inc->peakStation = s.station;
        inc->peakPeriod = w.period;
        inc->peakAt = w.end;
    }
    const bool newAlarm = incidentAlarms_[inc->id].insert(alarmId).second;
    if (newAlarm)
        store_.linkAlarm(alarmId, inc->id);
    store_.updateIncident(*inc, event, detail, w.end,
                          event.empty() ? std::nullopt : std::optional(alarmId));
    changes_.emplace_back(inc->id, event == "incident_reopened" ? IncidentChange::Reopened
                                                                : IncidentChange::Grew);
}

void AlarmEngine::leaveIncident(std::int64_t alarmId, std::int64_t incidentId, UtcTime at) {
    auto& alarms = incidentAlarms_[incidentId];
    alarms.erase(alarmId);
    if (!alarms.empty())
        return;
    incidentAlarms_.erase(incidentId);
    for (auto& [key, inc] : latestIncident_) {
        if (inc.id != incidentId)
            continue;
        inc.end = inc.lastExceedingEnd;
        store_.updateIncident(inc, "incident_closed",
                              inc.scope + " " + inc.parameter + " incident closed: every mean "
                                                                "back at or under its limit",
                              at, alarmId);
        alarmLog().info("incident {} closed ({} to {})", inc.id, isoUtc(inc.start),
                        isoUtc(*inc.end));
        changes_.emplace_back(inc.id, IncidentChange::Closed);
    }
}

void AlarmEngine::clearWarning(PeriodState& ps, UtcTime at, const std::string& why) {
    store_.clearAlarm(*ps.warning, at, why);
    ps.warning.reset();
    ps.trend.clear();
}

void AlarmEngine::checkTrend(Stream& s, UtcTime t) {
    for (const PeriodSpec& p : kRunningPeriods) {
        const AlarmLimit* limit = limitFor(s, p.name, t);
        if (!limit)
            continue;
        PeriodState& ps = s.periods[p.name];

        // Running mean over (t - period, t], under the same completeness rule as the means.
        const auto from = s.samples.upper_bound(t - std::chrono::hours{p.hours});
        const auto to = s.samples.upper_bound(t);
        double sum = 0, covered_s = 0;
        int count = 0;
        for (auto it = from; it != to; ++it, ++count) {
            sum += it->second.value;
            covered_s += it->second.covered_s;
        }
        if (count == 0 || covered_s < config_.completeness * p.hours * 3600.0 - 1e-9)
            continue;
        const double mean = sum / count;

        ps.trend.emplace_back(t, mean);
        while (!ps.trend.empty() && ps.trend.front().first < t - config_.trendWindow)
            ps.trend.pop_front();
        if (ps.exceedance || ps.trend.size() < config_.minTrendPoints)
            continue;

        const auto slope = linearTrend({ps.trend.begin(), ps.trend.end()});
        const double horizon_s = double(config_.warningHorizon.count());
        const bool rising = slope && *slope > 0;
        const bool onCourse = mean > limit->value ||
                              (rising && mean + *slope * horizon_s > limit->value);
        if (onCourse && !ps.warning) {
            AlarmRecord a;
            a.kind = AlarmKind::Warning;
            a.station = s.station;
            a.parameter = s.parameter;
            a.scope = s.scope;
            a.period = p.name;
            a.raisedAt = t;
            a.value = mean;
            a.limit = limit->value;
            a.unit = limit->unit;
            a.regulation = limit->regulation;
            a.limitGrade = limit->grade;
            a.limitVerified = limit->verified;
            const std::string eta =
                mean > limit->value
                    ? "already above it"
                    : fmt::format("rising {} per hour, reaching it in about {:.0f} min",
                                  fmtValue(*slope * 3600.0),
                                  (limit->value - mean) / *slope / 60.0);
            a.message = fmt::format("{} {} running {} mean {} {} on course for the limit {}: {}",
                                    s.station, s.parameter, p.name, fmtValue(mean), limit->unit,
                                    fmtValue(limit->value), eta);
            ps.warning = store_.raiseAlarm(a);
            alarmLog().warn("early warning {}: {}", *ps.warning, a.message);
        } else if (!onCourse && ps.warning) {
            store_.clearAlarm(*ps.warning, t,
                              s.station + " " + s.parameter + " running " + p.name + " mean " +
                                  fmtValue(mean) + " no longer on course for the limit");
            ps.warning.reset();
        }
    }
}

void AlarmEngine::tick(UtcTime now) {
    store_.begin();
    try {
        for (auto& [station, st] : stations_) {
            const auto interval = intervalOf(station);
            const auto quiet = now - st.lastArrival;
            if (st.silentAlarm || quiet <= interval + config_.silenceGrace)
                continue;
            AlarmRecord a;
            a.kind = AlarmKind::Silent;
            a.station = station;
            a.raisedAt = now;
            a.value = double(quiet.count());
            a.limit = double(interval.count());
            a.unit = "s";
            a.message = fmt::format("station {} silent for {} s (reporting interval {} s); last "
                                    "value arrived {}",
                                    station, quiet.count(), interval.count(),
                                    isoUtc(st.lastArrival));
            st.silentAlarm = store_.raiseAlarm(a);
            alarmLog().warn("alarm {}: {}", *st.silentAlarm, a.message);
        }
        store_.commit();
    } catch (...) {
        store_.rollback();
        throw;
    }
}

} // namespace parktwin::sensors
