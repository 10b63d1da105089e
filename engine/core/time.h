#pragma once
// Time inside ParkTwin is UTC. Local time appears only when parsing input and in display.

#include <chrono>
#include <optional>
#include <string>

namespace parktwin {

using UtcTime = std::chrono::sys_seconds;

/// Offset of a local time from UTC, in minutes (Vietnam: +420, no daylight saving).
struct UtcOffset {
    int minutes = 0;
};

/// Parses an ISO 8601 date-time: "2016-03-01T07:00", "2016-03-01 07:00:00", with an optional
/// "Z" or "+07:00"/"+0700" suffix. Without a suffix the time is local at `defaultOffset`.
/// A date alone means its midnight. An hour of 24:00 is understood as the next day's 00:00.
/// Throws parktwin::Error naming the text when it is not a date-time.
UtcTime parseIsoTime(const std::string& text, UtcOffset defaultOffset);

/// Formats a UTC time at the given offset as "YYYY-MM-DDThh:mm:ss+hh:mm" (or "Z" at 0).
std::string formatIsoTime(UtcTime t, UtcOffset offset);

/// Parses "+07:00", "+0700", "-05:30", "Z", "UTC" or "UTC+7" into an offset; throws Error
/// naming the text on anything else.
UtcOffset parseUtcOffset(const std::string& text);

/// UTC time of a civil date-time that is local at `offset`.
UtcTime fromLocal(int year, int month, int day, int hour, int minute, int second,
                  UtcOffset offset);

} // namespace parktwin
