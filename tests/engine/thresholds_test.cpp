#include "engine/core/error.h"
#include "engine/core/thresholds.h"
#include "test_paths.h"

#include <fstream>

#include <gtest/gtest.h>

using namespace parktwin;

TEST(Thresholds, BundledQcvnTableHasTheAmbientSo2Limits) {
    const ThresholdTable t =
        readThresholds(test::assetsDir() / "regulation" / "qcvn_thresholds.csv");
    // QCVN 05:2023/BTNMT, table 1: SO2 350 µg/m³ (1 h), 125 µg/m³ (24 h), 50 µg/m³ (year).
    ASSERT_TRUE(t.ambient("SO2", "1h"));
    EXPECT_DOUBLE_EQ(t.ambient("SO2", "1h")->limit, 350);
    EXPECT_DOUBLE_EQ(t.ambient("SO2", "24h")->limit, 125);
    EXPECT_DOUBLE_EQ(t.ambient("SO2", "year")->limit, 50);
    EXPECT_FALSE(t.ambient("SO2", "8h"));
    EXPECT_FALSE(t.ambient("Unobtainium", "1h"));
}

TEST(Thresholds, MalformedRowNamesTheLine) {
    const auto file = test::scratchDir() / "bad.csv";
    std::ofstream(file) << "regulation,status,parameter,column_or_period,limit,unit,grade,note\n"
                        << "QCVN 05:2023/BTNMT,in force,SO2,1h,350,ug/Nm3,S,\n"
                        << "QCVN 05:2023/BTNMT,in force,NO2,1h,lots,ug/Nm3,S,\n";
    try {
        readThresholds(file);
        FAIL() << "expected an InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("bad.csv"), std::string::npos) << e.what();
    }
}
