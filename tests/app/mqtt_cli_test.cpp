// parktwin ingest --mqtt, feed, incidents and ack as a user runs them, against a real mosquitto
// broker: a recorded PM2.5 episode replayed over MQTT becomes an incident an operator
// acknowledges; a dead broker, a bad address, a missing database and a second acknowledgement
// each give a clear message and a non-zero exit.

#include <array>
#include <cstdio>
#include <fstream>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "mosquitto_broker.h"
#include "test_paths.h"
#include "shell_command.h"

extern char** environ;

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using Outcome = parktwin::test::CommandResult;

Outcome run(const std::string& args) { return parktwin::test::runParktwin(args); }

/// `parktwin ingest` in the background, its output in a log file.
class Background {
public:
    Background(const std::vector<std::string>& args, const fs::path& log) : log_(log) {
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        std::vector<std::string> all{PARKTWIN_EXE};
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : all)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn(&pid_, PARKTWIN_EXE, &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
    }
    ~Background() {
        if (pid_ > 0)
            stop();
    }
    /// SIGTERM, as an operator's service manager would send; returns the exit code.
    int stop() {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::string log() const {
        std::ifstream in(log_);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }
    /// Waits (at most 20 s, a bound against a hang) until the log holds `text`.
    bool waitForLog(const std::string& text) const {
        for (int i = 0; i < 2000; ++i) {
            if (log().find(text) != std::string::npos)
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }

private:
    fs::path log_;
    pid_t pid_ = -1;
};

/// An AirNow-layout file (the US Embassy Hà Nội format) of `hours` hourly PM2.5 values from
/// 1 March 2026 01:00 local time.
fs::path airNowFile(const fs::path& dir, int hours, double value) {
    const fs::path file = dir / "episode.csv";
    std::ofstream out(file);
    out << "Site,Parameter,Date (LT),Year,Month,Day,Hour,NowCast Conc.,AQI,AQI Category,"
           "Raw Conc.,Conc. Unit,Duration,QC Name\n";
    for (int h = 1; h <= hours; ++h) {
        const int clock = h % 12 == 0 ? 12 : h % 12;
        char line[256];
        std::snprintf(line, sizeof line,
                      "Hanoi,PM2.5 - Principal,2026-03-01 %02d:00 %s,2026,03,01,%02d,%.1f,180,"
                      "Unhealthy,%.1f,UG/M3,1 Hr,Valid\n",
                      clock, h < 12 ? "AM" : "PM", h, value, value);
        out << line;
    }
    return file;
}

} // namespace

TEST(MqttCli, RecordedEpisodeBecomesAnIncidentThatAnOperatorAcknowledges) {
    if (parktwin::test::mosquittoExecutable().empty()) {
        if (parktwin::test::underCi())
            FAIL() << "mosquitto is required under CI";
        GTEST_SKIP() << "mosquitto not installed";
    }
    const fs::path dir = parktwin::test::scratchDir();
    parktwin::test::MosquittoBroker broker(dir / "broker", "ops", "pw-ops-1");
    broker.start();
    const std::string address = "127.0.0.1:" + std::to_string(broker.port());
    const std::string credentials =
        broker.authenticated() ? " --user ops --password pw-ops-1" : "";
    const fs::path db = dir / "park.sqlite";

    // Default 5-minute interval: the hourly values carry their own period ("p": 3600).
    std::vector<std::string> ingestArgs{"ingest", "--db", db.string(), "--mqtt", address,
                                        "--topic", "parktwin/+/data"};
    if (broker.authenticated())
        ingestArgs.insert(ingestArgs.end(), {"--user", "ops", "--password", "pw-ops-1"});
    Background ingest(ingestArgs, dir / "ingest.log");
    ASSERT_TRUE(ingest.waitForLog("connected to MQTT broker")) << ingest.log();

    // 20 hourly values of 120 µg/m³: the 24 h mean is judged from the 18th hour on, and
    // 120 > 45 (QCVN 05:2023 PM2.5 24 h from 2026).
    const auto fed = run("feed --csv " + airNowFile(dir, 20, 120.0).string() + " --mqtt " +
                         address + credentials + " --speed 0 --station HN-TEST");
    ASSERT_EQ(fed.exitCode, 0) << fed.output;
    EXPECT_NE(fed.output.find("20 messages from 1 stations"), std::string::npos) << fed.output;
    ASSERT_TRUE(ingest.waitForLog("incident 1 opened")) << ingest.log();
    EXPECT_EQ(ingest.stop(), 0);
    EXPECT_NE(ingest.log().find("stopped: 20 messages, 20 readings stored"), std::string::npos)
        << ingest.log();

    auto listed = run("incidents --db " + db.string() + " --json");
    ASSERT_EQ(listed.exitCode, 0) << listed.output;
    json j = json::parse(listed.output);
    ASSERT_EQ(j["incidents"].size(), 1u);
    const json& inc = j["incidents"][0];
    EXPECT_EQ(inc["parameter"], "PM2.5");
    EXPECT_EQ(inc["open"], true);
    EXPECT_EQ(inc["stations"], json::array({"HN-TEST"}));
    EXPECT_EQ(inc["peak"]["limit"], 45.0);
    EXPECT_EQ(inc["peak"]["value"], 120.0);
    // Hour 18 runs 17:00-18:00 local: the 24 h window first judged ends at 18:00.
    EXPECT_EQ(inc["start"], "2026-03-01T17:00:00+07:00");
    // Ingested without --park: the incident's sources are not ranked, and it says why.
    EXPECT_EQ(inc["sources"]["ranked"], false);
    EXPECT_NE(inc["sources"]["reason"].get<std::string>().find("no park model"),
              std::string::npos)
        << inc.dump(2);
    const auto alarmId = inc["alarm_ids"][0].get<long long>();

    // The replay at 20:00 local sees the latest reading and the incident still open.
    const auto replay = run("replay --db " + db.string() + " --at 2026-03-01T20:00 --json");
    ASSERT_EQ(replay.exitCode, 0) << replay.output;
    const json snapshot = json::parse(replay.output);
    ASSERT_EQ(snapshot["open_incidents"].size(), 1u) << replay.output;
    EXPECT_EQ(snapshot["open_incidents"][0]["parameter"], "PM2.5");

    const auto ack = run("ack --db " + db.string() + " --alarm " + std::to_string(alarmId) +
                         " --operator 'Lê Hoàng'");
    ASSERT_EQ(ack.exitCode, 0) << ack.output;
    j = json::parse(run("incidents --db " + db.string() + " --json").output);
    EXPECT_EQ(j["alarms"][0]["acknowledged_by"], "Lê Hoàng");

    const auto again = run("ack --db " + db.string() + " --alarm " + std::to_string(alarmId) +
                           " --operator 'Phạm An'");
    EXPECT_EQ(again.exitCode, 1);
    EXPECT_NE(again.output.find("already acknowledged by Lê Hoàng"), std::string::npos)
        << again.output;
    const auto unknown = run("ack --db " + db.string() + " --alarm 999 --operator X");
    EXPECT_EQ(unknown.exitCode, 1);
    EXPECT_NE(unknown.output.find("no alarm with id 999"), std::string::npos) << unknown.output;

    const auto text = run("incidents --db " + db.string());
    EXPECT_EQ(text.exitCode, 0);
    EXPECT_NE(text.output.find("incident 1  ambient PM2.5  OPEN"), std::string::npos)
        << text.output;
}

TEST(MqttCli, DeadBrokerBadAddressAndMissingDatabaseAreClearErrors) {
    const fs::path dir = parktwin::test::scratchDir();
    const int port = parktwin::test::freeLoopbackPort();
    const auto dead = run("ingest --db " + (dir / "x.sqlite").string() + " --mqtt 127.0.0.1:" +
                          std::to_string(port) + " --topic 'parktwin/+/data' --max-retries 1");
    EXPECT_EQ(dead.exitCode, 1);
    EXPECT_NE(dead.output.find("parktwin: error: MQTT broker 127.0.0.1:" + std::to_string(port) +
                               " is unreachable (Connection refused); gave up after 2 attempt(s)"),
              std::string::npos)
        << dead.output;

    const auto badAddress = run("ingest --db " + (dir / "x.sqlite").string() +
                                " --mqtt broker:port --topic t");
    EXPECT_EQ(badAddress.exitCode, 1);
    EXPECT_NE(badAddress.output.find("port must be a number"), std::string::npos)
        << badAddress.output;

    const auto badTopic = run("ingest --db " + (dir / "x.sqlite").string() +
                              " --mqtt 127.0.0.1:1 --topic 'parktwin/#/data'");
    EXPECT_EQ(badTopic.exitCode, 1);
    EXPECT_NE(badTopic.output.find("is not valid"), std::string::npos) << badTopic.output;

    const auto missing = run("incidents --db " + (dir / "none.sqlite").string());
    EXPECT_EQ(missing.exitCode, 1);
    EXPECT_NE(missing.output.find("none.sqlite: no such database"), std::string::npos);
    EXPECT_FALSE(fs::exists(dir / "none.sqlite"));

    const auto usage = run("ack --db " + (dir / "x.sqlite").string() + " --alarm 1");
    EXPECT_EQ(usage.exitCode, 2); // --operator is required
    const auto noTopic = run("ingest --db " + (dir / "x.sqlite").string() + " --mqtt 127.0.0.1:1");
    EXPECT_EQ(noTopic.exitCode, 2);
    EXPECT_NE(noTopic.output.find("--topic PATTERN (with --mqtt) is required"), std::string::npos)
        << noTopic.output;
}
