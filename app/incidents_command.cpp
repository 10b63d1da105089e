// parktwin incidents and parktwin ack: what the alarms found, and an operator's acknowledgement.

#include <chrono>
#include <cmath>
#include <map>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/ranking_park.h"
#include "engine/core/error.h"
#include "engine/sensors/alarm_store.h"
#include "engine/sensors/incident_ranking.h"
#include "engine/sensors/reading_store.h"

namespace parktwin::app {
namespace {

using nlohmann::json;
using sensors::AlarmRecord;
using sensors::IncidentRecord;

void requireDatabase(const std::filesystem::path& db) {
    if (!std::filesystem::is_regular_file(db))
        throw Error(db.string() + ": no such database");
}

json timeOrNull(const std::optional<UtcTime>& t, UtcOffset offset) {
    return t ? json(formatIsoTime(*t, offset)) : json(nullptr);
}

json alarmJson(const AlarmRecord& a, UtcOffset offset) {
    return {{"id", a.id},
            {"kind", sensors::alarmKindName(a.kind)},
            {"station", a.station},
            {"parameter", a.parameter},
            {"scope", a.scope},
            {"period", a.period},
            {"raised_at", formatIsoTime(a.raisedAt, offset)},
            {"cleared_at", timeOrNull(a.clearedAt, offset)},
            {"value", a.value},
            {"limit", a.limit},
            {"unit", a.unit},
            {"regulation", a.regulation},
            {"limit_grade", a.limitGrade},
            {"limit_verified", a.limitVerified},
            {"message", a.message},
            {"incident_id", a.incidentId ? json(*a.incidentId) : json(nullptr)},
            {"acknowledged_by", a.ackedBy.empty() ? json(nullptr) : json(a.ackedBy)},
            {"acknowledged_at", timeOrNull(a.ackedAt, offset)}};
}

json incidentJson(const IncidentRecord& inc, UtcOffset offset) {
    return {{"id", inc.id},
            {"parameter", inc.parameter},
            {"scope", inc.scope},
            {"start", formatIsoTime(inc.start, offset)},
            {"end", timeOrNull(inc.end, offset)},
            {"open", !inc.end},
            {"stations", inc.stations},
            {"peak",
             {{"value", inc.peakValue},
              {"limit", inc.peakLimit},
              {"ratio", inc.peakRatio()},
              {"station", inc.peakStation},
              {"period", inc.peakPeriod},
              {"at", formatIsoTime(inc.peakAt, offset)}}},
            {"unit", inc.unit}};
}

json rankingJson(const sensors::IncidentRanking& r, UtcOffset offset) {
    json sources = json::array();
    for (const sensors::RankedSource& s : r.sources)
        sources.push_back({{"rank", s.rank},
                           {"source", s.sourceId},
                           {"rate_gs", s.rate_gs},
                           {"share", s.share},
                           {"score", s.score}});
    return {{"ranked", r.ranked},
            {"reason", r.reason.empty() ? json(nullptr) : json(r.reason)},
            {"trigger", r.trigger},
            {"window_from", formatIsoTime(r.windowFrom, offset)},
            {"window_to", formatIsoTime(r.windowTo, offset)},
            {"background_ugm3", r.background_ugm3},
            {"r2", r.r2},
            {"samples", r.samples},
            {"met_hours", r.metHours},
            {"method", r.method},
            {"computed_at", formatIsoTime(r.computedAt, offset)},
            {"sources", sources}};
}

/// Why an incident has no ranking row at all.
constexpr const char* kNoRankingStored =
    "no ranking stored (the ingest that raised it ran without alarms and rankings, or before "
    "they existed); rank it with parktwin incidents --attribute ID --park PARK";

/// The "sources" member of an incident: the ranking, or why there is none.
json sourcesJson(const sensors::IncidentRanking* r, UtcOffset offset) {
    if (r)
        return rankingJson(*r, offset);
    return {{"ranked", false}, {"reason", kNoRankingStored}, {"sources", json::array()}};
}

void printRanking(const sensors::IncidentRanking* r, UtcOffset offset) {
    if (!r) {
        std::printf("  sources: not ranked: %s\n", kNoRankingStored);
        return;
    }
    if (!r->ranked) {
        std::printf("  sources: not ranked (%s, %s): %s\n", r->trigger.c_str(),
                    formatIsoTime(r->computedAt, offset).c_str(), r->reason.c_str());
        return;
    }
    std::printf("  sources ranked (%s, %s) on %lld readings from %s to %s: background %.3g "
                "ug/m3, R2 %.2f\n",
                r->trigger.c_str(), formatIsoTime(r->computedAt, offset).c_str(),
                (long long)r->samples, formatIsoTime(r->windowFrom, offset).c_str(),
                formatIsoTime(r->windowTo, offset).c_str(), r->background_ugm3, r->r2);
    for (const sensors::RankedSource& s : r->sources)
        std::printf("    %d. %-16s %10.3g g/s  share %.2f  score %.2f\n", s.rank,
                    s.sourceId.c_str(), s.rate_gs, s.share, s.score);
}

/// Ranks one incident again from the store and the park, and stores the ranking.
int attributeIncident(const IncidentsArgs& args, UtcOffset offset) {
    sensors::AlarmStore alarms(args.db);
    std::optional<IncidentRecord> incident;
    for (IncidentRecord& inc : alarms.incidents())
        if (inc.id == args.attribute)
            incident = std::move(inc);
    if (!incident)
        throw Error(args.db.string() + ": no incident with id " + std::to_string(args.attribute));
    const sensors::RankingPark park = loadRankingPark(args.park);
    sensors::RankingOptions options;
    options.metStation = args.metStation;
    options.leadIn = std::chrono::seconds(std::llround(args.leadInHours * 3600.0));
    const sensors::ReadingStore readings(args.db);
    const sensors::IncidentRanking r =
        sensors::rankIncident(readings, *incident, &park, options, "on demand");
    alarms.saveRanking(r);
    if (args.json) {
        json out = incidentJson(*incident, offset);
        out["sources"] = rankingJson(r, offset);
        std::printf("%s\n", out.dump(2).c_str());
    } else {
        std::printf("incident %lld  %s %s\n", (long long)incident->id, incident->scope.c_str(),
                    incident->parameter.c_str());
        printRanking(&r, offset);
    }
    return 0;
}

std::string ackText(const AlarmRecord& a, UtcOffset offset) {
    return a.ackedAt ? "acknowledged by " + a.ackedBy + " " + formatIsoTime(*a.ackedAt, offset)
                     : "NOT ACKNOWLEDGED";
}

} // namespace

int incidentsCommand(const IncidentsArgs& args) {
    requireDatabase(args.db);
    const UtcOffset offset = parseUtcOffset(args.utcOffset);
    if (args.attribute > 0)
        return attributeIncident(args, offset);
    sensors::AlarmStore store(args.db);
    const auto incidents = store.incidents();
    const auto alarms = store.alarms();
    std::map<std::int64_t, sensors::IncidentRanking> rankings;
    for (sensors::IncidentRanking& r : store.rankings())
        rankings.emplace(r.incidentId, std::move(r));
    const auto rankingOf = [&](std::int64_t id) -> const sensors::IncidentRanking* {
        const auto it = rankings.find(id);
        return it == rankings.end() ? nullptr : &it->second;
    };

    if (args.json) {
        json out = {{"incidents", json::array()}, {"alarms", json::array()}};
        for (const auto& inc : incidents) {
            json j = incidentJson(inc, offset);
            j["alarm_ids"] = json::array();
            for (const auto& a : alarms)
                if (a.incidentId == inc.id)
                    j["alarm_ids"].push_back(a.id);
            j["sources"] = sourcesJson(rankingOf(inc.id), offset);
            out["incidents"].push_back(std::move(j));
        }
        for (const auto& a : alarms)
            out["alarms"].push_back(alarmJson(a, offset));
        std::printf("%s\n", out.dump(2).c_str());
        return 0;
    }

    std::printf("%zu incident(s)\n", incidents.size());
    for (const auto& inc : incidents) {
        std::printf("incident %lld  %s %s  %s  %s to %s\n", (long long)inc.id, inc.scope.c_str(),
                    inc.parameter.c_str(), inc.end ? "closed" : "OPEN",
                    formatIsoTime(inc.start, offset).c_str(),
                    inc.end ? formatIsoTime(*inc.end, offset).c_str() : "now");
        std::string stations;
        for (const auto& s : inc.stations)
            stations += (stations.empty() ? "" : ", ") + s;
        std::printf("  stations: %s\n  peak: %s %s mean %.4g %s (limit %.4g, x%.2f) at %s\n",
                    stations.c_str(), inc.peakStation.c_str(), inc.peakPeriod.c_str(),
                    inc.peakValue, inc.unit.c_str(), inc.peakLimit, inc.peakRatio(),
                    formatIsoTime(inc.peakAt, offset).c_str());
        for (const auto& a : alarms)
            if (a.incidentId == inc.id)
                std::printf("  alarm %lld: %s [%s]\n", (long long)a.id, a.message.c_str(),
                            ackText(a, offset).c_str());
        printRanking(rankingOf(inc.id), offset);
    }
    std::size_t others = 0;
    for (const auto& a : alarms)
        others += !a.incidentId && !a.clearedAt;
    std::printf("%zu other active alarm(s)\n", others);
    for (const auto& a : alarms)
        if (!a.incidentId && !a.clearedAt)
            std::printf("  alarm %lld (%s): %s [%s]\n", (long long)a.id,
                        sensors::alarmKindName(a.kind), a.message.c_str(),
                        ackText(a, offset).c_str());
    return 0;
}

int ackCommand(const AckArgs& args) {
    requireDatabase(args.db);
    sensors::AlarmStore store(args.db);
    const auto now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    store.acknowledge(args.alarm, args.operatorName, now);
    std::printf("alarm %lld acknowledged by %s\n", (long long)args.alarm,
                args.operatorName.c_str());
    return 0;
}

} // namespace parktwin::app
