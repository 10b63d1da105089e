// The MQTT feed against a real mosquitto broker on a free loopback port: readings arrive and
// are stored, a persistent session gets what was published while the subscriber was away, a
// sequence gap is reported, a broker that is down at start gives a clear message (and is
// reached once it comes up), a payload that is not JSON is counted while the rest is stored,
// and wrong credentials are refused by name.

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "engine/core/error.h"
#include "engine/sensors/mqtt_ingest.h"
#include "engine/sensors/mqtt_payload.h"
#include "engine/sensors/mqtt_publisher.h"
#include "engine/sensors/mqtt_subscriber.h"
#include "engine/sensors/reading_store.h"
#include "log_capture.h"
#include "mosquitto_broker.h"
#include "test_paths.h"

using namespace parktwin;
using namespace parktwin::sensors;

/// Skips without mosquitto, except under CI=true where a missing broker fails the test.
#define PARKTWIN_REQUIRE_MOSQUITTO()                                                         \
    do {                                                                                     \
        if (parktwin::test::mosquittoExecutable().empty()) {                                 \
            if (parktwin::test::underCi())                                                   \
                FAIL() << "mosquitto is required under CI (scripts/setup.sh installs it)";  \
            GTEST_SKIP() << "mosquitto not installed";                                       \
        }                                                                                    \
    } while (0)

namespace {

const UtcTime kStart = parseIsoTime("2024-01-15T10:00:00+07:00", UtcOffset{0});

BrokerAddress addressOf(const test::MosquittoBroker& broker) {
    BrokerAddress a;
    a.host = "127.0.0.1";
    a.port = broker.port();
    a.username = broker.user();
    a.password = broker.password();
    return a;
}

/// Message `seq` of a station: SO2 = seq, CO = 1000 + seq (µg/m³), five minutes apart.
std::string payload(const std::string& station, std::uint64_t seq) {
    StationMessage m;
    m.station = station;
    m.sequence = seq;
    m.time = kStart + std::chrono::minutes(5 * seq);
    m.readings = {RawReading{station, "SO2", double(seq), "ug/m3", m.time},
                  RawReading{station, "CO", 1000.0 + seq, "ug/m3", m.time}};
    return formatMqttPayload(m);
}

void publishRange(const BrokerAddress& address, const std::string& station,
                  std::uint64_t first, std::uint64_t last) {
    MqttPublisher pub(address, "test-publisher");
    for (std::uint64_t s = first; s <= last; ++s)
        pub.publish("parktwin/" + station + "/data", payload(station, s));
    pub.waitAcknowledged();
}

SubscriberOptions subscriberOptions(const BrokerAddress& address, const std::string& clientId) {
    SubscriberOptions o;
    o.broker = address;
    o.topics = {"parktwin/+/data"};
    o.clientId = clientId;
    o.initialBackoff_s = 0.05;
    o.maxBackoff_s = 0.2;
    o.batchInterval = std::chrono::milliseconds(50);
    return o;
}

/// Runs a subscriber on its own thread, collecting what it hands on.
class Collector {
public:
    explicit Collector(SubscriberOptions options)
        : subscriber_(std::move(options), [this](std::vector<Reading>&& batch) {
              std::lock_guard lock(mutex_);
              readings_.insert(readings_.end(), batch.begin(), batch.end());
          }) {}
    ~Collector() { stop(); }

    void start() {
        thread_ = std::thread([this] {
            try {
                subscriber_.run(stop_);
            } catch (const std::exception& e) {
                std::lock_guard lock(mutex_);
                error_ = e.what();
            }
        });
    }
    void stop() {
        stop_ = true;
        if (thread_.joinable())
            thread_.join();
    }
    /// Waits (at most 20 s, a bound against a hang, not a timing check) for a condition.
    template <class Pred> bool waitFor(Pred pred) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < deadline) {
            {
                std::lock_guard lock(mutex_);
                if (pred())
                    return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }
    bool waitForReadings(std::size_t n) {
        return waitFor([&] { return readings_.size() >= n; });
    }
    bool waitConnected() {
        return waitFor([&] { return subscriber_.connected(); });
    }
    std::vector<Reading> readings() {
        std::lock_guard lock(mutex_);
        return readings_;
    }
    std::string error() {
        std::lock_guard lock(mutex_);
        return error_;
    }
    MqttSubscriber& subscriber() { return subscriber_; }

private:
    MqttSubscriber subscriber_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    std::mutex mutex_;
    std::vector<Reading> readings_;
    std::string error_;
};

} // namespace

