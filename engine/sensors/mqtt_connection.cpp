#include "engine/sensors/mqtt_connection.h"

#include <cerrno>
#include <cstring>
#include <mutex>

#include <mosquitto.h>

#include "engine/core/error.h"

namespace parktwin::sensors {

BrokerAddress parseBrokerAddress(const std::string& text) {
    BrokerAddress address;
    const auto colon = text.rfind(':');
    address.host = text.substr(0, colon);
    if (colon != std::string::npos) {
        const std::string port = text.substr(colon + 1);
        try {
            std::size_t used = 0;
            address.port = std::stoi(port, &used);
            if (used != port.size())
                throw std::invalid_argument(port);
        } catch (const std::exception&) {
            address.port = 0;
        }
        if (address.port < 1 || address.port > 65535)
            throw Error("MQTT broker '" + text + "': port must be a number from 1 to 65535");
    }
    if (address.host.empty())
        throw Error("MQTT broker '" + text + "': expected HOST:PORT");
    return address;
}

MosquittoHandle::MosquittoHandle(const std::string& clientId, bool cleanSession,
                                 void* userData) {
    static std::once_flag initOnce;
    std::call_once(initOnce, [] { mosquitto_lib_init(); });
    handle_ = mosquitto_new(clientId.empty() ? nullptr : clientId.c_str(), cleanSession, userData);
    if (!handle_)
        throw Error("cannot create an MQTT client '" + clientId + "': " +
                    std::strerror(errno));
    mosquitto_int_option(handle_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
}

MosquittoHandle::~MosquittoHandle() { mosquitto_destroy(handle_); }

void MosquittoHandle::setCredentials(const BrokerAddress& broker) {
    if (broker.username.empty())
        return;
    const int rc =
        mosquitto_username_pw_set(handle_, broker.username.c_str(),
                                  broker.password.empty() ? nullptr : broker.password.c_str());
    if (rc != MOSQ_ERR_SUCCESS)
        throw Error("MQTT credentials refused by the client library: " + mosquittoError(rc));
}

std::string mosquittoError(int code) {
    if (code == MOSQ_ERR_ERRNO)
        return std::strerror(errno);
    return mosquitto_strerror(code);
}

std::string connackReason(int code) { return mosquitto_connack_string(code); }

} // namespace parktwin::sensors
