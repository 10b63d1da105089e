// The analyst's outputs of `parktwin run` and `parktwin diff`, read back with GDAL's tools
// (ogrinfo, gdalinfo) and plain text, as a user would.

#include "test_paths.h"
#include "shell_command.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// Runs a command with its standard error joined to the output.
std::string capture(const std::string& command, int* exitCode) {
    return parktwin::test::capture(command + " 2>&1", exitCode);
}

std::string read(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::vector<std::string>> csv(const fs::path& file) {
    std::vector<std::vector<std::string>> rows;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> fields(1);
        bool quoted = false;
        for (char c : line) {
            if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
                fields.emplace_back();
            else
                fields.back() += c;
        }
        rows.push_back(fields);
    }
    return rows;
}

int column(const std::vector<std::vector<std::string>>& t, const std::string& name) {
    for (size_t k = 0; k < t.front().size(); ++k)
        if (t.front()[k] == name)
            return static_cast<int>(k);
    ADD_FAILURE() << "no column " << name;
    return 0;
}

json gdalinfo(const std::string& dataset) {
    int rc = -1;
    const std::string text = capture("gdalinfo -json -stats " + dataset, &rc);
    EXPECT_EQ(rc, 0) << text;
    return json::parse(text.substr(text.find('{')));
}

int featureCount(const std::string& info) {
    std::smatch m;
    return std::regex_search(info, m, std::regex("Feature Count: (\\d+)")) ? std::stoi(m[1])
                                                                           : -1;
}

class AnalystRun : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        out_ = fs::path(PARKTWIN_BINARY_DIR) / "test-scratch" / "AnalystRun";
        fs::remove_all(out_);
        // Without a display: the maps have their own test, on a smaller run.
        output_ = capture("env -u DISPLAY " + std::string(PARKTWIN_EXE) +
                              " --quiet run --no-progress " +
                              (parktwin::test::sourceDir() / "scenarios" /
                               "thai_nguyen_baseline.toml")
                                  .string() +
                              " --out " + out_.string(),
                          &exitCode_);
    }
    static inline fs::path out_;
    static inline std::string output_;
    static inline int exitCode_ = -1;
};

void checkOneRunWritesBaselineVariantDiffAndReport(const fs::path& run) {
    for (const char* f : {"compliance.csv", "receptors.csv", "results.gpkg", "report.html",
                          "averages/so2_1h_total.tif", "averages/so2_24h_modelled.tif",
                          "variants/cao_ngan_stack_180m/compliance.csv",
                          "variants/cao_ngan_stack_180m/period_max.tif",
                          "diff/cao_ngan_stack_180m/averages/so2_1h_total.tif",
                          "diff/cao_ngan_stack_180m/diff_receptors.csv",
                          "diff/cao_ngan_stack_180m/diff_maxima.csv"})
        EXPECT_TRUE(fs::exists(run / f)) << f;
}

void checkBackgroundRowsMatchTheStationRecord(const fs::path& run) {
    const auto t = csv(run / "compliance.csv");
    const int loc = column(t, "location_id"), per = column(t, "period"),
              high = column(t, "highest_ugm3"), when = column(t, "highest_start_local"),
              lim = column(t, "limit_ugm3"), avg = column(t, "averages"),
              inc = column(t, "incomplete");
    int found = 0;
    for (const auto& r : t) {
        if (r[loc] != "background")
            continue;
        ++found;
        // awk over PRSA_Data_Dongsi: SO2 of the stamps 2016-03-01 01:00 to 2016-03-04 00:00
        // (UTC+8) peaks at 62 on 2016-03-03 13:00 (+08:00), 12:00 park time; the local day
        // 2016-03-03 (stamps 03-03 01:00 to 03-04 00:00) averages 1166 / 24 = 48.5833.
        if (r[per] == "1h") {
            EXPECT_EQ(r[high], "62");
            EXPECT_EQ(r[when], "2016-03-03T12:00:00+07:00");
            EXPECT_EQ(r[lim], "350");
        } else if (r[per] == "24h") {
            EXPECT_NEAR(std::stod(r[high]), 1166.0 / 24.0, 1e-3);
            EXPECT_EQ(r[avg], "3");
            EXPECT_EQ(r[lim], "125");
        } else if (r[per] == "year") {
            // 72 hours of a year are far from complete: no annual mean.
            EXPECT_EQ(r[avg], "0");
            EXPECT_EQ(r[inc], "1");
        }
    }
    EXPECT_EQ(found, 3);
}

