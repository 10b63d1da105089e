// parktwin ingest and replay as a user runs them: a drop folder, CSV history, the snapshot at
// an instant, and clear errors on bad input.

#include "test_paths.h"
#include "shell_command.h"

#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

namespace fs = std::filesystem;
using nlohmann::json;
using parktwin::test::scratchDir;

namespace {

struct Outcome {
    int exitCode = -1;
    std::string out; ///< stdout
    std::string err; ///< stderr
};

Outcome run(const std::string& args) {
    const fs::path errFile = fs::path(PARKTWIN_BINARY_DIR) / "test-scratch" /
                             ("stderr-" + std::to_string(::getpid()) + ".txt");
    fs::create_directories(errFile.parent_path());
    const std::string command = std::string(PARKTWIN_EXE) + " " + args + " 2>" + errFile.string();
    Outcome o;
    parktwin::test::CommandResult r = parktwin::test::runShell(command);
    o.exitCode = r.exitCode;
    o.out = std::move(r.output);
    std::ifstream in(errFile);
    o.err.assign(std::istreambuf_iterator<char>(in), {});
    return o;
}

void write(const fs::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
}

} // namespace

TEST(SensorCli, WatchOnceIngestsTheDropFolderAndReplayShowsItInLocalTime) {
    const fs::path dir = scratchDir();
    const fs::path drop = dir / "drop";
    fs::create_directories(drop);
    write(drop / "TNG_GTTN_KK01_20240115103000.txt",
          "SO2\t0.02\tppm\t20240115103000\t00\r\nWS\t2.4\tm/s\t20240115103000\t00\r\n"
          "WD\t135\tdeg\t20240115103000\t00\r\nNO2\tNaN\tug/m3\t20240115103000\t00\r\n");
    write(drop / "TNG_GTTN_KK01_20240115103500.txt", "SO2\t0.03\tppm\t20240115103500\t0");
    const std::string db = (dir / "readings.sqlite").string();

    const Outcome in = run("ingest --json --db " + db + " --watch " + drop.string() + " --once");
    ASSERT_EQ(in.exitCode, 0) << in.err;
    const json totals = json::parse(in.out);
    EXPECT_EQ(totals["inserted"], 3);
    EXPECT_EQ(totals["files_processed"], 1);
    EXPECT_EQ(totals["files_rejected"], 1);
    EXPECT_EQ(totals["refused"]["nan"], 1);
    EXPECT_NE(in.err.find("batch 1 committed: 3 readings"), std::string::npos) << in.err;
    EXPECT_TRUE(fs::exists(drop / "rejected/TNG_GTTN_KK01_20240115103500.txt.reason"));

    // 10:32 park time (UTC+7) is after the 10:30 readings.
    const Outcome r = run("replay --json --db " + db + " --at 2024-01-15T10:32");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const json snap = json::parse(r.out);
    EXPECT_EQ(snap["at"], "2024-01-15T10:32:00+07:00");
    EXPECT_EQ(snap["at_utc"], "2024-01-15T03:32:00Z");
    ASSERT_EQ(snap["stations"].size(), 1u);
    const json& st = snap["stations"][0];
    EXPECT_EQ(st["station"], "TNG_GTTN_KK01");
    EXPECT_DOUBLE_EQ(st["wind_speed_ms"].get<double>(), 2.4);
    EXPECT_DOUBLE_EQ(st["wind_from_deg"].get<double>(), 135);
    for (const json& reading : st["readings"])
        if (reading["parameter"] == "SO2") {
            // 0.02 ppm × 64.058 g/mol / 24.465 L/mol × 1000 = 52.37 µg/m³ at 25 °C.
            EXPECT_NEAR(reading["value"].get<double>(), 52.37, 0.01);
            EXPECT_EQ(reading["time"], "2024-01-15T10:30:00+07:00");
            EXPECT_EQ(reading["age_s"], 120);
        }
    EXPECT_TRUE(snap["open_incidents"].is_null());

    // Before the first reading there is nothing to show.
    const Outcome early = run("replay --json --db " + db + " --at 2024-01-15T10:29:59+07:00");
    EXPECT_TRUE(json::parse(early.out)["stations"].empty());
}