TEST(MqttFeed, PublishedReadingsArriveWithCredentials) {
    PARKTWIN_REQUIRE_MOSQUITTO();
    test::MosquittoBroker broker(test::scratchDir() / "broker", "ingest", "s3cret-pw");
    broker.start();
    if (test::underCi()) {
        EXPECT_TRUE(broker.authenticated()) << "mosquitto_passwd missing under CI";
    }
    const BrokerAddress address = addressOf(broker);

    Collector sub(subscriberOptions(address, "ingest-arrive"));
    sub.start();
    ASSERT_TRUE(sub.waitConnected());
    publishRange(address, "TN-AQ1", 1, 20);
    ASSERT_TRUE(sub.waitForReadings(40)) << sub.error();
    sub.stop();

    const auto rs = sub.readings();
    ASSERT_EQ(rs.size(), 40u);
    double so2Sum = 0;
    for (const Reading& r : rs) {
        EXPECT_EQ(r.station, "TN-AQ1");
        if (r.parameter == "SO2")
            so2Sum += r.value;
    }
    EXPECT_DOUBLE_EQ(so2Sum, 210.0); // 1 + 2 + ... + 20
    const auto stats = sub.subscriber().stats();
    EXPECT_EQ(stats.messages, 20u);
    EXPECT_EQ(stats.gaps, 0u);
    EXPECT_EQ(stats.rejectedPayloads, 0u);
}

TEST(MqttFeed, PersistentSessionDeliversWhatWasPublishedWhileAway) {
    PARKTWIN_REQUIRE_MOSQUITTO();
    test::MosquittoBroker broker(test::scratchDir() / "broker");
    broker.start();
    const BrokerAddress address = addressOf(broker);

    std::uint64_t lastSeen = 0;
    {
        Collector first(subscriberOptions(address, "ingest-persistent"));
        first.start();
        ASSERT_TRUE(first.waitConnected());
        publishRange(address, "TN-AQ2", 1, 5);
        ASSERT_TRUE(first.waitForReadings(10)) << first.error();
        first.stop(); // disconnects; the broker keeps the session of this client id
        lastSeen = first.subscriber().sequences().last().at("TN-AQ2");
    }
    EXPECT_EQ(lastSeen, 5u);

    publishRange(address, "TN-AQ2", 6, 12); // nobody connected with that id now

    Collector second(subscriberOptions(address, "ingest-persistent"));
    second.subscriber().resumeSequence("TN-AQ2", lastSeen);
    second.start();
    ASSERT_TRUE(second.waitForReadings(14)) << second.error();
    second.stop();
    std::set<double> so2;
    for (const Reading& r : second.readings())
        if (r.parameter == "SO2")
            so2.insert(r.value);
    EXPECT_EQ(so2, (std::set<double>{6, 7, 8, 9, 10, 11, 12}));
    EXPECT_EQ(second.subscriber().stats().gaps, 0u);
}