void checkTotalIsNeverBelowModelledAndAllSitesAppear(const fs::path& run) {
    const auto r = csv(run / "receptors.csv");
    // 9 of the park's 37 sensitive sites lie inside the receptor grid (the run's log says so).
    EXPECT_EQ(r.size(), 10u);
    const int m1 = column(r, "so2_1h_modelled"), t1 = column(r, "so2_1h_total");
    for (size_t k = 1; k < r.size(); ++k) {
        EXPECT_GT(std::stod(r[k][m1]), 0.0) << r[k][1];
        EXPECT_GE(std::stod(r[k][t1]), std::stod(r[k][m1])) << r[k][1];
    }
}

void checkGeoPackageAsOgrinfoAndGdalinfoSeeIt(const fs::path& run) {
    const std::string gpkg = (run / "results.gpkg").string();
    int rc = -1;
    const std::string layers = capture("ogrinfo -ro -q " + gpkg, &rc);
    ASSERT_EQ(rc, 0) << layers;
    for (const char* name : {"receptors (Point)", "contours (Line String)", "park_boundary",
                             "areas", "buildings", "roads", "stacks (Point)"})
        EXPECT_NE(layers.find(name), std::string::npos) << name;
    const std::string receptors = capture("ogrinfo -ro -so " + gpkg + " receptors", &rc);
    EXPECT_EQ(featureCount(receptors), 9);
    EXPECT_NE(receptors.find("WGS 84 / UTM zone 48N"), std::string::npos);
    EXPECT_GT(featureCount(capture("ogrinfo -ro -so " + gpkg + " contours", &rc)), 0);
    EXPECT_EQ(featureCount(capture("ogrinfo -ro -so " + gpkg + " stacks", &rc)), 4);
    EXPECT_EQ(featureCount(capture("ogrinfo -ro -so " + gpkg + " park_boundary", &rc)), 2);

    // The raster table holds the same grid as the GeoTIFF of the same name.
    const json table = gdalinfo("GPKG:" + gpkg + ":so2_1h_total");
    const json tif = gdalinfo((run / "averages" / "so2_1h_total.tif").string());
    fs::remove(gpkg + ".aux.xml");
    fs::remove((run / "averages" / "so2_1h_total.tif").string() + ".aux.xml");
    EXPECT_EQ(table["size"], tif["size"]);
    for (int k = 0; k < 6; ++k) // the GeoPackage stores the extent as decimal text
        EXPECT_NEAR(table["geoTransform"][k].get<double>(), tif["geoTransform"][k].get<double>(),
                    1e-6);
    EXPECT_NEAR(table["bands"][0]["maximum"].get<double>(),
                tif["bands"][0]["maximum"].get<double>(), 1e-3);
    EXPECT_EQ(tif["metadata"][""]["AVERAGING_PERIOD"], "1h");
    EXPECT_EQ(tif["metadata"][""]["COMPONENT"], "total");
}

void checkTallerStackLowersTheParkWideMaximum(const fs::path& run) {
    const auto t = csv(run / "diff" / "cao_ngan_stack_180m" / "diff_maxima.csv");
    const int q = column(t, "quantity"), a = column(t, "a_ugm3"), b = column(t, "b_ugm3"),
              c = column(t, "change_ugm3");
    bool seen = false;
    for (const auto& r : t)
        if (r[q] == "SO2 1h modelled") {
            seen = true;
            EXPECT_LT(std::stod(r[b]), std::stod(r[a]));
            EXPECT_NEAR(std::stod(r[c]), std::stod(r[b]) - std::stod(r[a]), 1e-3);
        }
    EXPECT_TRUE(seen);
}

