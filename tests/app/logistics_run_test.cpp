// `parktwin run --json` on the bundled Kyoto Rakunan logistics scenario: KPIs on stdout as
// JSON, the same figures in the results store (read back with the sqlite3 tool) and the CSVs.

#include "test_paths.h"
#include "shell_command.h"

#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using parktwin::test::capture;

} // namespace

TEST(LogisticsRun, JsonKpisMatchTheResultsStore) {
    const fs::path out = fs::path(PARKTWIN_BINARY_DIR) / "test-scratch" / "LogisticsRun";
    fs::remove_all(out);
    int rc = -1;
    const std::string stdoutText = capture(
        std::string(PARKTWIN_EXE) + " --quiet run --no-progress --json " +
            (parktwin::test::sourceDir() / "scenarios" / "kyoto_rakunan_logistics.toml").string() +
            " --out " + out.string(),
        &rc);
    ASSERT_EQ(rc, 0) << stdoutText;
    const json j = json::parse(stdoutText);
    const json& k = j.at("logistics");
    EXPECT_GT(k.at("arrived").get<int>(), 500);
    EXPECT_EQ(k.at("completed").get<int>(), k.at("arrived").get<int>());
    EXPECT_EQ(k.at("docks").size(), 6u);
    EXPECT_NEAR(k.at("little_l").get<double>(), k.at("little_lambda_w").get<double>(),
                1e-9 * k.at("little_l").get<double>());

    const std::string fromStore =
        capture("sqlite3 " + (out / "results.sqlite").string() +
                    " \"SELECT value FROM logistics_kpis WHERE key = 'arrived'; "
                    "SELECT SUM(trucks) FROM logistics_throughput; SELECT COUNT(*) FROM "
                    "logistics_trucks;\"",
                &rc);
    ASSERT_EQ(rc, 0) << fromStore;
    const int arrived = k.at("arrived").get<int>();
    EXPECT_EQ(fromStore, std::to_string(arrived) + ".0\n" + std::to_string(arrived) + "\n" +
                             std::to_string(arrived) + "\n");
    EXPECT_GT(k.at("emissions").at("CO2_kg").get<double>(), 0);
    const std::string sources = capture("sqlite3 " + (out / "results.sqlite").string() +
                                            " \"SELECT COUNT(*) > 0 FROM logistics_sources WHERE "
                                            "pollutant = 'NOx' AND kind = 'line'; "
                                            "SELECT COUNT(*) > 0 FROM logistics_sources WHERE "
                                            "pollutant = 'NOx' AND kind = 'volume';\"",
                                        &rc);
    EXPECT_EQ(sources, "1\n1\n");
    for (const char* csv : {"logistics_kpis.csv", "logistics_queues.csv",
                            "logistics_throughput.csv", "logistics_docks.csv"})
        EXPECT_TRUE(fs::exists(out / csv)) << csv;
}
