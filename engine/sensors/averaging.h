#pragma once
// Time bases of the QCVN ambient means: hour-ending clock hours, data-completeness counts and
// the recent linear trend used for early warnings.

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "engine/core/time.h"

namespace parktwin::sensors {

/// The clock hour a period-ending stamp belongs to: hour h covers (h·3600 s, (h+1)·3600 s]
/// after 1970-01-01 UTC, so a 5-minute value stamped 11:00 closes the hour 10:00-11:00 (the
/// convention of station files, where an hour-ending 24:00 is the day's last value).
std::int64_t hourEndingIndex(UtcTime t);
UtcTime hourStart(std::int64_t hour);
UtcTime hourEnd(std::int64_t hour);

/// Valid hourly means needed for a mean over `windowHours` hours to count, when `fraction` of
/// them is required: 6 of 8 and 18 of 24 at 75 %.
int requiredValidHours(int windowHours, double fraction);

/// Least-squares slope of the points (time, value), in value units per second; nullopt when
/// fewer than two distinct times are given.
std::optional<double> linearTrend(const std::vector<std::pair<UtcTime, double>>& points);

/// The calendar year of `t` at the given offset from UTC.
int localYear(UtcTime t, UtcOffset offset);

/// Hours in a calendar year (8760 or 8784).
int hoursInYear(int year);

} // namespace parktwin::sensors