void checkReportHoldsTablesWindRoseAndMapsOrANote(const fs::path& run) {
    const std::string html = read(run / "report.html");
    EXPECT_NE(html.find("<svg"), std::string::npos);
    EXPECT_NE(html.find("Compliance: Gang Thép"), std::string::npos);
    EXPECT_NE(html.find("Cao Ngạn stack raised to 180 m against the baseline"), std::string::npos);
    EXPECT_NE(html.find("Bệnh viện Đa khoa Trung Ương Thái Nguyên"), std::string::npos);
    // The run had no display: the report says so instead of showing maps.
    EXPECT_NE(html.find("Maps were not drawn: the run had no X display"), std::string::npos);
}

} // namespace

// One run of the bundled scenario (the baseline and its taller-stack variant) checked in turn:
// under ctest every test is a process of its own, and the run is what takes the time.
TEST_F(AnalystRun, BundledScenarioWithItsVariant) {
    ASSERT_EQ(exitCode_, 0) << output_;
    {
        SCOPED_TRACE("OneRunWritesBaselineVariantDiffAndReport");
        checkOneRunWritesBaselineVariantDiffAndReport(out_);
    }
    {
        SCOPED_TRACE("BackgroundRowsMatchTheStationRecord");
        checkBackgroundRowsMatchTheStationRecord(out_);
    }
    {
        SCOPED_TRACE("TotalIsNeverBelowModelledAndAllSitesAppear");
        checkTotalIsNeverBelowModelledAndAllSitesAppear(out_);
    }
    {
        SCOPED_TRACE("GeoPackageAsOgrinfoAndGdalinfoSeeIt");
        checkGeoPackageAsOgrinfoAndGdalinfoSeeIt(out_);
    }
    {
        SCOPED_TRACE("TallerStackLowersTheParkWideMaximum");
        checkTallerStackLowersTheParkWideMaximum(out_);
    }
    {
        SCOPED_TRACE("ReportHoldsTablesWindRoseAndMapsOrANote");
        checkReportHoldsTablesWindRoseAndMapsOrANote(out_);
    }
}

TEST(AnalystMaps, ReportMapsAreDrawnUnderADisplay) {
    const char* display = std::getenv("DISPLAY");
    if (!display || !*display)
        GTEST_SKIP() << "no X display (the suite runs this under xvfb-run)";
    const fs::path dir = parktwin::test::scratchDir();
    const fs::path src = parktwin::test::sourceDir();
    std::ofstream(dir / "maps.toml")
        << "[scenario]\nname = \"maps\"\npark = \""
        << (src / "assets/thai_nguyen/park.toml").string()
        << "\"\nstart = \"2016-03-01T00:00\"\nend = \"2016-03-02T00:00\"\n"
           "[met]\nformat = \"prsa-csv\"\nfile = \""
        << (src / "assets/met/PRSA_Data_Dongsi_20130301-20170228.csv").string()
        << "\"\nlatitude = 39.929\nlongitude = 116.417\nutc_offset = \"+08:00\"\n"
           "[receptors]\nspacing_m = 400.0\n"
           "[outputs]\nhourly_geotiff = false\n"
           "[[sources]]\nstack = \"cao-ngan-stack\"\nemission_rate_gs = 60.0\n";
    int rc = -1;
    const std::string out = capture(std::string(PARKTWIN_EXE) + " --quiet run --no-progress " +
                                        (dir / "maps.toml").string() + " --out " +
                                        (dir / "out").string(),
                                    &rc);
    ASSERT_EQ(rc, 0) << out;
    const std::string html = read(dir / "out" / "report.html");
    for (const char* map :
         {"report/maps_so2_1h_modelled.png", "report/maps_so2_24h_modelled.png"}) {
        EXPECT_TRUE(fs::exists(dir / "out" / map)) << map;
        EXPECT_NE(html.find(map), std::string::npos) << map;
    }
}

