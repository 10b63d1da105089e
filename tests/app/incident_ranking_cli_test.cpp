// parktwin ingest --park and parktwin incidents as a user runs them: an incident raised while a
// recorded CSV or a drop folder is ingested has the park's sources ranked and stored, and when
// it cannot be ranked (no park, no wind) the listing says why.

#include "test_paths.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "engine/sensors/attribution.h"
#include "engine/sensors/incident_ranking.h"
#include "engine/sensors/reading_store.h"
#include "gis/park_loader.h"
#include "gis/spatial_ref.h"
#include "shell_command.h"

namespace fs = std::filesystem;
using namespace parktwin;
using nlohmann::json;

namespace {

struct Outcome {
    int exitCode = -1;
    std::string out; ///< stdout, and stderr unless quiet
};

/// Runs parktwin; its log lines join the output unless `quiet`.
Outcome run(const std::string& args, bool quiet = false) {
    const std::string tail = quiet ? " 2>/dev/null" : " 2>&1";
    parktwin::test::CommandResult r =
        parktwin::test::runShell(std::string(PARKTWIN_EXE) + " " + args + tail);
    return {r.exitCode, std::move(r.output)};
}

/// Uniform number in [lo, hi) from the raw generator, the same with every standard library.
double uniform(std::mt19937_64& rng, double lo, double hi) {
    return lo + (hi - lo) * (double(rng() >> 11) * 0x1.0p-53);
}

constexpr double kLon = 105.85, kLat = 21.60; ///< park centre, north of Thái Nguyên
constexpr double kHalfSide_deg = 0.03;        ///< the boundary square, about 6 km across
constexpr int kHours = 30;
constexpr int kFirstLocalHour = 0; ///< 2024-01-15 00:00 at +07:00
const char* const kCompass[16] = {"N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
                                  "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"};

std::string point(const std::string& props, double lon, double lat) {
    return fmt::format(R"({{"type":"Feature","properties":{},"geometry":{{"type":"Point",)"
                       R"("coordinates":[{:.6f},{:.6f}]}}}})",
                       props, lon, lat);
}

/// A park of two alike stacks ("big", "small") 1.2 km apart and six SO2 sensors around them,
/// on flat ground; returns its manifest. Alike, the stack with the larger rate is also the
/// larger contributor at the sensors over a day of veering wind.
fs::path writePark(const fs::path& dir) {
    const double w = kLon - kHalfSide_deg, e = kLon + kHalfSide_deg;
    const double s = kLat - kHalfSide_deg, n = kLat + kHalfSide_deg;
    std::ofstream(dir / "boundary.geojson") << fmt::format(
        R"({{"type":"FeatureCollection","features":[{{"type":"Feature","properties":)"
        R"({{"id":"plot"}},"geometry":{{"type":"Polygon","coordinates":[[[{0},{2}],[{1},{2}],)"
        R"([{1},{3}],[{0},{3}],[{0},{2}]]]}}}}]}})",
        w, e, s, n);
    // About 9.7 m per 1e-4 degree of longitude and 11.1 m per 1e-4 degree of latitude here.
    const auto at = [](double east_m, double north_m) {
        return std::pair{kLon + east_m / 103'500.0, kLat + north_m / 110'800.0};
    };
    const auto [bx, by] = at(0, 0);
    const auto [sx, sy] = at(1200, 300);
    std::ofstream(dir / "stacks.geojson")
        << R"({"type":"FeatureCollection","features":[)"
        << point(R"({"id":"big","height_m":25,"diameter_m":1.2,"exit_velocity_ms":7,)"
                 R"("exit_temperature_K":370})",
                 bx, by)
        << ","
        << point(R"({"id":"small","height_m":25,"diameter_m":1.2,"exit_velocity_ms":7,)"
                 R"("exit_temperature_K":370})",
                 sx, sy)
        << "]}";
    std::ofstream sensors(dir / "sensors.geojson");
    sensors << R"({"type":"FeatureCollection","features":[)";
    const double places[6][2] = {{1500, -200}, {-800, 900},   {600, 2200},
                                 {2600, 1500}, {-1500, -1200}, {300, -2000}};
    for (int k = 0; k < 6; ++k) {
        const auto [x, y] = at(places[k][0], places[k][1]);
        sensors << (k ? "," : "")
                << point(fmt::format(R"({{"id":"S{}","parameters":"SO2","height":2}})", k + 1),
                         x, y);
    }
    sensors << "]}";
    const fs::path manifest = dir / "park.toml";
    std::ofstream(manifest) << R"(name = "Two-stack test park"
time_zone = "+07:00"
crs = "auto"
[terrain]
flat_elevation_m = 30
[[layers]]
role = "boundary"
file = "boundary.geojson"
[[layers]]
role = "stacks"
file = "stacks.geojson"
[[layers]]
role = "sensors"
file = "sensors.geojson"
)";
    return manifest;
}

