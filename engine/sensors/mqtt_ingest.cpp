#include "engine/sensors/mqtt_ingest.h"

#include <fmt/format.h>

#include "engine/core/log.h"
#include "engine/sensors/reading_store.h"

namespace parktwin::sensors {
namespace {

UtcTime wallClock() {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

} // namespace

MqttIngest::MqttIngest(MqttIngestOptions options) : options_(std::move(options)) {
    readings_ = std::make_unique<ReadingStore>(options_.database);
    alarmStore_ = std::make_unique<AlarmStore>(options_.database);
    alarms_ = std::make_unique<AlarmEngine>(options_.limits, options_.alarms, *alarmStore_);
    ranker_ = std::make_unique<IncidentRanker>(options_.database, options_.ranking);
    alarms_->setIncidentListener([this](std::int64_t incident, IncidentChange change) {
        ranker_->request(incident, change);
    });
    ranker_->requestUnranked();
    source_ = fmt::format("mqtt://{}/{}", options_.feed.broker.text(),
                          fmt::join(options_.feed.topics, ","));

    subscriber_ = std::make_unique<MqttSubscriber>(
        options_.feed, [this](std::vector<Reading>&& batch) { store(std::move(batch)); },
        [this](const std::string& station, const SequenceCheck& check, std::uint64_t seq) {
            alarmStore_->recordFeedEvent(
                "feed_gap", wallClock(),
                fmt::format("station {}: sequence jumped from {} to {}, {} message(s) missing",
                            station, check.previous, seq, check.missing));
        });
    for (const auto& [station, seq] : alarmStore_->lastSequences())
        subscriber_->resumeSequence(station, seq);
    subscriber_->setTick([this] { alarms_->tick(wallClock()); }, std::chrono::seconds(1));
}

MqttIngest::~MqttIngest() = default;

void MqttIngest::store(std::vector<Reading>&& batch) {
    const BatchAck ack = readings_->writeBatch(batch, source_);
    log::get("ingest").info("batch {} committed: {} readings, {} new, {} repeated, {} conflicting",
                            ack.batchId, ack.count, ack.inserted, ack.repeats, ack.conflicts);
    alarmStore_->saveSequences(subscriber_->sequences().last());
    alarms_->onReadings(std::move(batch), wallClock());
}

void MqttIngest::run(const std::atomic<bool>& stop) {
    try {
        subscriber_->run(stop);
    } catch (...) {
        ranker_->stop();
        throw;
    }
    ranker_->stop();
}

} // namespace parktwin::sensors
