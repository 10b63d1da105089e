#pragma once
// ParkTwin's own hourly met CSV, for hand-made scenarios and tests.

#include <filesystem>

#include "engine/core/met.h"
#include "engine/core/time.h"

namespace parktwin::met {

/// Reads ParkTwin's hourly met CSV: a header naming the columns
/// time,wind_speed_ms,wind_from_deg,temperature_K,stability,mixing_height_m (any order; an
/// optional anemometer_height_m column, else 10 m), then one row per hour. `time` is ISO 8601
/// and marks the start of the hour; without a zone suffix it is local at `defaultOffset`.
/// A wind speed of 0 makes a calm hour. Lines starting with '#' and blank lines are skipped.
/// Hours come back sorted by start. Throws InputError naming the file, line and column for
/// anything else: a value out of range or not finite (NaN, inf), or an hour given twice (the
/// message names the line of the first).
MetSeries readParkTwinMetCsv(const std::filesystem::path& file, UtcOffset defaultOffset = {});

} // namespace parktwin::met
