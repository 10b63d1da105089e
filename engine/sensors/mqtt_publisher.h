#pragma once
// Publishes station messages to an MQTT broker at QoS 1 and waits for the broker's
// acknowledgement of each, for `parktwin feed` and the feed tests.

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>

#include "engine/sensors/mqtt_connection.h"

namespace parktwin::sensors {

class MqttPublisher {
public:
    /// Connects (blocking until the broker accepts). Throws Error naming the broker when it is
    /// unreachable or refuses the credentials.
    MqttPublisher(const BrokerAddress& broker, const std::string& clientId);
    ~MqttPublisher();
    MqttPublisher(const MqttPublisher&) = delete;
    MqttPublisher& operator=(const MqttPublisher&) = delete;

    /// Queues one message at QoS 1; throws Error when the client cannot queue it.
    void publish(const std::string& topic, const std::string& payload);

    /// Waits until the broker has acknowledged every message published so far; throws Error
    /// when that takes longer than `timeout_s` or the connection is lost.
    void waitAcknowledged(double timeout_s = 30.0);

    std::uint64_t acknowledged() const;

private:
    static void onConnect(::mosquitto*, void* self, int rc);
    static void onPublish(::mosquitto*, void* self, int mid);
    static void onDisconnect(::mosquitto*, void* self, int rc);

    BrokerAddress broker_;
    MosquittoHandle client_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::set<int> inFlight_;
    std::uint64_t acknowledged_ = 0;
    int connackCode_ = -1; ///< -1 until the broker answers
    bool lost_ = false;
};

} // namespace parktwin::sensors