/// The CSV row of a Beijing PRSA layout for local hour `h` after the first.
std::string prsaRow(int no, int h, const std::string& so2, const std::string& wd,
                    const std::string& ws, const std::string& station) {
    const int localHour = kFirstLocalHour + h;
    return fmt::format("{},2024,1,{},{},NA,NA,{},NA,NA,NA,25,1010,15,0,\"{}\",{},\"{}\"\n", no,
                       15 + localHour / 24, localHour % 24, so2, wd, ws, station);
}

constexpr const char* kPrsaHeader =
    "\"No\",\"year\",\"month\",\"day\",\"hour\",\"PM2.5\",\"PM10\",\"SO2\",\"NO2\",\"CO\","
    "\"O3\",\"TEMP\",\"PRES\",\"DEWP\",\"RAIN\",\"wd\",\"WSPM\",\"station\"\n";

double windSpeed_ms(int h) { return 2.0 + 0.1 * h; }

struct Record {
    fs::path csv;
    double bigRate_gs = 0, smallRate_gs = 0;
};

/// A day and a bit of hourly SO2 at the six sensors from the hourly plume model for the two
/// stacks (the small one at 30% of the big one's rate) plus a 15 µg/m³ background, each
/// value multiplied by an independent factor in [0.7, 1.3), with a wind that veers a compass
/// point an hour. The rates are scaled so the highest clean hour is twice the QCVN 05:2023
/// SO2 1 h limit (350 µg/m³); the wind is in every row, as PRSA files have it.
Record writeRecord(const fs::path& dir, const fs::path& manifest, bool withWind) {
    const ParkModel park = gis::loadPark(manifest);
    const Vec2 centre = park.frame.toProjected({0, 0});
    double lon = centre.x, lat = centre.y;
    auto toWgs84 = gis::makeTransform(gis::parseCrs(park.frame.crs, "park", "crs"),
                                      gis::wgs84(), "park");
    EXPECT_TRUE(toWgs84->Transform(1, &lon, &lat));
    const sensors::RankingPark rp = sensors::rankingPark(park, lat, lon);

    // The stations' wind, as the ranking will read it back from the store.
    const UtcOffset local{420};
    const UtcTime first = fromLocal(2024, 1, 15, kFirstLocalHour, 0, 0, local);
    const fs::path metDb = dir / "met.sqlite";
    {
        sensors::ReadingStore store(metDb);
        std::vector<sensors::Reading> met;
        for (int h = 0; h < kHours; ++h) {
            const UtcTime end = first + std::chrono::hours(h + 1);
            met.push_back({"S1", "WS", end, windSpeed_ms(h), "m/s"});
            met.push_back({"S1", "WD", end, 22.5 * (h % 16), "deg"});
            met.push_back({"S1", "TEMP", end, 25.0, "degC"});
        }
        store.writeBatch(met, "met");
    }
    const sensors::ReadingStore store(metDb);
    const MetSeries metSeries = sensors::metFromReadings(
        store, first, first + std::chrono::hours(kHours) + std::chrono::seconds(1), lat, lon, {});
    EXPECT_EQ(metSeries.hours.size(), std::size_t(kHours));

    std::vector<sensors::AttributionSample> samples;
    for (int h = 0; h < kHours; ++h)
        for (std::size_t s = 0; s < rp.sensors.size(); ++s)
            samples.push_back({s, first + std::chrono::hours(h) + std::chrono::minutes(30), 0});
    const auto unit = sensors::plumeUnitContributions(rp.stacks, metSeries, rp.sensors, samples,
                                                      dispersion::PlumeOptions{});
    const std::size_t big = rp.stacks[0].id == "big" ? 0 : 1;
    double peak = 0;
    for (std::size_t k = 0; k < samples.size(); ++k)
        peak = std::max(peak, unit[big][k] + 0.3 * unit[1 - big][k]);
    EXPECT_GT(peak, 0);

    Record r;
    r.bigRate_gs = 700.0 / peak;
    r.smallRate_gs = 0.3 * r.bigRate_gs;
    r.csv = dir / (withWind ? "record.csv" : "record_no_wind.csv");
    std::ofstream csv(r.csv);
    csv << kPrsaHeader;
    std::mt19937_64 rng(2026);
    int no = 0;
    for (int h = 0; h < kHours; ++h)
        for (std::size_t s = 0; s < rp.sensors.size(); ++s) {
            const std::size_t k = std::size_t(h) * rp.sensors.size() + s;
            const double clean =
                15.0 + r.bigRate_gs * unit[big][k] + r.smallRate_gs * unit[1 - big][k];
            csv << prsaRow(++no, h, fmt::format("{:.1f}", clean * uniform(rng, 0.7, 1.3)),
                           withWind ? kCompass[h % 16] : "NA",
                           withWind ? fmt::format("{:.1f}", windSpeed_ms(h)) : "NA",
                           rp.sensorIds[s]);
        }
    return r;
}

