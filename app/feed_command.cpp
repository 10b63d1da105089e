// parktwin feed: a recorded CSV history replayed as a live MQTT feed, for demonstrations and
// tests of the ingest.

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <thread>
#include <unistd.h>

#include "app/commands.h"
#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/sensors/csv_history.h"
#include "engine/sensors/mqtt_payload.h"
#include "engine/sensors/mqtt_publisher.h"

namespace parktwin::app {
namespace {

using sensors::RawReading;

/// A station id as one topic level: no '/', '+', '#' or spaces.
std::string topicLevel(const std::string& station) {
    std::string out = station;
    for (char& c : out)
        if (c == '/' || c == '+' || c == '#' || c == ' ')
            c = '_';
    return out;
}

sensors::CsvHistory readHistory(const FeedArgs& args) {
    sensors::CsvSource source;
    source.station = args.station;
    if (!args.utcOffset.empty()) {
        source.utcOffset = parseUtcOffset(args.utcOffset);
        return sensors::readCsvHistory(args.csv, source);
    }
    auto history = sensors::readCsvHistory(args.csv, source);
    if (history.layout == sensors::CsvLayout::BeijingPrsa) {
        source.utcOffset = UtcOffset{480}; // Beijing local time
        history = sensors::readCsvHistory(args.csv, source);
    }
    return history;
}

} // namespace

int feedCommand(const FeedArgs& args) {
    if (args.speed < 0)
        throw Error("--speed must be 0 (no waiting) or a positive factor");
    auto history = readHistory(args);
    std::size_t invalid = 0;
    std::erase_if(history.readings, [&](const RawReading& r) {
        invalid += r.sourceInvalid;
        return r.sourceInvalid;
    });
    std::stable_sort(history.readings.begin(), history.readings.end(),
                     [](const RawReading& a, const RawReading& b) {
                         return std::tie(a.time, a.station) < std::tie(b.time, b.station);
                     });

    sensors::BrokerAddress broker = sensors::parseBrokerAddress(args.broker);
    broker.username = args.user;
    broker.password = args.password;
    if (args.password.empty())
        if (const char* env = std::getenv("PARKTWIN_MQTT_PASSWORD"))
            broker.password = env;
    // A client id of its own, so two feeds at once do not take over each other's connection.
    sensors::MqttPublisher publisher(broker, "parktwin-feed-" + std::to_string(::getpid()));

    std::map<std::string, std::uint64_t> nextSeq;
    std::size_t messages = 0;
    const auto wallStart = std::chrono::steady_clock::now();
    const UtcTime dataStart = history.readings.empty() ? UtcTime{} : history.readings.front().time;
    for (auto it = history.readings.begin(); it != history.readings.end();) {
        const auto end = std::find_if(it, history.readings.end(), [&](const RawReading& r) {
            return r.time != it->time || r.station != it->station;
        });
        if (args.speed > 0) {
            // Keep the data's pace, compressed by the speed factor.
            const double offset_s = double((it->time - dataStart).count()) / args.speed;
            std::this_thread::sleep_until(wallStart + std::chrono::duration_cast<
                                                          std::chrono::steady_clock::duration>(
                                                          std::chrono::duration<double>(offset_s)));
        }
        sensors::StationMessage msg;
        msg.station = it->station;
        msg.time = it->time;
        auto [seq, inserted] = nextSeq.try_emplace(it->station, args.firstSeq);
        msg.sequence = seq->second++;
        msg.readings.assign(it, end);
        publisher.publish(args.topicPrefix + "/" + topicLevel(it->station) + "/data",
                          sensors::formatMqttPayload(msg));
        ++messages;
        it = end;
    }
    publisher.waitAcknowledged();
    log::get("feed").info("{}: {} messages from {} stations published to {} and acknowledged "
                          "({} values the source marked invalid left out)",
                          args.csv.string(), messages, nextSeq.size(), broker.text(), invalid);
    return 0;
}

} // namespace parktwin::app