TEST(AnalystDiff, VariantThatChangesNothingGivesExactlyZero) {
    const fs::path dir = parktwin::test::scratchDir();
    const fs::path src = parktwin::test::sourceDir();
    // A day on a coarse grid (from 06:00, so the first local day has 18 hours, just enough to
    // count); the variant sets the sinter stack to the height and rate it already has.
    std::ofstream(dir / "same.toml")
        << "[scenario]\nname = \"base\"\npark = \""
        << (src / "assets/thai_nguyen/park.toml").string()
        << "\"\nstart = \"2016-03-01T06:00\"\nend = \"2016-03-02T06:00\"\n"
           "[met]\nformat = \"prsa-csv\"\nfile = \""
        << (src / "assets/met/PRSA_Data_Dongsi_20130301-20170228.csv").string()
        << "\"\nlatitude = 39.929\nlongitude = 116.417\nutc_offset = \"+08:00\"\n"
           "[receptors]\nspacing_m = 500.0\n"
           "[background]\nvalue_ugm3 = 15.0\n"
           "[outputs]\nhourly_geotiff = false\nreport = false\n"
           "[[sources]]\nstack = \"gtt-sinter-stack\"\nemission_rate_gs = 40.0\n"
           "[[sources]]\nstack = \"cao-ngan-stack\"\nemission_rate_gs = 60.0\n"
           "[[variants]]\nname = \"same\"\n[[variants.sources]]\n"
           "stack = \"gtt-sinter-stack\"\nheight_m = 100.0\nemission_rate_gs = 40.0\n";
    int rc = -1;
    const std::string out = capture(std::string(PARKTWIN_EXE) + " --quiet run --no-progress " +
                                        (dir / "same.toml").string() + " --out " +
                                        (dir / "out").string(),
                                    &rc);
    ASSERT_EQ(rc, 0) << out;
    const fs::path diff = dir / "out" / "diff" / "same";
    int rasters = 0;
    for (const auto& e : fs::recursive_directory_iterator(diff)) {
        if (e.path().extension() != ".tif")
            continue;
        ++rasters;
        const json info = gdalinfo(e.path().string());
        fs::remove(e.path().string() + ".aux.xml");
        EXPECT_EQ(info["bands"][0]["minimum"].get<double>(), 0.0) << e.path();
        EXPECT_EQ(info["bands"][0]["maximum"].get<double>(), 0.0) << e.path();
    }
    EXPECT_EQ(rasters, 10); // period max and mean; 1 h, 8 h, 24 h, year, modelled and total
    const auto t = csv(diff / "diff_receptors.csv");
    ASSERT_GT(t.size(), 1u);
    for (size_t k = 1; k < t.size(); ++k) {
        if (!t[k][6].empty()) {
            EXPECT_EQ(t[k][6], "0") << t[k][3];
        }
    }

    // The command on its own, on the same two folders.
    const std::string text = capture(std::string(PARKTWIN_EXE) + " diff " +
                                         (dir / "out").string() + " " +
                                         (dir / "out" / "variants" / "same").string() +
                                         " --out " + (dir / "cli").string(),
                                     &rc);
    EXPECT_EQ(rc, 0) << text;
    EXPECT_NE(text.find("No change at the"), std::string::npos) << text;
}

TEST(AnalystDiff, FolderThatIsNotARunIsRefused) {
    const fs::path dir = parktwin::test::scratchDir();
    fs::create_directories(dir / "a");
    fs::create_directories(dir / "b");
    int rc = -1;
    const std::string text = capture(std::string(PARKTWIN_EXE) + " diff " +
                                         (dir / "a").string() + " " + (dir / "b").string(),
                                     &rc);
    EXPECT_EQ(rc, 1) << text;
    EXPECT_NE(text.find("parktwin: error:"), std::string::npos) << text;
    EXPECT_EQ(capture(std::string(PARKTWIN_EXE) + " diff " + (dir / "a").string(), &rc).empty(),
              false);
    EXPECT_EQ(rc, 2); // a missing argument is a usage error
}