/// source_id of the rows of incident_sources in rank order, by incident id.
std::map<std::int64_t, std::vector<std::string>> storedRankings(const fs::path& db) {
    sqlite3* c = nullptr;
    std::map<std::int64_t, std::vector<std::string>> out;
    if (sqlite3_open_v2(db.c_str(), &c, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(c);
        return out;
    }
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(c,
                       "SELECT incident_id, source_id FROM incident_sources "
                       "ORDER BY incident_id, rank",
                       -1, &st, nullptr);
    while (st && sqlite3_step(st) == SQLITE_ROW)
        out[sqlite3_column_int64(st, 0)].push_back(
            reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
    sqlite3_finalize(st);
    sqlite3_close(c);
    return out;
}

} // namespace

TEST(IncidentRankingCli, CsvIngestWithAParkRanksTheLargerSourceFirst) {
    const fs::path dir = test::scratchDir();
    const fs::path manifest = writePark(dir);
    const Record record = writeRecord(dir, manifest, true);
    const fs::path db = dir / "readings.sqlite";

    // The park given as its folder, as a user may.
    const Outcome ingest = run("ingest --db " + db.string() + " --csv " + record.csv.string() +
                               " --park " + dir.string() + " --lead-in-hours 48");
    ASSERT_EQ(ingest.exitCode, 0) << ingest.out;
    EXPECT_NE(ingest.out.find("incident 1 opened"), std::string::npos) << ingest.out;

    const auto stored = storedRankings(db);
    ASSERT_FALSE(stored.empty()) << ingest.out;
    for (const auto& [id, ranking] : stored)
        EXPECT_EQ(ranking.size(), 2u) << "incident " << id;

    const Outcome listed = run("incidents --json --db " + db.string(), true);
    ASSERT_EQ(listed.exitCode, 0) << listed.out;
    const json j = json::parse(listed.out);
    ASSERT_FALSE(j["incidents"].empty());
    // The incident seen over the most readings is the best determined.
    const json* best = nullptr;
    for (const json& inc : j["incidents"]) {
        ASSERT_TRUE(inc["sources"]["ranked"].get<bool>()) << inc.dump(2);
        if (!best || inc["sources"]["samples"] > (*best)["sources"]["samples"])
            best = &inc;
    }
    const json& sources = (*best)["sources"]["sources"];
    ASSERT_EQ(sources.size(), 2u) << best->dump(2);
    std::printf("best-determined incident: %s %.1f g/s (true %.1f), %s %.1f g/s (true %.1f), "
                "over %d readings\n",
                sources[0]["source"].get<std::string>().c_str(),
                sources[0]["rate_gs"].get<double>(),
                sources[0]["source"] == "big" ? record.bigRate_gs : record.smallRate_gs,
                sources[1]["source"].get<std::string>().c_str(),
                sources[1]["rate_gs"].get<double>(),
                sources[1]["source"] == "big" ? record.bigRate_gs : record.smallRate_gs,
                (*best)["sources"]["samples"].get<int>());
    const auto table = stored.find((*best)["id"].get<std::int64_t>());
    ASSERT_NE(table, stored.end());
    EXPECT_EQ(table->second, (std::vector<std::string>{"big", "small"}));
    EXPECT_EQ(sources[0]["source"], "big");
    EXPECT_EQ(sources[0]["rank"], 1);
    for (const json& s : sources) {
        const double truth = s["source"] == "big" ? record.bigRate_gs : record.smallRate_gs;
        EXPECT_GT(s["rate_gs"].get<double>(), truth / 2) << s.dump();
        EXPECT_LT(s["rate_gs"].get<double>(), truth * 2) << s.dump();
    }
    EXPECT_GT(sources[0]["score"].get<double>(), sources[1]["score"].get<double>());

    const Outcome text = run("incidents --db " + db.string());
    ASSERT_EQ(text.exitCode, 0) << text.out;
    EXPECT_NE(text.out.find("sources ranked"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("1. big"), std::string::npos) << text.out;
}

TEST(IncidentRankingCli, WithoutAParkOrWindTheListingSaysWhy) {
    const fs::path dir = test::scratchDir();
    const fs::path manifest = writePark(dir);
    const Record record = writeRecord(dir, manifest, true);
    const std::string thresholds =
        (test::assetsDir() / "regulation" / "qcvn_thresholds.csv").string();

    // Alarms without a park: the incidents are stored with the reason.
    const fs::path noPark = dir / "no_park.sqlite";
    const Outcome ingest = run("ingest --db " + noPark.string() + " --csv " +
                               record.csv.string() + " --thresholds " + thresholds);
    ASSERT_EQ(ingest.exitCode, 0) << ingest.out;
    EXPECT_NE(ingest.out.find("no --park"), std::string::npos) << ingest.out;
    EXPECT_TRUE(storedRankings(noPark).empty());
    const Outcome text = run("incidents --db " + noPark.string());
    ASSERT_EQ(text.exitCode, 0) << text.out;
    EXPECT_NE(text.out.find("not ranked"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("no park model"), std::string::npos) << text.out;
    const Outcome listed = run("incidents --json --db " + noPark.string(), true);
    const json j = json::parse(listed.out);
    ASSERT_FALSE(j["incidents"].empty()) << listed.out;
    for (const json& inc : j["incidents"]) {
        EXPECT_FALSE(inc["sources"]["ranked"].get<bool>());
        EXPECT_NE(inc["sources"]["reason"].get<std::string>().find("--park"), std::string::npos);
        EXPECT_TRUE(inc["sources"]["sources"].empty());
    }

    // Ranked afterwards, on demand, over the park.
    const std::int64_t first = j["incidents"][0]["id"].get<std::int64_t>();
    const Outcome again = run("incidents --db " + noPark.string() + " --attribute " +
                                  std::to_string(first) + " --park " + manifest.string() +
                                  " --lead-in-hours 48 --json",
                              true);
    ASSERT_EQ(again.exitCode, 0) << again.out;
    const json ranked = json::parse(again.out);
    EXPECT_TRUE(ranked["sources"]["ranked"].get<bool>()) << again.out;
    EXPECT_EQ(ranked["sources"]["trigger"], "on demand");
    EXPECT_EQ(storedRankings(noPark).count(first), 1u);

    // A park but no wind in the record.
    const Record calm = writeRecord(dir, manifest, false);
    const fs::path noWind = dir / "no_wind.sqlite";
    ASSERT_EQ(run("ingest --db " + noWind.string() + " --csv " + calm.csv.string() +
                  " --park " + manifest.string())
                  .exitCode,
              0);
    const Outcome why = run("incidents --db " + noWind.string());
    EXPECT_NE(why.out.find("no wind recorded"), std::string::npos) << why.out;
}

TEST(IncidentRankingCli, DropFolderIngestWithAParkRanksItsIncident) {
    const fs::path dir = test::scratchDir();
    const fs::path manifest = writePark(dir);
    const fs::path drop = dir / "drop";
    fs::create_directories(drop);
    // Three hours of 5-minute station files from S4, downwind of both stacks in a south-west
    // wind; its SO2 runs at 400 µg/m³ in the last hour, over the 350 µg/m³ 1 h limit.
    for (int step = 1; step <= 36; ++step) {
        const int minutes = 5 * step;
        const std::string stamp =
            fmt::format("20240115{:02}{:02}00", 8 + minutes / 60, minutes % 60);
        const double so2 = step > 24 ? 400.0 : 60.0;
        std::ofstream(drop / ("S4_" + stamp + ".txt"))
            << fmt::format("SO2\t{}\tug/m3\t{}\t00\r\nWS\t3.0\tm/s\t{}\t00\r\n"
                           "WD\t225\tdeg\t{}\t00\r\n",
                           so2, stamp, stamp, stamp);
    }
    const fs::path db = dir / "readings.sqlite";
    const Outcome ingest = run("ingest --db " + db.string() + " --watch " + drop.string() +
                               " --once --park " + manifest.string());
    ASSERT_EQ(ingest.exitCode, 0) << ingest.out;
    EXPECT_NE(ingest.out.find("36 files processed"), std::string::npos) << ingest.out;

    const Outcome listed = run("incidents --json --db " + db.string(), true);
    ASSERT_EQ(listed.exitCode, 0) << listed.out;
    const json j = json::parse(listed.out);
    ASSERT_EQ(j["incidents"].size(), 1u) << listed.out;
    const json& sources = j["incidents"][0]["sources"];
    ASSERT_TRUE(sources["ranked"].get<bool>()) << sources.dump(2);
    EXPECT_EQ(sources["sources"].size(), 2u);
    EXPECT_EQ(storedRankings(db).size(), 1u);
}
