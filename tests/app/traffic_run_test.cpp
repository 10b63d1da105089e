// `parktwin run` on the bundled Thái Nguyên NOx scenario, whose trucks are simulated and then
// dispersed with the stacks, against the same scenario without its [logistics] section. The
// outputs are read back with gdallocationinfo and sqlite3, not with our own code.

#include "test_paths.h"
#include "shell_command.h"

#include <cstdio>
#include <fstream>
#include <iomanip>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using parktwin::test::capture;

void replaceAll(std::string& text, const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

/// The bundled scenario cut to its first 12 hours (the night's queue for the rolling mill's
/// shift and the morning peak), with paths made absolute and no report or GeoPackage.
std::string shortScenario() {
    std::ifstream in(parktwin::test::sourceDir() / "scenarios" / "thai_nguyen_nox.toml");
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    std::string absolute = parktwin::test::sourceDir().string();
    absolute.insert(absolute.begin(), '"');
    absolute.push_back('/');
    replaceAll(s, "\"../", absolute);
    replaceAll(s, "end = \"2016-03-04T00:00\"", "end = \"2016-03-01T12:00\"");
    replaceAll(s, "hourly_geotiff = true", "hourly_geotiff = false\nreport = false\n"
                                           "geopackage = false");
    return s;
}

double valueAt(const fs::path& tif, double lon, double lat) {
    int rc = -1;
    std::ostringstream command;
    command << std::fixed << std::setprecision(6) << "gdallocationinfo -valonly -wgs84 "
            << tif.string() << " " << lon << " " << lat;
    const std::string text = capture(command.str(), &rc);
    EXPECT_EQ(rc, 0) << text;
    return std::stod(text);
}

class TrafficRun : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        root_ = fs::path(PARKTWIN_BINARY_DIR) / "test-scratch" / "TrafficRun";
        fs::remove_all(root_);
        fs::create_directories(root_);
        const std::string with = shortScenario();
        ASSERT_NE(with.find("\n[logistics]"), std::string::npos);
        const std::string without = with.substr(0, with.find("\n[logistics]"));
        for (const auto& [name, text] : {std::pair{"with", with}, std::pair{"without", without}}) {
            std::ofstream(root_ / (std::string(name) + ".toml")) << text;
            int rc = -1;
            const std::string out =
                capture(std::string(PARKTWIN_EXE) + " --quiet run --no-progress " +
                            (root_ / (std::string(name) + ".toml")).string() + " --out " +
                            (root_ / name).string() + " 2>&1",
                        &rc);
            ASSERT_EQ(rc, 0) << out;
        }
    }

    static inline fs::path root_;
};

} // namespace

TEST_F(TrafficRun, StoresTheTrucksContribution) {
    std::ifstream in(root_ / "with" / "run_summary.json");
    const json summary = json::parse(in);
    const json& t = summary.at("trucks");
    EXPECT_TRUE(t.at("dispersed").get<bool>());
    EXPECT_EQ(t.at("truck_class"), "HDV_D_EU3");
    EXPECT_GT(t.at("road_g").get<double>(), 0);
    EXPECT_GT(t.at("highest_1h_alone_ugm3").get<double>(), 0);
    EXPECT_GE(t.at("share_of_overall_maximum").get<double>(), 0);
    EXPECT_LE(t.at("share_of_overall_maximum").get<double>(), 1 + 1e-9);

    int rc = -1;
    const std::string store =
        capture("sqlite3 " + (root_ / "with" / "results.sqlite").string() +
                    " \"SELECT value > 0 FROM run_metadata WHERE key = 'traffic_total_g'; "
                    "SELECT COUNT(*), SUM(road_g) > 0, MAX(traffic_max_ugm3) > 0 "
                    "FROM traffic_hours; SELECT COUNT(*) FROM grids WHERE name LIKE "
                    "'traffic_period_%';\"",
                &rc);
    ASSERT_EQ(rc, 0) << store;
    EXPECT_EQ(store, "1\n12|1|1\n2\n");

    // Without [logistics] there is no traffic part at all.
    std::ifstream bare(root_ / "without" / "run_summary.json");
    EXPECT_FALSE(json::parse(bare).contains("trucks"));
    EXPECT_FALSE(fs::exists(root_ / "without" / "traffic_period_mean.tif"));
}

TEST_F(TrafficRun, TrucksRaiseTheAirBesideTheirRoad) {
    // 40 m east of the main works road, half way from the south gate to its bend
    // (planned_roads.geojson, feature gtt-main): every truck of the steel works passes here.
    const double lon = 105.86815, lat = 21.55465;
    const double with = valueAt(root_ / "with" / "period_mean.tif", lon, lat);
    const double without = valueAt(root_ / "without" / "period_mean.tif", lon, lat);
    const double trucks = valueAt(root_ / "with" / "traffic_period_mean.tif", lon, lat);
    EXPECT_GT(trucks, 0.1);
    EXPECT_GT(with, without);
    // The two runs differ by the trucks' own grid (GeoTIFFs hold 32-bit floats).
    EXPECT_NEAR(with - without, trucks, 1e-4 * with + 1e-5);
}
