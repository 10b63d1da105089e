#pragma once
// What the MQTT subscriber and publisher share: broker address, credentials and the
// libmosquitto session they open.

#include <cstdint>
#include <string>

struct mosquitto;
struct mosquitto_message;

namespace parktwin::sensors {

struct BrokerAddress {
    std::string host = "127.0.0.1";
    int port = 1883;
    std::string username; ///< empty: anonymous
    std::string password;

    std::string text() const { return host + ":" + std::to_string(port); }
};

/// Parses "HOST:PORT" (or "HOST", port 1883); throws Error naming the text otherwise.
BrokerAddress parseBrokerAddress(const std::string& text);

/// A libmosquitto client handle, created with the library initialised once per process.
class MosquittoHandle {
public:
    /// `cleanSession` false keeps the subscriptions and queued QoS 1 messages of `clientId` on
    /// the broker between connections.
    MosquittoHandle(const std::string& clientId, bool cleanSession, void* userData);
    ~MosquittoHandle();
    MosquittoHandle(const MosquittoHandle&) = delete;
    MosquittoHandle& operator=(const MosquittoHandle&) = delete;

    mosquitto* get() const { return handle_; }

    /// Sets username and password when the address has them.
    void setCredentials(const BrokerAddress& broker);

private:
    mosquitto* handle_ = nullptr;
};

/// A readable reason for a libmosquitto error code (errno-based codes included).
std::string mosquittoError(int code);

/// A readable reason for a CONNACK return code (bad credentials, not authorised, ...).
std::string connackReason(int code);

} // namespace parktwin::sensors
