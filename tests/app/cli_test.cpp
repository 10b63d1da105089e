// Runs the parktwin command on broken inputs and checks that each gives a clear one-line
// message naming the file (and the feature or key) and a non-zero exit, never a crash.

#include "test_paths.h"
#include "shell_command.h"

#include <array>
#include <cstdio>
#include <functional>
#include <fstream>
#include <sys/wait.h>

#include <gtest/gtest.h>

namespace fs = std::filesystem;
using parktwin::test::assetsDir;
using parktwin::test::scratchDir;

namespace {

using Outcome = parktwin::test::CommandResult;
using parktwin::test::runParktwin;

/// A copy of the bundled Thái Nguyên manifest with absolute data paths, edited by `edit`.
fs::path manifestVariant(const fs::path& dir, const std::function<void(std::string&)>& edit) {
    std::ifstream in(assetsDir() / "thai_nguyen" / "park.toml");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string assets = (assetsDir() / "thai_nguyen").string() + "/";
    for (size_t pos = 0; (pos = text.find("file = \"", pos)) != std::string::npos;) {
        pos += 8;
        text.insert(pos, assets);
    }
    edit(text);
    const fs::path out = dir / "park.toml";
    std::ofstream(out) << text;
    return out;
}

void replaceOnce(std::string& text, const std::string& from, const std::string& to) {
    const size_t pos = text.find(from);
    ASSERT_NE(pos, std::string::npos) << "fixture text not found: " << from;
    text.replace(pos, from.size(), to);
}

} // namespace

TEST(Cli, HelpListsTheSubcommands) {
    const Outcome o = runParktwin("--help");
    EXPECT_EQ(o.exitCode, 0);
    for (const char* sub : {"run", "view", "import"})
        EXPECT_NE(o.output.find(sub), std::string::npos) << o.output;
}

TEST(Cli, NoSubcommandIsAUsageError) {
    const Outcome o = runParktwin("");
    EXPECT_EQ(o.exitCode, 2);
    EXPECT_FALSE(o.crashed);
    EXPECT_EQ(runParktwin("run --bogus x.toml").exitCode, 2);
    // A window size the viewer cannot use is refused before any window opens.
    EXPECT_EQ(runParktwin("view --width -5 x.toml").exitCode, 2);
}

TEST(Cli, SnapshotWithoutADisplayFailsBeforeTheRun) {
    const fs::path dir = scratchDir();
    const std::string command =
        "env -u DISPLAY " + std::string(PARKTWIN_EXE) + " run --no-progress " +
        (parktwin::test::sourceDir() / "scenarios" / "thai_nguyen_baseline.toml").string() +
        " --out " + (dir / "out").string() + " --snapshot " + (dir / "v.png").string() + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    ASSERT_TRUE(pipe);
    std::string output;
    std::array<char, 4096> buf{};
    while (size_t n = fread(buf.data(), 1, buf.size(), pipe))
        output.append(buf.data(), n);
    const int status = pclose(pipe);
    EXPECT_EQ(WEXITSTATUS(status), 1) << output;
    EXPECT_NE(output.find("no X display"), std::string::npos) << output;
    // Nothing was computed: no results were written.
    EXPECT_FALSE(fs::exists(dir / "out" / "period_max.tif"));
}

TEST(Cli, PeriodOutsideTheMetRecordIsAnError) {
    const fs::path dir = scratchDir();
    std::ifstream in(parktwin::test::sourceDir() / "scenarios" / "thai_nguyen_baseline.toml");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string root = parktwin::test::sourceDir().string() + "/";
    for (size_t pos = 0; (pos = text.find("\"../", pos)) != std::string::npos;)
        text.replace(pos + 1, 3, root);
    // The Dongsi record ends on 2017-02-28.
    replaceOnce(text, "2016-03-01T00:00", "2020-03-01T00:00");
    replaceOnce(text, "2016-03-04T00:00", "2020-03-04T00:00");
    const fs::path scenario = dir / "late.toml";
    std::ofstream(scenario) << text;
    const Outcome o = runParktwin("run --no-progress " + scenario.string() + " --out " +
                                  (dir / "out").string());
    EXPECT_EQ(o.exitCode, 1) << o.output;
    EXPECT_NE(o.output.find("PRSA_Data_Dongsi"), std::string::npos) << o.output;
    EXPECT_NE(o.output.find("no met record"), std::string::npos) << o.output;
}

TEST(Cli, ImportsTheBundledPark) {
    const Outcome o =
        runParktwin("import --json " + (assetsDir() / "thai_nguyen" / "park.toml").string());
    ASSERT_EQ(o.exitCode, 0) << o.output;
    EXPECT_NE(o.output.find("EPSG:32648"), std::string::npos) << o.output;
}

