// parktwin ingest --mqtt: the live MQTT feed into the readings store, with alarms.

#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "app/commands.h"
#include "app/ranking_park.h"
#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/sensors/mqtt_ingest.h"

namespace parktwin::app {
namespace {

std::atomic<bool> gStop{false};

extern "C" void stopMqttIngest(int) { gStop = true; }

} // namespace

std::filesystem::path bundledThresholds() {
    return std::filesystem::path(PARKTWIN_ASSETS_DIR) / "regulation" / "qcvn_thresholds.csv";
}

int ingestMqttCommand(const IngestMqttArgs& args) {
    sensors::MqttIngestOptions options;
    options.database = args.db;
    options.feed.broker = sensors::parseBrokerAddress(args.broker);
    options.feed.broker.username = args.user;
    options.feed.broker.password = args.password;
    if (args.password.empty())
        if (const char* env = std::getenv("PARKTWIN_MQTT_PASSWORD"))
            options.feed.broker.password = env;
    if (!options.feed.broker.password.empty() && args.user.empty())
        throw Error("a password was given without --user");
    options.feed.topics = args.topics;
    options.feed.clientId = args.clientId;
    options.feed.maxRetries = args.maxRetries;
    options.feed.localOffset = parseUtcOffset(args.utcOffset);
    options.limits =
        readThresholds(args.thresholds.empty() ? bundledThresholds() : args.thresholds);
    options.alarms.reportingInterval = std::chrono::seconds(args.interval_s);
    options.alarms.emissionFactor = args.emissionFactor;
    options.alarms.localOffset = options.feed.localOffset;
    options.ranking =
        rankerOptions(args.park, args.metStation, args.leadInHours, args.rankIntervalSeconds);

    sensors::MqttIngest ingest(options);
    std::signal(SIGINT, stopMqttIngest);
    std::signal(SIGTERM, stopMqttIngest);
    ingest.run(gStop);

    const auto s = ingest.stats();
    const auto& a = ingest.alarmStats();
    log::get("ingest").info(
        "stopped: {} messages, {} readings stored ({}), {} payloads refused, {} parameter "
        "entries left out, {} sequence gaps ({} messages missing), {} repeats; alarms saw {} "
        "values, {} flagged, {} late",
        s.messages, s.readings, s.validation.summary(), s.rejectedPayloads, s.skippedParameters,
        s.gaps, s.missingMessages, s.repeats, a.readings, a.flagged, a.late);
    return 0;
}

} // namespace parktwin::app