TEST(SensorCli, ReplayListsTheIncidentsOpenAtTheInstant) {
    const fs::path dir = scratchDir();
    const fs::path csv = dir / "hanoi.csv";
    write(csv, "Site,Parameter,Date (LT),Year,Month,Day,Hour,NowCast Conc.,AQI,AQI Category,"
               "Raw Conc.,Conc. Unit,Duration,QC Name\n"
               "Hanoi,PM2.5 - Principal,2016-01-01 01:00 AM,2016,01,01,01,81.0,164,Unhealthy,"
               "94.7,UG/M3,1 Hr,Valid\n");
    const std::string db = (dir / "readings.sqlite").string();
    ASSERT_EQ(run("ingest --db " + db + " --csv " + csv.string()).exitCode, 0);

    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
    // 2016-01-01T00:30Z = 07:30 local. One incident open then, one closed, one not yet begun.
    sqlite3_exec(raw,
                 "CREATE TABLE incidents (id INTEGER PRIMARY KEY, parameter TEXT, "
                 "start_utc INTEGER, end_utc INTEGER);"
                 "INSERT INTO incidents VALUES (1, 'PM2.5', 1451602800, NULL);" // 2015-12-31T23Z
                 "INSERT INTO incidents VALUES (2, 'SO2', 1451599200, 1451602800);"
                 "INSERT INTO incidents VALUES (3, 'NO2', 1451610000, NULL);",
                 nullptr, nullptr, nullptr);
    sqlite3_close(raw);

    const Outcome r = run("replay --json --db " + db + " --at 2016-01-01T07:30");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const json snap = json::parse(r.out);
    ASSERT_EQ(snap["open_incidents"].size(), 1u) << r.out;
    EXPECT_EQ(snap["open_incidents"][0]["parameter"], "PM2.5");
    EXPECT_EQ(snap["stations"][0]["station"], "Hanoi");

    const Outcome text = run("replay --db " + db + " --at 2016-01-01T07:30");
    EXPECT_NE(text.out.find("open incidents: 1"), std::string::npos) << text.out;
}

TEST(SensorCli, BeijingHistoryGivesTheWindForAReplay) {
    const fs::path csv = parktwin::test::sharedDataDir() /
                         "sensors/beijing_prsa_multisite/PRSA_Data_Dingling_20130301-20170228.csv";
    PARKTWIN_REQUIRE_SHARED(csv);
    const std::string db = (scratchDir() / "readings.sqlite").string();
    const Outcome in =
        run("ingest --json --db " + db + " --csv " + csv.string() + " --utc-offset +08:00");
    ASSERT_EQ(in.exitCode, 0) << in.err;
    EXPECT_GT(json::parse(in.out)["inserted"].get<long>(), 300000);

    // Row 6 of the file: 2013-03-01 hour 5 (local UTC+8): SO2 3, TEMP -4.5, wd "NNW",
    // WSPM 1.7. It is read at the end of its hour, 06:00 local.
    const Outcome r =
        run("replay --json --db " + db + " --at 2013-03-01T06:00 --utc-offset +08:00");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const json snap = json::parse(r.out);
    ASSERT_EQ(snap["stations"].size(), 1u);
    const json& st = snap["stations"][0];
    EXPECT_EQ(st["station"], "Dingling");
    EXPECT_DOUBLE_EQ(st["wind_speed_ms"].get<double>(), 1.7);
    EXPECT_DOUBLE_EQ(st["wind_from_deg"].get<double>(), 337.5); // NNW: 15 × 22.5°
    for (const json& reading : st["readings"]) {
        EXPECT_EQ(reading["time"], "2013-03-01T06:00:00+08:00") << reading;
        if (reading["parameter"] == "TEMP") {
            EXPECT_DOUBLE_EQ(reading["value"].get<double>(), -4.5);
        } else if (reading["parameter"] == "SO2") {
            EXPECT_DOUBLE_EQ(reading["value"].get<double>(), 3);
        }
    }
}

TEST(SensorCli, BadInputIsAClearErrorAndUsageMistakesExit2) {
    const fs::path dir = scratchDir();
    const std::string db = (dir / "readings.sqlite").string();
    EXPECT_EQ(run("ingest --db " + db).exitCode, 2);
    EXPECT_EQ(run("ingest --db " + db + " --watch a --csv b").exitCode, 2);
    EXPECT_EQ(run("replay --db " + db).exitCode, 2);

    write(dir / "bad.csv", "a,b\n1,2\n");
    const Outcome csv = run("ingest --db " + db + " --csv " + (dir / "bad.csv").string());
    EXPECT_EQ(csv.exitCode, 1);
    EXPECT_NE(csv.err.find("bad.csv: line 1: expected the header"), std::string::npos) << csv.err;

    const Outcome offset = run("ingest --db " + db + " --csv x.csv --utc-offset 7");
    EXPECT_EQ(offset.exitCode, 1);
    EXPECT_NE(offset.err.find("'7' is not a UTC offset"), std::string::npos) << offset.err;

    const Outcome noFolder =
        run("ingest --db " + db + " --watch " + (dir / "absent").string() + " --once");
    EXPECT_EQ(noFolder.exitCode, 1);
    EXPECT_NE(noFolder.err.find("drop folder does not exist"), std::string::npos) << noFolder.err;

    const Outcome noDb = run("replay --db " + (dir / "none.sqlite").string() + " --at 2024-01-01");
    EXPECT_EQ(noDb.exitCode, 1);
    EXPECT_NE(noDb.err.find("no such readings store"), std::string::npos) << noDb.err;
    const Outcome badTime = run("replay --db " + db + " --at yesterday");
    EXPECT_EQ(badTime.exitCode, 1);
    EXPECT_NE(badTime.err.find("'yesterday' is not an ISO 8601 date-time"), std::string::npos);
}
