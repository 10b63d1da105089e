// parktwin replay: the monitoring network at one instant, from the readings store.

#include "app/commands.h"
#include "engine/core/error.h"
#include "engine/sensors/replay.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace parktwin::app {
namespace {

using nlohmann::json;

const char* statusName(sensors::ReadingStatus s) {
    switch (s) {
    case sensors::ReadingStatus::Measuring:
        return "measuring";
    case sensors::ReadingStatus::Calibrating:
        return "calibrating";
    case sensors::ReadingStatus::DeviceFault:
        return "device-fault";
    case sensors::ReadingStatus::Suspect:
        return "suspect";
    }
    return "unknown";
}

json readingJson(const sensors::Reading& r, UtcTime at, UtcOffset zone) {
    return {{"parameter", r.parameter},
            {"value", r.value},
            {"unit", r.unit},
            {"time", formatIsoTime(r.time, zone)},
            {"age_s", (at - r.time).count()},
            {"status", statusName(r.status)}};
}

json snapshotJson(const sensors::ReplaySnapshot& snap, UtcOffset zone) {
    json stations = json::array();
    for (const sensors::StationSnapshot& s : snap.stations) {
        json readings = json::array();
        for (const sensors::Reading& r : s.latest)
            readings.push_back(readingJson(r, snap.at, zone));
        json station = {{"station", s.station}, {"readings", readings}};
        if (s.windSpeed)
            station["wind_speed_ms"] = s.windSpeed->value;
        if (s.windFromDirection)
            station["wind_from_deg"] = s.windFromDirection->value;
        stations.push_back(station);
    }
    json j = {{"at", formatIsoTime(snap.at, zone)},
              {"at_utc", formatIsoTime(snap.at, UtcOffset{0})},
              {"stations", stations}};
    if (snap.incidentsTable)
        j["open_incidents"] = snap.openIncidents;
    else
        j["open_incidents"] = nullptr;
    return j;
}

void printText(const sensors::ReplaySnapshot& snap, UtcOffset zone) {
    std::printf("%s (%s)\n", formatIsoTime(snap.at, zone).c_str(),
                formatIsoTime(snap.at, UtcOffset{0}).c_str());
    if (snap.stations.empty())
        std::printf("  no readings at or before this instant\n");
    for (const sensors::StationSnapshot& s : snap.stations) {
        std::printf("  %s", s.station.c_str());
        if (s.windSpeed && s.windFromDirection)
            std::printf("  wind %.1f m/s from %.0f deg", s.windSpeed->value,
                        s.windFromDirection->value);
        std::printf("\n");
        for (const sensors::Reading& r : s.latest) {
            const long age_min = long((snap.at - r.time).count() / 60);
            std::printf("    %-6s %10.2f %-7s %s (%ld min before)%s%s\n", r.parameter.c_str(),
                        r.value, r.unit.c_str(), formatIsoTime(r.time, zone).c_str(), age_min,
                        sensors::isUsable(r) ? "" : " flagged: ",
                        sensors::isUsable(r) ? "" : statusName(r.status));
        }
    }
    if (!snap.incidentsTable) {
        std::printf("  incidents: none recorded in this store\n");
        return;
    }
    std::printf("  open incidents: %zu\n", snap.openIncidents.size());
    for (const auto& row : snap.openIncidents) {
        std::printf("   ");
        for (const auto& [column, value] : row)
            std::printf(" %s=%s", column.c_str(), value.c_str());
        std::printf("\n");
    }
}

} // namespace

int replayCommand(const ReplayArgs& args) {
    const UtcOffset zone = parseUtcOffset(args.utcOffset);
    const UtcTime at = parseIsoTime(args.at, zone);
    if (!std::filesystem::exists(args.db))
        throw Error(args.db.string() + ": no such readings store");
    const sensors::ReadingStore store(args.db, sensors::StoreAccess::Existing);
    const sensors::ReplaySnapshot snap = sensors::replayAt(store, at);
    if (args.json)
        std::printf("%s\n", snapshotJson(snap, zone).dump(2).c_str());
    else
        printText(snap, zone);
    return 0;
}

} // namespace parktwin::app