TEST(MqttFeed, SequenceGapIsReportedLoggedAndAudited) {
    PARKTWIN_REQUIRE_MOSQUITTO();
    test::MosquittoBroker broker(test::scratchDir() / "broker");
    broker.start();
    const BrokerAddress address = addressOf(broker);
    const auto db = test::scratchDir() / "feed.sqlite";

    MqttIngestOptions options;
    options.feed = subscriberOptions(address, "ingest-gap");
    options.database = db;
    test::LogCapture mqttLog("mqtt");
    auto ingest = std::make_unique<MqttIngest>(options);
    std::atomic<bool> stop{false};
    std::thread runner([&] { ingest->run(stop); });

    {
        MqttPublisher pub(address, "gap-publisher");
        // Wait for the subscription before publishing (it is not yet a persistent session).
        for (int i = 0; i < 2000 && !ingest->connected(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        for (std::uint64_t s : {1, 2, 3, 7, 8})
            pub.publish("parktwin/TN-AQ3/data", payload("TN-AQ3", s));
        pub.waitAcknowledged();
    }
    for (int i = 0; i < 2000 && ingest->stats().readings < 10; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    stop = true;
    runner.join();

    const auto stats = ingest->stats();
    EXPECT_EQ(stats.gaps, 1u);
    EXPECT_EQ(stats.missingMessages, 3u); // 4, 5 and 6
    ingest.reset();

    bool logged = false;
    for (const auto& w : mqttLog.warnings())
        logged |= w.find("station TN-AQ3: sequence jumped from 3 to 7, 3 message(s) missing") !=
                  std::string::npos;
    EXPECT_TRUE(logged) << mqttLog.text();
    AlarmStore store(db);
    const auto trail = store.audit();
    ASSERT_EQ(trail.size(), 1u);
    EXPECT_EQ(trail[0].event, "feed_gap");
    EXPECT_EQ(store.lastSequences().at("TN-AQ3"), 8u);
    EXPECT_EQ(ReadingStore(db).readingCount(), 10);
}

TEST(MqttFeed, BrokerDownAtStartGivesAClearMessageAndGivesUpAfterMaxRetries) {
    const int port = test::freeLoopbackPort(); // nothing listens there
    BrokerAddress address;
    address.port = port;
    SubscriberOptions o = subscriberOptions(address, "ingest-down");
    o.maxRetries = 2;
    test::LogCapture mqttLog("mqtt");
    MqttSubscriber sub(o, [](std::vector<Reading>&&) {});
    std::atomic<bool> stop{false};
    try {
        sub.run(stop);
        FAIL() << "run() returned without a broker";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "MQTT broker 127.0.0.1:" + std::to_string(port) +
                      " is unreachable (Connection refused); gave up after 3 attempt(s)");
    }
    const auto warnings = mqttLog.warnings();
    ASSERT_EQ(warnings.size(), 2u);
    EXPECT_NE(warnings[0].find("unreachable (Connection refused), attempt 1 of 3; retrying in"),
              std::string::npos)
        << warnings[0];
    EXPECT_EQ(sub.stats().failedAttempts, 3u);
}

TEST(MqttFeed, BrokerThatComesUpLateIsReachedByTheRetries) {
    PARKTWIN_REQUIRE_MOSQUITTO();
    test::MosquittoBroker broker(test::scratchDir() / "broker");
    const BrokerAddress address = addressOf(broker);
    Collector sub(subscriberOptions(address, "ingest-late"));
    sub.start(); // retries forever (maxRetries -1) with backoff
    ASSERT_TRUE(sub.waitFor([&] { return sub.subscriber().stats().failedAttempts >= 2; }));
    broker.start();
    ASSERT_TRUE(sub.waitConnected()) << sub.error();
    publishRange(address, "TN-AQ4", 1, 3);
    ASSERT_TRUE(sub.waitForReadings(6)) << sub.error();

    // The broker goes away and comes back on the same port: the subscriber reconnects.
    broker.stop();
    ASSERT_TRUE(sub.waitFor([&] { return !sub.subscriber().connected(); }));
    broker.start();
    ASSERT_TRUE(sub.waitConnected()) << sub.error();
    publishRange(address, "TN-AQ4", 4, 5);
    ASSERT_TRUE(sub.waitForReadings(10)) << sub.error();
    sub.stop();
    EXPECT_EQ(sub.subscriber().stats().connections, 2u);
}

TEST(MqttFeed, PayloadThatIsNotJsonIsCountedAndTheRestStored) {
    PARKTWIN_REQUIRE_MOSQUITTO();
    test::MosquittoBroker broker(test::scratchDir() / "broker");
    broker.start();
    const BrokerAddress address = addressOf(broker);
    const auto db = test::scratchDir() / "feed.sqlite";

    MqttIngestOptions options;
    options.feed = subscriberOptions(address, "ingest-garbage");
    options.database = db;
    auto ingest = std::make_unique<MqttIngest>(options);
    std::atomic<bool> stop{false};
    std::thread runner([&] { ingest->run(stop); });
    for (int i = 0; i < 2000 && !ingest->connected(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    {
        MqttPublisher pub(address, "garbage-publisher");
        pub.publish("parktwin/TN-AQ5/data", payload("TN-AQ5", 1));
        pub.publish("parktwin/TN-AQ5/data", "SO2\t45.2\tug/m3\t20240115103000\t00");
        pub.publish("parktwin/TN-AQ5/data", std::string("\xff\xfe{\0\"", 5));
        pub.publish("parktwin/TN-AQ5/data", payload("TN-AQ5", 2));
        pub.waitAcknowledged();
    }
    for (int i = 0; i < 2000 && ingest->stats().messages < 4; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    stop = true;
    runner.join();
    const auto stats = ingest->stats();
    EXPECT_EQ(stats.messages, 4u);
    EXPECT_EQ(stats.rejectedPayloads, 2u);
    ingest.reset();
    ReadingStore store(db);
    EXPECT_EQ(store.readingCount(), 4);
    EXPECT_EQ(store.readings("TN-AQ5", "SO2", kStart, kStart + std::chrono::hours(1)).size(), 2u);
}

TEST(MqttFeed, WrongPasswordIsRefusedByName) {
    PARKTWIN_REQUIRE_MOSQUITTO();
    test::MosquittoBroker broker(test::scratchDir() / "broker", "ingest", "right-pw");
    broker.start();
    if (!broker.authenticated())
        GTEST_SKIP() << "mosquitto_passwd not installed";
    BrokerAddress address = addressOf(broker);
    address.password = "wrong-pw";
    MqttSubscriber sub(subscriberOptions(address, "ingest-wrong"), [](std::vector<Reading>&&) {});
    std::atomic<bool> stop{false};
    try {
        sub.run(stop);
        FAIL() << "run() accepted a wrong password";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("refused the connection"), std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("check --user and --password"), std::string::npos)
            << e.what();
    }
}
