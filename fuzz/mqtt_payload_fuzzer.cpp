// libFuzzer target for the MQTT station payload parser: any bytes either parse or are refused
// with parktwin::Error, never a crash; whatever parses is written back and must read back the
// same, and its values go through validation as the subscriber sends them.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "engine/core/error.h"
#include "engine/sensors/mqtt_payload.h"
#include "engine/sensors/validation.h"

using namespace parktwin;
using namespace parktwin::sensors;

namespace {

bool sameReading(const RawReading& a, const RawReading& b) {
    return a.station == b.station && a.parameter == b.parameter && a.unit == b.unit &&
           a.time == b.time && a.status == b.status && a.period_s == b.period_s &&
           a.value.has_value() == b.value.has_value() && (!a.value || *a.value == *b.value);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view payload(reinterpret_cast<const char*>(data), size);
    StationMessage msg;
    try {
        msg = parseMqttPayload("fuzz/station/data", payload, UtcOffset{420});
    } catch (const Error&) {
        return 0;
    }

    ValidationCounts counts;
    for (const RawReading& r : msg.readings)
        validate(r, counts);
    // A message whose every entry was malformed keeps its sequence number but writes no
    // payload: there is nothing to read back.
    if (msg.readings.empty())
        return 0;

    const StationMessage back =
        parseMqttPayload("fuzz/station/data", formatMqttPayload(msg), UtcOffset{420});
    if (back.station != msg.station || back.sequence != msg.sequence || back.time != msg.time ||
        back.readings.size() != msg.readings.size())
        std::abort();
    for (std::size_t i = 0; i < msg.readings.size(); ++i)
        if (!sameReading(msg.readings[i], back.readings[i]))
            std::abort();
    return 0;
}
