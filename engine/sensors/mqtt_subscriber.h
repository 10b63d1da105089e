#pragma once
// Live readings from an MQTT broker (libmosquitto): QoS 1 subscriptions on a persistent session,
// reconnection with exponential backoff, sequence gaps reported, readings handed on in batches.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "engine/core/time.h"
#include "engine/sensors/mqtt_connection.h"
#include "engine/sensors/reading.h"
#include "engine/sensors/sequence_tracker.h"
#include "engine/sensors/validation.h"

namespace parktwin::sensors {

struct SubscriberOptions {
    BrokerAddress broker;
    std::vector<std::string>
        topics; ///< patterns, e.g. "parktwin/+/data" (one per station or a wildcard)
    /// A fixed id: with clean_session off the broker keeps this client's subscriptions and queues
    /// its QoS 1 messages while it is away, and hands them over on reconnection.
    std::string clientId = "parktwin-ingest";
    UtcOffset localOffset{420}; ///< for payload times without an offset (Vietnam, UTC+7)
    int keepAlive_s = 30;
    /// Failed connection attempts in a row before giving up; negative: never give up.
    int maxRetries = -1;
    double initialBackoff_s = 1.0;
    double maxBackoff_s = 60.0;
    std::size_t batchSize = 500;                      ///< readings per batch at most
    std::chrono::milliseconds batchInterval{500};     ///< a partial batch waits no longer
};

/// Counters of one subscriber run.
struct FeedStats {
    std::uint64_t messages = 0;          ///< payloads received
    std::uint64_t readings = 0;          ///< validated readings handed on
    ValidationCounts validation;         ///< accepted, flagged and refused values by reason
    std::uint64_t rejectedPayloads = 0;  ///< payloads refused whole (not JSON, no station, ...)
    std::uint64_t skippedParameters = 0; ///< malformed parameter entries left out
    std::uint64_t gaps = 0;              ///< sequence gaps seen
    std::uint64_t missingMessages = 0;   ///< sequence numbers skipped over all gaps
    std::uint64_t repeats = 0;           ///< messages at or below the last sequence number
    std::uint64_t connections = 0;       ///< successful connections (first one included)
    std::uint64_t failedAttempts = 0;    ///< connection attempts that failed
    std::uint64_t batches = 0;
};

/// Receives each batch of validated readings on the subscriber's thread. An exception thrown here
/// ends run() with that exception.
using BatchSink = std::function<void(std::vector<Reading>&& batch)>;

/// Told of each sequence gap, for the audit trail.
using GapSink = std::function<void(const std::string& station, const SequenceCheck& check,
                                   std::uint64_t sequence)>;

class MqttSubscriber {
public:
    MqttSubscriber(SubscriberOptions options, BatchSink sink, GapSink gaps = {});
    ~MqttSubscriber();
    MqttSubscriber(const MqttSubscriber&) = delete;
    MqttSubscriber& operator=(const MqttSubscriber&) = delete;

    /// Connects, subscribes and delivers batches until `stop` becomes true, then hands on what
    /// is pending and disconnects (the session stays on the broker). Throws Error when the
    /// broker stays unreachable for `maxRetries` attempts or refuses the credentials.
    void run(const std::atomic<bool>& stop);

    /// Calls `tick` from the subscriber's thread about every `interval` while run() goes on
    /// (the silent-station check).
    void setTick(std::function<void()> tick, std::chrono::milliseconds interval);

    /// The sequence numbers seen so far; read it from the sink or the tick (same thread).
    const SequenceTracker& sequences() const { return sequences_; }

    /// Continues the sequence check of a station from an earlier run.
    void resumeSequence(const std::string& station, std::uint64_t lastSequence);

    /// A consistent copy of the counters; safe from any thread.
    FeedStats stats() const;

    /// True from the broker's acknowledgement of the subscriptions until the connection is lost.
    bool connected() const { return connected_; }

private:
    static void onConnect(::mosquitto*, void* self, int rc, int flags);
    static void onDisconnect(::mosquitto*, void* self, int rc);
    static void onSubscribe(::mosquitto*, void* self, int mid, int count, const int* granted);
    static void onMessage(::mosquitto*, void* self, const ::mosquitto_message* msg);

    void handleConnect(int rc, bool sessionPresent);
    void handleMessage(const std::string& topic, std::string_view payload);
    bool tryConnect(bool first);
    void waitBackoff(double seconds, const std::atomic<bool>& stop);
    void flush();

    SubscriberOptions options_;
    BatchSink sink_;
    GapSink gapSink_;
    MosquittoHandle client_;
    SequenceTracker sequences_;
    std::vector<Reading> pending_;
    std::chrono::steady_clock::time_point lastFlush_;
    std::function<void()> tick_;
    std::chrono::milliseconds tickInterval_{1000};
    std::chrono::steady_clock::time_point lastTick_;
    std::atomic<bool> connected_{false};
    int refusedCode_ = 0; ///< CONNACK refusal, fatal
    int failedInARow_ = 0;
    std::string lastFailure_;
    mutable std::mutex statsMutex_;
    FeedStats stats_;
};

} // namespace parktwin::sensors
