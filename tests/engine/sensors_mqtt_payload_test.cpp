// The MQTT station payload: the documented shape, the TT 10/2021 compact local time, partial
// payloads, and every way a payload is refused (each naming the topic).

#include "engine/sensors/mqtt_payload.h"
#include "engine/sensors/sequence_tracker.h"

#include <gtest/gtest.h>

#include "engine/core/error.h"

using namespace parktwin;
using namespace parktwin::sensors;

namespace {

constexpr UtcOffset kVietnam{420};
const char* kTopic = "parktwin/TN-AQ1/data";

std::string refusal(const std::string& payload) {
    try {
        parseMqttPayload(kTopic, payload, kVietnam);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST(MqttPayload, ReadsStationTimeSequenceAndParameters) {
    const auto msg = parseMqttPayload(
        kTopic,
        R"({"station":"TN-AQ1","seq":1042,"time":"2024-01-15T10:30:00+07:00","fw":"1.2",
            "SO2":{"v":45.2,"u":"ug/m3","st":"00"},"PM2.5":{"v":31,"u":"ug/m3","st":"01"}})",
        kVietnam);
    EXPECT_EQ(msg.station, "TN-AQ1");
    EXPECT_EQ(msg.sequence, 1042u);
    // 10:30 at UTC+7 is 03:30 UTC.
    EXPECT_EQ(formatIsoTime(msg.time, UtcOffset{0}), "2024-01-15T03:30:00Z");
    ASSERT_EQ(msg.readings.size(), 2u);
    EXPECT_TRUE(msg.skipped.empty());
    // nlohmann::json keeps object keys sorted: "PM2.5" before "SO2".
    EXPECT_EQ(msg.readings[0].parameter, "PM2.5");
    EXPECT_EQ(msg.readings[0].status, ReadingStatus::Calibrating);
    EXPECT_EQ(msg.readings[1].parameter, "SO2");
    EXPECT_DOUBLE_EQ(*msg.readings[1].value, 45.2);
    EXPECT_EQ(msg.readings[1].unit, "ug/m3");
    EXPECT_EQ(msg.readings[1].station, "TN-AQ1");
    EXPECT_EQ(msg.readings[1].time, msg.time);
}

TEST(MqttPayload, CompactLocalTimeOfStationFilesIncludingHourEnding24) {
    const auto msg = parseMqttPayload(
        kTopic, R"({"station":"S","seq":1,"time":"20240115240000","CO":{"v":1,"u":"mg/Nm3"}})",
        kVietnam);
    // 24:00 on 15 January local is 16 January 00:00 local, 15 January 17:00 UTC.
    EXPECT_EQ(formatIsoTime(msg.time, UtcOffset{0}), "2024-01-15T17:00:00Z");
    EXPECT_EQ(msg.readings.at(0).status, ReadingStatus::Measuring);
}

TEST(MqttPayload, TimeWithoutOffsetIsLocalAtTheFeedOffset) {
    const auto msg = parseMqttPayload(
        kTopic, R"({"station":"S","seq":1,"time":"2024-01-15 07:00","CO":{"v":1,"u":"x"}})",
        kVietnam);
    EXPECT_EQ(formatIsoTime(msg.time, UtcOffset{0}), "2024-01-15T00:00:00Z");
}

TEST(MqttPayload, MalformedParameterIsLeftOutAndTheRestKept) {
    const auto msg = parseMqttPayload(
        kTopic,
        R"({"station":"S","seq":3,"time":"2024-01-15T10:30:00Z",
            "SO2":{"v":"high","u":"ug/m3"},"NO2":{"v":20,"u":"ug/m3","st":"07"},
            "CO":7,"O3":{"u":"ug/m3"},"PM10":{"v":55,"u":"ug/m3","st":2},
            "NO":{"v":null,"u":"ppm","st":"03"},"CO2":{"v":1,"u":"ppm","p":0}})",
        kVietnam);
    // A null value is a missing value for validation to count, not a malformed entry.
    ASSERT_EQ(msg.readings.size(), 2u);
    EXPECT_EQ(msg.readings[0].parameter, "NO");
    EXPECT_FALSE(msg.readings[0].value);
    EXPECT_EQ(msg.readings[0].status, ReadingStatus::Suspect);
    EXPECT_EQ(msg.readings[1].parameter, "PM10");
    EXPECT_EQ(msg.readings[1].status, ReadingStatus::DeviceFault);
    ASSERT_EQ(msg.skipped.size(), 5u);
    EXPECT_EQ(msg.skipped[0],
              "parameter 'CO': expected an object {\"v\", \"u\", \"st\"}, found number");
    EXPECT_EQ(msg.skipped[1], "parameter 'CO2': averaging period 'p' must be a whole number of "
                              "seconds from 1 to 31622400");
    EXPECT_EQ(msg.skipped[2], "parameter 'NO2': status '\"07\"' is not 00, 01, 02 or 03");
    EXPECT_EQ(msg.skipped[3], "parameter 'O3': no value 'v'");
    EXPECT_EQ(msg.skipped[4], "parameter 'SO2': value 'v' is not a number");
}

