#include "engine/sensors/mqtt_payload.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"

namespace parktwin::sensors {
namespace {

using nlohmann::json;

const UtcTime kEarliest = fromLocal(1900, 1, 1, 0, 0, 0, UtcOffset{0});
const UtcTime kLatest = fromLocal(2200, 1, 1, 0, 0, 0, UtcOffset{0});

InputError payloadError(std::string_view topic, const std::string& what) {
    return InputError("mqtt topic '" + std::string(topic) + "'", "payload", what);
}

bool isPrintableId(const std::string& id) {
    if (id.empty() || id.size() > 128)
        return false;
    for (unsigned char c : id)
        if (c < 0x20 || c == 0x7f)
            return false;
    return true;
}

/// The 14-digit local stamp of Thông tư 10/2021 station files; hour 24 is the next midnight.
UtcTime parseCompactLocalTime(const std::string& text, UtcOffset offset) {
    auto field = [&](int pos, int len) { return std::stoi(text.substr(pos, len)); };
    const int hour = field(8, 2), minute = field(10, 2), second = field(12, 2);
    if (hour > 24 || minute > 59 || second > 59 || (hour == 24 && (minute || second)))
        throw Error("'" + text + "' has an out-of-range time of day");
    return fromLocal(field(0, 4), field(4, 2), field(6, 2), hour, minute, second, offset);
}

UtcTime parseMessageTime(std::string_view topic, const json& value, UtcOffset offset) {
    if (!value.is_string())
        throw payloadError(topic, "'time' must be a string (ISO 8601 or YYYYMMDDhhmmss)");
    const std::string text = value.get<std::string>();
    const bool compact = text.size() == 14 && std::all_of(text.begin(), text.end(), [](char c) {
                             return std::isdigit(static_cast<unsigned char>(c));
                         });
    UtcTime t;
    try {
        t = compact ? parseCompactLocalTime(text, offset) : parseIsoTime(text, offset);
    } catch (const Error& e) {
        throw payloadError(topic, "'time': " + std::string(e.what()));
    }
    // Four-digit years only: a time outside them cannot be written back in ISO 8601 form.
    if (t < kEarliest || t >= kLatest)
        throw payloadError(topic, "'time' " + text + " is outside the years 1900 to 2199");
    return t;
}

ReadingStatus parseStatus(const json& st) {
    if (st.is_string()) {
        const std::string code = st.get<std::string>();
        if (code == "00")
            return ReadingStatus::Measuring;
        if (code == "01")
            return ReadingStatus::Calibrating;
        if (code == "02")
            return ReadingStatus::DeviceFault;
        if (code == "03")
            return ReadingStatus::Suspect;
    } else if (st.is_number_integer() || st.is_number_unsigned()) {
        const auto code = st.get<std::int64_t>();
        if (code >= 0 && code <= 3)
            return static_cast<ReadingStatus>(code);
    }
    throw std::invalid_argument("status '" + st.dump() + "' is not 00, 01, 02 or 03");
}

/// One parameter entry {"v": number or null, "u": unit, "st": status}; throws
/// invalid_argument with the reason when it is malformed.
RawReading parseParameter(const std::string& name, const json& entry) {
    if (!entry.is_object())
        throw std::invalid_argument("expected an object {\"v\", \"u\", \"st\"}, found " +
                                    std::string(entry.type_name()));
    const auto v = entry.find("v");
    if (v == entry.end() || !(v->is_number() || v->is_null()))
        throw std::invalid_argument(v == entry.end() ? "no value 'v'"
                                                     : "value 'v' is not a number");
    const auto u = entry.find("u");
    if (u == entry.end() || !u->is_string())
        throw std::invalid_argument("no unit 'u' string");
    RawReading r;
    r.parameter = name;
    if (v->is_number())
        r.value = v->get<double>();
    r.unit = u->get<std::string>();
    if (const auto period = entry.find("p"); period != entry.end()) {
        if (!period->is_number_unsigned() || period->get<std::uint64_t>() == 0 ||
            period->get<std::uint64_t>() > 31'622'400)
            throw std::invalid_argument("averaging period 'p' must be a whole number of seconds "
                                        "from 1 to 31622400");
        r.period_s = int(period->get<std::uint64_t>());
    }
    const auto st = entry.find("st");
    r.status = st == entry.end() ? ReadingStatus::Measuring : parseStatus(*st);
    return r;
}

bool isEnvelopeKey(const std::string& key) {
    return key == "station" || key == "seq" || key == "time" || key == "fw" || key == "link";
}

} // namespace

StationMessage parseMqttPayload(std::string_view topic, std::string_view payload,
                                UtcOffset localOffset) {
    if (payload.size() > kMaxPayloadBytes)
        throw payloadError(topic, "payload of " + std::to_string(payload.size()) +
                                      " bytes exceeds the limit of " +
                                      std::to_string(kMaxPayloadBytes));
    const json doc = json::parse(payload.begin(), payload.end(), nullptr, false);
    if (doc.is_discarded())
        throw payloadError(topic, "not JSON");
    if (!doc.is_object())
        throw payloadError(topic, "expected a JSON object, found " + std::string(doc.type_name()));

    StationMessage msg;
    const auto station = doc.find("station");
    if (station == doc.end() || !station->is_string() ||
        !isPrintableId(station->get<std::string>()))
        throw payloadError(topic, "'station' must be a non-empty printable string");
    msg.station = station->get<std::string>();

    const auto seq = doc.find("seq");
    if (seq == doc.end() || !seq->is_number_unsigned())
        throw payloadError(topic, "'seq' must be a non-negative integer sequence number");
    msg.sequence = seq->get<std::uint64_t>();

    const auto time = doc.find("time");
    if (time == doc.end())
        throw payloadError(topic, "no 'time'");
    msg.time = parseMessageTime(topic, *time, localOffset);

    for (const auto& [key, entry] : doc.items()) {
        if (isEnvelopeKey(key))
            continue;
        try {
            RawReading r = parseParameter(key, entry);
            r.station = msg.station;
            r.time = msg.time;
            msg.readings.push_back(std::move(r));
        } catch (const std::exception& e) {
            msg.skipped.push_back("parameter '" + key + "': " + e.what());
        }
    }
    if (msg.readings.empty() && msg.skipped.empty())
        throw payloadError(topic, "no parameter entries");
    return msg;
}

std::string formatMqttPayload(const StationMessage& message) {
    json doc;
    doc["station"] = message.station;
    doc["seq"] = message.sequence;
    doc["time"] = formatIsoTime(message.time, UtcOffset{0});
    static const char* const codes[] = {"00", "01", "02", "03"};
    for (const RawReading& r : message.readings) {
        json& entry = doc[r.parameter];
        entry["v"] = r.value ? json(*r.value) : json(nullptr);
        entry["u"] = r.unit;
        entry["st"] = codes[int(r.status)];
        if (r.period_s > 0)
            entry["p"] = r.period_s;
    }
    return doc.dump();
}

} // namespace parktwin::sensors
