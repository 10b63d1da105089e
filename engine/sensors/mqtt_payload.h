#pragma once
// The JSON payload of one station message on the MQTT feed, parsed and written in this one place.
//
// The shape follows the station payloads used by Vietnamese monitoring dataloggers on their live
// MQTT channel (station, time, and per parameter an object with value, unit and status), plus a
// per-station sequence number so a lost message is noticed:
//
//   {"station": "TN-AQ1", "seq": 1042, "time": "2024-01-15T10:30:00+07:00",
//    "SO2": {"v": 45.2, "u": "ug/m3", "st": "00"},
//    "PM2.5": {"v": 31.0, "u": "ug/m3", "st": "00"}}
//
// `time` is ISO 8601 (local at the feed's UTC offset when it carries none) or the 14-digit
// local `YYYYMMDDhhmmss` of Thông tư 10/2021/TT-BTNMT station files; `st` is the status code
// "00" measuring, "01" calibrating, "02" device fault, or "03" for a value its source flagged
// suspect (ParkTwin's own code; a number 0-3 is also accepted); `v` may be null for a missing
// value; an optional `p` gives the value's averaging period in seconds (3600 for the hourly
// means of a CSV history); `fw` and `link` (datalogger firmware and link quality) are accepted and
// ignored. Values come out as RawReading: units and symbols as sent, validated afterwards.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/time.h"
#include "engine/sensors/validation.h"

namespace parktwin::sensors {

/// The largest payload accepted; station messages are a few hundred bytes.
constexpr std::size_t kMaxPayloadBytes = 1 << 20;

struct StationMessage {
    std::string station;
    std::uint64_t sequence = 0;
    UtcTime time{};
    std::vector<RawReading> readings; ///< one per well-formed parameter entry
    /// Parameter entries that were skipped, each "parameter 'X': what was wrong".
    std::vector<std::string> skipped;
};

/// Parses one payload received on `topic`. A payload that is not a JSON object, or lacks a
/// valid station, seq or time, is refused with an InputError naming the topic and the fault.
/// A malformed parameter entry is left out and described in `skipped`; the others are kept.
StationMessage parseMqttPayload(std::string_view topic, std::string_view payload,
                                UtcOffset localOffset);

/// Writes a message in the shape parseMqttPayload reads, with the time in UTC ("Z").
std::string formatMqttPayload(const StationMessage& message);

} // namespace parktwin::sensors
