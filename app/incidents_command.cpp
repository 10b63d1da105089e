// parktwin incidents and parktwin ack: what the alarms found, and an operator's acknowledgement.

#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "engine/core/error.h"
#include "engine/sensors/alarm_store.h"

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

std::string ackText(const AlarmRecord& a, UtcOffset offset) {
    return a.ackedAt ? "acknowledged by " + a.ackedBy + " " + formatIsoTime(*a.ackedAt, offset)
                     : "NOT ACKNOWLEDGED";
}

} // namespace

int incidentsCommand(const IncidentsArgs& args) {
    requireDatabase(args.db);
    const UtcOffset offset = parseUtcOffset(args.utcOffset);
    sensors::AlarmStore store(args.db);
    const auto incidents = store.incidents();
    const auto alarms = store.alarms();

    if (args.json) {
        json out = {{"incidents", json::array()}, {"alarms", json::array()}};
        for (const auto& inc : incidents) {
            json j = incidentJson(inc, offset);
            j["alarm_ids"] = json::array();
            for (const auto& a : alarms)
                if (a.incidentId == inc.id)
                    j["alarm_ids"].push_back(a.id);
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
