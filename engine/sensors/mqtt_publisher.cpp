#include "engine/sensors/mqtt_publisher.h"

#include <chrono>

#include <mosquitto.h>

#include "engine/core/error.h"
#include "engine/core/log.h"

namespace parktwin::sensors {

MqttPublisher::MqttPublisher(const BrokerAddress& broker, const std::string& clientId)
    : broker_(broker), client_(clientId, /*cleanSession=*/true, this) {
    client_.setCredentials(broker);
    mosquitto_connect_callback_set(client_.get(), &MqttPublisher::onConnect);
    mosquitto_publish_callback_set(client_.get(), &MqttPublisher::onPublish);
    mosquitto_disconnect_callback_set(client_.get(), &MqttPublisher::onDisconnect);
    // QoS 1 messages wait in the client until acknowledged; no limit on how many are in flight.
    mosquitto_max_inflight_messages_set(client_.get(), 0);

    int rc = mosquitto_connect(client_.get(), broker.host.c_str(), broker.port, 30);
    if (rc != MOSQ_ERR_SUCCESS)
        throw Error("MQTT broker " + broker.text() + " is unreachable: " + mosquittoError(rc));
    rc = mosquitto_loop_start(client_.get());
    if (rc != MOSQ_ERR_SUCCESS)
        throw Error("cannot start the MQTT network thread: " + mosquittoError(rc));

    std::unique_lock lock(mutex_);
    const bool answered = changed_.wait_for(lock, std::chrono::seconds(30), [this] {
        return connackCode_ >= 0 || lost_;
    });
    const int code = connackCode_;
    lock.unlock();
    if (!answered || code != 0) {
        mosquitto_disconnect(client_.get());
        mosquitto_loop_stop(client_.get(), true);
        throw Error("MQTT broker " + broker.text() + " refused the connection: " +
                    (answered && code > 0 ? connackReason(code)
                                          : std::string("no answer to CONNECT")));
    }
    log::get("mqtt").info("publishing to MQTT broker {} as '{}'", broker.text(), clientId);
}

MqttPublisher::~MqttPublisher() {
    mosquitto_disconnect(client_.get());
    mosquitto_loop_stop(client_.get(), false);
}

void MqttPublisher::onConnect(mosquitto*, void* self, int rc) {
    auto* me = static_cast<MqttPublisher*>(self);
    std::lock_guard lock(me->mutex_);
    me->connackCode_ = rc;
    me->changed_.notify_all();
}

void MqttPublisher::onPublish(mosquitto*, void* self, int mid) {
    auto* me = static_cast<MqttPublisher*>(self);
    std::lock_guard lock(me->mutex_);
    if (me->inFlight_.erase(mid))
        ++me->acknowledged_;
    me->changed_.notify_all();
}

void MqttPublisher::onDisconnect(mosquitto*, void* self, int rc) {
    auto* me = static_cast<MqttPublisher*>(self);
    std::lock_guard lock(me->mutex_);
    if (rc != 0)
        me->lost_ = true;
    me->changed_.notify_all();
}

void MqttPublisher::publish(const std::string& topic, const std::string& payload) {
    // The lock is held across the call so the acknowledgement (on the network thread) cannot
    // arrive before the message id is recorded as in flight.
    std::lock_guard lock(mutex_);
    int mid = 0;
    const int rc = mosquitto_publish(client_.get(), &mid, topic.c_str(), int(payload.size()),
                                     payload.data(), 1, false);
    if (rc != MOSQ_ERR_SUCCESS)
        throw Error("cannot publish to '" + topic + "' on " + broker_.text() + ": " +
                    mosquittoError(rc));
    inFlight_.insert(mid);
}

void MqttPublisher::waitAcknowledged(double timeout_s) {
    std::unique_lock lock(mutex_);
    const bool done = changed_.wait_for(lock, std::chrono::duration<double>(timeout_s),
                                        [this] { return inFlight_.empty() || lost_; });
    if (lost_)
        throw Error("connection to MQTT broker " + broker_.text() + " lost with " +
                    std::to_string(inFlight_.size()) + " message(s) unacknowledged");
    if (!done)
        throw Error("MQTT broker " + broker_.text() + " did not acknowledge " +
                    std::to_string(inFlight_.size()) + " message(s) within " +
                    std::to_string(int(timeout_s)) + " s");
}

std::uint64_t MqttPublisher::acknowledged() const {
    std::lock_guard lock(mutex_);
    return acknowledged_;
}

}  // namespace parktwin::sensors