TEST(MqttPayload, RefusalsNameTheTopicAndTheFault) {
    EXPECT_EQ(refusal("SO2=45.2"),
              "mqtt topic 'parktwin/TN-AQ1/data': payload: not JSON");
    EXPECT_EQ(refusal(""), "mqtt topic 'parktwin/TN-AQ1/data': payload: not JSON");
    EXPECT_EQ(refusal("[1,2]"),
              "mqtt topic 'parktwin/TN-AQ1/data': payload: expected a JSON object, found array");
    EXPECT_NE(refusal(R"({"seq":1,"time":"2024-01-15T10:30:00Z","CO":{"v":1,"u":"x"}})")
                  .find("'station' must be"),
              std::string::npos);
    EXPECT_NE(refusal(R"({"station":"S","seq":-4,"time":"2024-01-15T10:30:00Z"})")
                  .find("'seq' must be a non-negative integer"),
              std::string::npos);
    EXPECT_NE(refusal(R"({"station":"S","seq":1.5,"time":"2024-01-15T10:30:00Z"})").find("'seq'"),
              std::string::npos);
    EXPECT_NE(refusal(R"({"station":"S","seq":1,"CO":{"v":1,"u":"x"}})").find("no 'time'"),
              std::string::npos);
    EXPECT_NE(refusal(R"({"station":"S","seq":1,"time":"2024-02-30T10:00Z","CO":{"v":1,"u":"x"}})")
                  .find("'time':"),
              std::string::npos);
    EXPECT_NE(refusal(R"({"station":"S","seq":1,"time":"20240115253000","CO":{"v":1,"u":"x"}})")
                  .find("out-of-range time of day"),
              std::string::npos);
    EXPECT_NE(
        refusal(R"({"station":"S","seq":1,"time":"0000-01-01T00:00-07:00","CO":{"v":1,"u":"x"}})")
            .find("outside the years 1900 to 2199"),
        std::string::npos);
    EXPECT_NE(refusal(R"({"station":"S","seq":1,"time":"2024-01-15T10:30:00Z"})")
                  .find("no parameter entries"),
              std::string::npos);
    EXPECT_NE(refusal(R"({"station":"a\u0001b","seq":1,"time":"2024-01-15T10:30:00Z"})")
                  .find("printable"),
              std::string::npos);
    EXPECT_NE(refusal(std::string(kMaxPayloadBytes + 1, ' ')).find("exceeds the limit"),
              std::string::npos);
}

TEST(MqttPayload, FormatIsReadBackUnchanged) {
    StationMessage out;
    out.station = "STACK-1";
    out.sequence = 77;
    out.time = parseIsoTime("2024-06-01T12:05:00Z", UtcOffset{0});
    RawReading so2{"STACK-1", "SO2", 512.5, "mg/Nm3", out.time, ReadingStatus::Measuring, 3600};
    RawReading dust{"STACK-1", "PM", std::nullopt, "mg/Nm3", out.time,
                    ReadingStatus::Calibrating};
    out.readings = {dust, so2};
    const auto back = parseMqttPayload("t", formatMqttPayload(out), UtcOffset{0});
    EXPECT_EQ(back.station, "STACK-1");
    EXPECT_EQ(back.sequence, 77u);
    EXPECT_EQ(back.time, out.time);
    ASSERT_EQ(back.readings.size(), 2u);
    EXPECT_EQ(back.readings[0].parameter, "PM");
    EXPECT_EQ(back.readings[0].status, ReadingStatus::Calibrating);
    EXPECT_FALSE(back.readings[0].value);
    EXPECT_DOUBLE_EQ(*back.readings[1].value, 512.5);
    EXPECT_EQ(back.readings[1].period_s, 3600);
    EXPECT_EQ(back.readings[0].period_s, 0);
    EXPECT_EQ(back.readings[1].unit, "mg/Nm3");
}

TEST(SequenceTracker, FirstInOrderGapAndRepeat) {
    SequenceTracker t;
    EXPECT_EQ(t.observe("A", 10).kind, SequenceCheck::Kind::First);
    EXPECT_EQ(t.observe("A", 11).kind, SequenceCheck::Kind::InOrder);
    const auto gap = t.observe("A", 15); // 12, 13 and 14 never came
    EXPECT_EQ(gap.kind, SequenceCheck::Kind::Gap);
    EXPECT_EQ(gap.missing, 3u);
    EXPECT_EQ(gap.previous, 11u);
    EXPECT_EQ(t.observe("A", 13).kind, SequenceCheck::Kind::Repeat); // a late redelivery
    EXPECT_EQ(t.observe("A", 16).kind, SequenceCheck::Kind::InOrder);
    EXPECT_EQ(t.observe("B", 1).kind, SequenceCheck::Kind::First); // stations are separate
    t.resume("C", 40);
    EXPECT_EQ(t.observe("C", 42).missing, 1u);
}