TEST(Cli, MissingLayerFileNamesTheFile) {
    const fs::path dir = scratchDir();
    const fs::path manifest = manifestVariant(dir, [](std::string& t) {
        replaceOnce(t, "planned_roads.geojson", "no_such_roads.geojson");
    });
    const Outcome o = runParktwin("import " + manifest.string());
    EXPECT_EQ(o.exitCode, 1) << o.output;
    EXPECT_FALSE(o.crashed);
    EXPECT_NE(o.output.find("no_such_roads.geojson"), std::string::npos) << o.output;
}

TEST(Cli, UnknownCrsCodeNamesTheCode) {
    const fs::path dir = scratchDir();
    const fs::path manifest = manifestVariant(dir, [](std::string& t) {
        replaceOnce(t, "crs = \"auto\"", "crs = \"EPSG:999999\"");
    });
    const Outcome o = runParktwin("import " + manifest.string());
    EXPECT_EQ(o.exitCode, 1) << o.output;
    EXPECT_NE(o.output.find("EPSG:999999"), std::string::npos) << o.output;
    EXPECT_NE(o.output.find("park.toml"), std::string::npos) << o.output;
}

TEST(Cli, DemThatMissesTheParkNamesTheDem) {
    const fs::path dir = scratchDir();
    // A real SRTM cut west of both plots (the park lies east of 105.81 E).
    const fs::path dem = dir / "west_only.tif";
    const std::string cut = "gdal_translate -q -projwin 105.60 21.80 105.70 21.30 " +
                            (assetsDir() / "thai_nguyen" / "srtm3_thai_nguyen.tif").string() +
                            " " + dem.string();
    ASSERT_EQ(std::system(cut.c_str()), 0) << cut;
    const fs::path manifest = manifestVariant(dir, [&](std::string& t) {
        replaceOnce(t, (assetsDir() / "thai_nguyen").string() + "/srtm3_thai_nguyen.tif",
                    dem.string());
    });
    const Outcome o = runParktwin("import " + manifest.string());
    EXPECT_EQ(o.exitCode, 1) << o.output;
    EXPECT_NE(o.output.find("west_only.tif"), std::string::npos) << o.output;
}

TEST(Cli, BrokenPolygonIsSkippedByNameAndRefusedWhenStrict) {
    const fs::path dir = scratchDir();
    // Two buildings: one fine, one whose ring has only two distinct points.
    const fs::path broken = dir / "buildings.geojson";
    std::ofstream(broken) << R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"ok-1","height":10},"geometry":{"type":"Polygon",
 "coordinates":[[[105.870,21.560],[105.871,21.560],[105.871,21.561],[105.870,21.561],
 [105.870,21.560]]]}},
{"type":"Feature","properties":{"id":"broken-7","height":10},"geometry":{"type":"Polygon",
 "coordinates":[[[105.870,21.560],[105.871,21.560],[105.870,21.560]]]}}]})";
    const fs::path manifest = manifestVariant(dir, [&](std::string& t) {
        replaceOnce(t, (assetsDir() / "thai_nguyen").string() + "/planned_buildings.geojson",
                    broken.string());
    });
    const Outcome lenient = runParktwin("import " + manifest.string());
    EXPECT_EQ(lenient.exitCode, 0) << lenient.output;
    EXPECT_NE(lenient.output.find("broken-7"), std::string::npos) << lenient.output;

    const Outcome strict = runParktwin("import --strict " + manifest.string());
    EXPECT_EQ(strict.exitCode, 1) << strict.output;
    EXPECT_NE(strict.output.find("skipped"), std::string::npos) << strict.output;
}

TEST(Cli, UnparsableGeoJsonIsAnError) {
    const fs::path dir = scratchDir();
    const fs::path garbage = dir / "roads.geojson";
    std::ofstream(garbage) << "{\"type\": \"FeatureCollection\", \"features\": [ {oops";
    const fs::path manifest = manifestVariant(dir, [&](std::string& t) {
        replaceOnce(t, (assetsDir() / "thai_nguyen").string() + "/planned_roads.geojson",
                    garbage.string());
    });
    const Outcome o = runParktwin("import " + manifest.string());
    EXPECT_EQ(o.exitCode, 1) << o.output;
    EXPECT_FALSE(o.crashed);
    EXPECT_NE(o.output.find("roads.geojson"), std::string::npos) << o.output;
}

TEST(Cli, MissingScenarioFileIsAnError) {
    const Outcome o = runParktwin("run /nonexistent/scenario.toml");
    EXPECT_EQ(o.exitCode, 1) << o.output;
    EXPECT_NE(o.output.find("/nonexistent/scenario.toml"), std::string::npos) << o.output;
}
