#include "engine/sensors/mqtt_subscriber.h"

#include <algorithm>
#include <thread>

#include <fmt/format.h>
#include <mosquitto.h>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/sensors/mqtt_payload.h"

namespace parktwin::sensors {
namespace {

spdlog::logger& feedLog() { return log::get("mqtt"); }

} // namespace

MqttSubscriber::MqttSubscriber(SubscriberOptions options, BatchSink sink, GapSink gaps)
    : options_(std::move(options)), sink_(std::move(sink)), gapSink_(std::move(gaps)),
      client_(options_.clientId, /*cleanSession=*/false, this) {
    if (options_.topics.empty())
        throw Error("MQTT subscriber: no topic to subscribe to");
    if (options_.clientId.empty())
        throw Error("MQTT subscriber: a persistent session needs a fixed client id");
    for (const std::string& topic : options_.topics)
        if (mosquitto_sub_topic_check(topic.c_str()) != MOSQ_ERR_SUCCESS)
            throw Error("MQTT topic pattern '" + topic +
                        "' is not valid ('+' and '#' must fill a whole level, '#' last)");
    client_.setCredentials(options_.broker);
    mosquitto_connect_with_flags_callback_set(client_.get(), &MqttSubscriber::onConnect);
    mosquitto_disconnect_callback_set(client_.get(), &MqttSubscriber::onDisconnect);
    mosquitto_subscribe_callback_set(client_.get(), &MqttSubscriber::onSubscribe);
    mosquitto_message_callback_set(client_.get(), &MqttSubscriber::onMessage);
}

MqttSubscriber::~MqttSubscriber() = default;

void MqttSubscriber::onConnect(mosquitto*, void* self, int rc, int flags) {
    static_cast<MqttSubscriber*>(self)->handleConnect(rc, (flags & 1) != 0);
}

void MqttSubscriber::onDisconnect(mosquitto*, void* self, int rc) {
    auto* me = static_cast<MqttSubscriber*>(self);
    if (rc != 0)
        feedLog().warn("connection to MQTT broker {} lost: {}", me->options_.broker.text(),
                       mosquittoError(rc));
    me->connected_ = false;
}

void MqttSubscriber::onSubscribe(mosquitto*, void* self, int, int count, const int* granted) {
    auto* me = static_cast<MqttSubscriber*>(self);
    for (int i = 0; i < count; ++i)
        if (granted[i] > 2)
            feedLog().error("MQTT broker {} refused a subscription (not authorised for the topic?)",
                            me->options_.broker.text());
    // One SUBSCRIBE carries every topic, so one acknowledgement means all are in place.
    me->connected_ = true;
}

void MqttSubscriber::onMessage(mosquitto*, void* self, const mosquitto_message* msg) {
    const std::string_view payload(static_cast<const char*>(msg->payload),
                                   msg->payload ? std::size_t(msg->payloadlen) : 0);
    static_cast<MqttSubscriber*>(self)->handleMessage(msg->topic, payload);
}

void MqttSubscriber::handleConnect(int rc, bool sessionPresent) {
    if (rc != 0) {
        refusedCode_ = rc;
        return;
    }
    failedInARow_ = 0;
    {
        std::lock_guard lock(statsMutex_);
        ++stats_.connections;
    }
    std::vector<char*> patterns;
    for (std::string& topic : options_.topics)
        patterns.push_back(topic.data());
    const int src = mosquitto_subscribe_multiple(client_.get(), nullptr, int(patterns.size()),
                                                 patterns.data(), 1, 0, nullptr);
    if (src != MOSQ_ERR_SUCCESS)
        feedLog().error("cannot subscribe to {}: {}", fmt::join(options_.topics, ", "),
                        mosquittoError(src));
    feedLog().info("connected to MQTT broker {} as '{}' ({}), QoS 1 on {}",
                   options_.broker.text(), options_.clientId,
                   sessionPresent ? "session resumed" : "new session",
                   fmt::join(options_.topics, ", "));
}

void MqttSubscriber::handleMessage(const std::string& topic, std::string_view payload) {
    std::lock_guard lock(statsMutex_);
    ++stats_.messages;
    StationMessage msg;
    try {
        msg = parseMqttPayload(topic, payload, options_.localOffset);
    } catch (const Error& e) {
        ++stats_.rejectedPayloads;
        feedLog().warn("{}", e.what());
        return;
    }
    for (const std::string& problem : msg.skipped)
        feedLog().warn("mqtt topic '{}': station {} seq {}: {} left out", topic, msg.station,
                       msg.sequence, problem);
    stats_.skippedParameters += msg.skipped.size();

    const SequenceCheck check = sequences_.observe(msg.station, msg.sequence);
    if (check.kind == SequenceCheck::Kind::Gap) {
        ++stats_.gaps;
        stats_.missingMessages += check.missing;
        feedLog().warn("station {}: sequence jumped from {} to {}, {} message(s) missing",
                       msg.station, check.previous, msg.sequence, check.missing);
        if (gapSink_)
            gapSink_(msg.station, check, msg.sequence);
    } else if (check.kind == SequenceCheck::Kind::Repeat) {
        ++stats_.repeats;
        feedLog().debug("station {}: seq {} after {} (redelivery or sender restart)",
                        msg.station, msg.sequence, check.previous);
    }
    for (const RawReading& raw : msg.readings) {
        RefusalReason why{};
        if (auto r = validate(raw, stats_.validation, &why)) {
            pending_.push_back(std::move(*r));
            ++stats_.readings;
        } else {
            feedLog().debug("station {} {} refused: {}", msg.station, raw.parameter,
                            refusalReasonName(why));
        }
    }
}

void MqttSubscriber::flush() {
    lastFlush_ = std::chrono::steady_clock::now();
    if (pending_.empty())
        return;
    std::vector<Reading> batch;
    batch.swap(pending_);
    sink_(std::move(batch));
    std::lock_guard lock(statsMutex_);
    ++stats_.batches;
}

bool MqttSubscriber::tryConnect(bool first) {
    const auto& b = options_.broker;
    const int rc = first ? mosquitto_connect(client_.get(), b.host.c_str(), b.port,
                                             options_.keepAlive_s)
                         : mosquitto_reconnect(client_.get());
    if (rc == MOSQ_ERR_SUCCESS)
        return true;
    lastFailure_ = mosquittoError(rc);
    ++failedInARow_;
    {
        std::lock_guard lock(statsMutex_);
        ++stats_.failedAttempts;
    }
    if (options_.maxRetries >= 0 && failedInARow_ > options_.maxRetries)
        throw Error("MQTT broker " + b.text() + " is unreachable (" + lastFailure_ +
                    "); gave up after " + std::to_string(failedInARow_) + " attempt(s)");
    return false;
}

void MqttSubscriber::waitBackoff(double seconds, const std::atomic<bool>& stop) {
    const auto until = std::chrono::steady_clock::now() +
                       std::chrono::duration<double>(seconds);
    while (!stop && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

void MqttSubscriber::run(const std::atomic<bool>& stop) {
    bool first = true;
    bool socketOpen = false;
    double backoff_s = options_.initialBackoff_s;
    lastFlush_ = std::chrono::steady_clock::now();

    while (!stop) {
        if (!socketOpen) {
            socketOpen = tryConnect(first);
            if (!socketOpen) {
                feedLog().warn(
                    "MQTT broker {} unreachable ({}), attempt {}{}; retrying in {:.1f} s",
                    options_.broker.text(), lastFailure_, failedInARow_,
                    options_.maxRetries >= 0 ? " of " + std::to_string(options_.maxRetries + 1)
                                             : std::string(),
                    backoff_s);
                waitBackoff(backoff_s, stop);
                backoff_s = std::min(2 * backoff_s, options_.maxBackoff_s);
                continue;
            }
            first = false;
        }

        const int rc = mosquitto_loop(client_.get(), 100, 1);
        if (refusedCode_ != 0)
            throw Error("MQTT broker " + options_.broker.text() + " refused the connection: " +
                        connackReason(refusedCode_) +
                        (refusedCode_ == 4 || refusedCode_ == 5 ? " (check --user and --password)"
                                                                 : ""));
        if (failedInARow_ == 0)
            backoff_s = options_.initialBackoff_s;
        if (rc != MOSQ_ERR_SUCCESS) {
            socketOpen = false;
            connected_ = false;
            flush();
            continue;
        }
        if (pending_.size() >= options_.batchSize ||
            std::chrono::steady_clock::now() - lastFlush_ >= options_.batchInterval)
            flush();
        if (tick_ && std::chrono::steady_clock::now() - lastTick_ >= tickInterval_) {
            lastTick_ = std::chrono::steady_clock::now();
            tick_();
        }
    }

    flush();
    if (socketOpen) {
        mosquitto_disconnect(client_.get());
        for (int i = 0; i < 5 && mosquitto_loop(client_.get(), 20, 1) == MOSQ_ERR_SUCCESS; ++i) {
        }
    }
    connected_ = false;
}

void MqttSubscriber::setTick(std::function<void()> tick, std::chrono::milliseconds interval) {
    tick_ = std::move(tick);
    tickInterval_ = interval;
}

void MqttSubscriber::resumeSequence(const std::string& station, std::uint64_t lastSequence) {
    std::lock_guard lock(statsMutex_);
    sequences_.resume(station, lastSequence);
}

FeedStats MqttSubscriber::stats() const {
    std::lock_guard lock(statsMutex_);
    return stats_;
}

} // namespace parktwin::sensors
