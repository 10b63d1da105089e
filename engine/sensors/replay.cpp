#include "engine/sensors/replay.h"

#include "engine/core/error.h"

#include <algorithm>
#include <sqlite3.h>

namespace parktwin::sensors {
namespace {

/// A time column as seconds since 1970: an integer, or ISO 8601 text (UTC unless it says).
std::optional<std::int64_t> timeValue(sqlite3_stmt* s, int column) {
    switch (sqlite3_column_type(s, column)) {
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
        return sqlite3_column_int64(s, column);
    case SQLITE_TEXT: {
        const std::string text = reinterpret_cast<const char*>(sqlite3_column_text(s, column));
        if (text.empty())
            return std::nullopt;
        return toEpochSeconds(parseIsoTime(text, UtcOffset{0}));
    }
    default:
        return std::nullopt;
    }
}

void readOpenIncidents(const ReadingStore& store, UtcTime at, ReplaySnapshot& snap) {
    sqlite3* db = store.handle();
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT * FROM incidents", -1, &s, nullptr) != SQLITE_OK)
        throw Error(store.file().string() + ": SQLite: " + sqlite3_errmsg(db));
    int startColumn = -1, endColumn = -1;
    const int columns = sqlite3_column_count(s);
    for (int c = 0; c < columns; ++c) {
        const std::string name = sqlite3_column_name(s, c);
        if (name == "start_utc")
            startColumn = c;
        if (name == "end_utc")
            endColumn = c;
    }
    if (startColumn < 0 || endColumn < 0) {
        sqlite3_finalize(s);
        throw Error(store.file().string() + ": the incidents table has no " +
                    (startColumn < 0 ? "start_utc" : "end_utc") + " column");
    }

    const std::int64_t t = toEpochSeconds(at);
    std::vector<std::pair<std::int64_t, std::map<std::string, std::string>>> open;
    try {
        while (sqlite3_step(s) == SQLITE_ROW) {
            const auto start = timeValue(s, startColumn);
            const auto end = timeValue(s, endColumn);
            if (!start || *start > t || (end && *end <= t))
                continue;
            std::map<std::string, std::string> row;
            for (int c = 0; c < columns; ++c) {
                const auto* text = sqlite3_column_text(s, c);
                row[sqlite3_column_name(s, c)] = text ? reinterpret_cast<const char*>(text) : "";
            }
            open.emplace_back(*start, std::move(row));
        }
    } catch (...) {
        sqlite3_finalize(s);
        throw;
    }
    sqlite3_finalize(s);
    std::stable_sort(open.begin(), open.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [start, row] : open)
        snap.openIncidents.push_back(std::move(row));
}

} // namespace

ReplaySnapshot replayAt(const ReadingStore& store, UtcTime at) {
    ReplaySnapshot snap;
    snap.at = at;
    for (Reading& r : store.latestAt(at)) {
        if (snap.stations.empty() || snap.stations.back().station != r.station)
            snap.stations.push_back(StationSnapshot{r.station, {}, {}, {}});
        StationSnapshot& s = snap.stations.back();
        if (r.parameter == "WS")
            s.windSpeed = r;
        else if (r.parameter == "WD")
            s.windFromDirection = r;
        s.latest.push_back(std::move(r));
    }
    snap.incidentsTable = store.hasTable("incidents");
    if (snap.incidentsTable)
        readOpenIncidents(store, at, snap);
    return snap;
}

} // namespace parktwin::sensors
