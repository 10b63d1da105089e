#pragma once
// The live MQTT ingest: subscriber batches go to the readings store (committed, then
// acknowledged in the batch log), then to the alarms; sequence gaps go to the audit trail and
// the last sequence number of each station is kept for the next run.

#include <atomic>
#include <filesystem>
#include <memory>

#include "engine/core/thresholds.h"
#include "engine/sensors/alarms.h"
#include "engine/sensors/incident_ranker.h"
#include "engine/sensors/mqtt_subscriber.h"

namespace parktwin::sensors {

class ReadingStore;

struct MqttIngestOptions {
    SubscriberOptions feed;
    std::filesystem::path database;
    ThresholdTable limits; ///< empty: readings are stored without alarms
    AlarmConfig alarms;
    /// Ranking of incidents' sources; without a park, incidents are stored with the reason.
    RankerOptions ranking;
};

class MqttIngest {
public:
    /// Opens the database (readings, alarms) and prepares the subscriber; throws Error on a bad
    /// database or option.
    explicit MqttIngest(MqttIngestOptions options);
    ~MqttIngest();

    /// Runs until `stop` becomes true (see MqttSubscriber::run for the errors it throws), then
    /// ranks the incidents whose ranking is still queued.
    void run(const std::atomic<bool>& stop);

    FeedStats stats() const { return subscriber_->stats(); }
    bool connected() const { return subscriber_->connected(); }
    const AlarmStats& alarmStats() const { return alarms_->stats(); }
    /// Incident rankings written so far (ranked or stored with the reason).
    std::uint64_t rankingsWritten() const { return ranker_->written(); }

private:
    void store(std::vector<Reading>&& batch);

    MqttIngestOptions options_;
    std::unique_ptr<ReadingStore> readings_;
    std::unique_ptr<AlarmStore> alarmStore_;
    std::unique_ptr<AlarmEngine> alarms_;
    std::unique_ptr<IncidentRanker> ranker_;
    std::unique_ptr<MqttSubscriber> subscriber_;
    std::string source_;
};

} // namespace parktwin::sensors
