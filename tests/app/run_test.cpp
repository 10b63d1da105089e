// The main job end to end: `parktwin run` on the bundled Thái Nguyên scenario, with the
// outputs read back by independent tools (gdalinfo, sqlite3) rather than by our own code.

#include "test_paths.h"
#include "shell_command.h"

#include <cmath>
#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using parktwin::test::capture;

class BundledRun : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        // One folder per process: ctest -j runs each test of the suite in its own process.
        out_ = fs::path(PARKTWIN_BINARY_DIR) / "test-scratch" /
               ("BundledRun-" + std::to_string(::getpid()));
        fs::remove_all(out_);
        const std::string command =
            std::string(PARKTWIN_EXE) + " --quiet run --no-progress " +
            (parktwin::test::sourceDir() / "scenarios" / "thai_nguyen_baseline.toml").string() +
            " --out " + out_.string() + " 2>&1";
        output_ = capture(command, &exitCode_);
    }

    static void TearDownTestSuite() { fs::remove_all(out_); }

    static json gdalinfo(const fs::path& tif) {
        int rc = -1;
        const std::string text = capture("gdalinfo -json -stats " + tif.string(), &rc);
        fs::remove(tif.string() + ".aux.xml");
        EXPECT_EQ(rc, 0) << text;
        return json::parse(text);
    }

    static inline fs::path out_;
    static inline std::string output_;
    static inline int exitCode_ = -1;
};

} // namespace

TEST_F(BundledRun, ExitsCleanlyAndWritesEveryOutput) {
    ASSERT_EQ(exitCode_, 0) << output_;
    for (const char* f : {"period_max.tif", "period_mean.tif", "results.sqlite", "run_summary.json",
                          "run_summary.txt"})
        EXPECT_TRUE(fs::exists(out_ / f)) << f;
    // 72 hours from 2016-03-01T00:00+07:00: the first hourly raster is named in local time.
    EXPECT_TRUE(fs::exists(out_ / "hourly" / "hour_20160301T00.tif"));
    EXPECT_TRUE(fs::exists(out_ / "hourly" / "hour_20160303T23.tif"));
}

TEST_F(BundledRun, GeoTiffIsInUtm48nAndCoversTheSteelWorks) {
    ASSERT_EQ(exitCode_, 0) << output_;
    const json info = gdalinfo(out_ / "period_max.tif");
    const std::string wkt = info["coordinateSystem"]["wkt"];
    EXPECT_NE(wkt.find("UTM zone 48N"), std::string::npos);
    EXPECT_NE(wkt.find("\"EPSG\",32648"), std::string::npos);

    // Extent of OSM way 483040802 (Khu công nghiệp Gang Thép Thái Nguyên) in EPSG:32648, from
    //   ogr2ogr -t_srs EPSG:32648 -where "osm_id='483040802'" out.geojson osm_landuse_a.geojson
    // and its coordinates: E 588796.1 to 591298.8, N 2383292.6 to 2385342.7.
    const auto& c = info["cornerCoordinates"];
    EXPECT_LT(c["lowerLeft"][0].get<double>(), 588796.1);
    EXPECT_LT(c["lowerLeft"][1].get<double>(), 2383292.6);
    EXPECT_GT(c["upperRight"][0].get<double>(), 591298.8);
    EXPECT_GT(c["upperRight"][1].get<double>(), 2385342.7);

    // GDAL reads no side-car file into the raster (a file named summary.txt beside it would be
    // taken for ALOS satellite metadata).
    EXPECT_EQ(info["files"].size(), 1u) << info["files"].dump();

    const auto& band = info["bands"][0];
    EXPECT_EQ(band["unit"], "ug/m3");
    EXPECT_DOUBLE_EQ(band["noDataValue"].get<double>(), -9999.0);
    EXPECT_GT(band["maximum"].get<double>(), 0.0);
}

TEST_F(BundledRun, MaximumIsPositiveAndDownwindOfItsStack) {
    ASSERT_EQ(exitCode_, 0) << output_;
    std::ifstream in(out_ / "run_summary.json");
    const json s = json::parse(in);
    const json& m = s["maximum_1h"];
    const double value = m["value"];
    EXPECT_GT(value, 0.0);

    // The raster's maximum (gdalinfo, float32) is the summary's maximum.
    const json info = gdalinfo(out_ / "period_max.tif");
    EXPECT_NEAR(info["bands"][0]["maximum"].get<double>(), value, 1e-5 * value);

    // Downwind: the bearing from the nearest stack to the maximum lies within 30 degrees of
    // the direction the wind blows towards (wind-from + 180).
    const double towards = std::fmod(m["wind_from_deg"].get<double>() + 180.0, 360.0);
    double off = std::fabs(m["bearing_from_stack_deg"].get<double>() - towards);
    off = std::min(off, 360.0 - off);
    EXPECT_LT(off, 30.0) << "maximum at bearing " << m["bearing_from_stack_deg"]
                         << " from " << m["nearest_stack"] << ", wind towards " << towards;
}

TEST_F(BundledRun, ResultsStoreOpensInSqlite) {
    ASSERT_EQ(exitCode_, 0) << output_;
    int rc = -1;
    const std::string text =
        capture("sqlite3 " + (out_ / "results.sqlite").string() +
                    " 'PRAGMA integrity_check; SELECT COUNT(*) FROM hours; "
                    "SELECT value FROM run_metadata WHERE key = \"crs\";'",
                &rc);
    ASSERT_EQ(rc, 0) << text;
    EXPECT_EQ(text, "ok\n72\nEPSG:32648\n");
}
