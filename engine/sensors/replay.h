#pragma once
// The state of the monitoring network at one instant, from the readings store: what each
// station last reported, the wind, and the incidents open then.

#include "engine/sensors/reading_store.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace parktwin::sensors {

struct StationSnapshot {
    std::string station;
    std::vector<Reading> latest;      ///< latest reading of each parameter at or before the instant
    std::optional<Reading> windSpeed; ///< the latest "WS", if any
    std::optional<Reading> windFromDirection; ///< the latest "WD", if any
};

struct ReplaySnapshot {
    UtcTime at{};
    std::vector<StationSnapshot> stations; ///< sorted by station id
    bool incidentsTable = false;           ///< the store holds an incidents table
    /// Incidents open at the instant (start_utc <= at, end_utc empty or later), every column
    /// as text, in start order.
    std::vector<std::map<std::string, std::string>> openIncidents;
};

/// The snapshot of `store` at `at`. Incidents are listed when the store holds an `incidents`
/// table with `start_utc` and `end_utc` columns (seconds since 1970 or ISO 8601 text; an empty
/// end means still open); a table without them throws Error naming the missing column.
ReplaySnapshot replayAt(const ReadingStore& store, UtcTime at);

} // namespace parktwin::sensors
