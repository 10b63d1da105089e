// ISC block averages against hand-worked sums, with ISC3's calm rule (FIELD-NOTES.md; ISC3
// user's guide vol I section 3.2.3): calm hours count as zero and a short-term average divides
// by the larger of its valid hours and 75% of the block (3 h: 3, 24 h: 18); the period
// average divides by the valid hours only.

#include "engine/dispersion/averaging.h"

#include <vector>

#include <gtest/gtest.h>

using namespace parktwin::dispersion;

namespace {
IscHour hourOf(int day, int h) { return {1964, 1, day, h}; }
} // namespace

TEST(DispersionAveraging, ThreeHourBlocksWithACalmHour) {
    AveragingAccumulator acc(1, {3}, 2, 5);
    const double values[] = {3.0, 6.0, 0.0, 1.0, 2.0, 3.0};
    for (int h = 1; h <= 6; ++h) {
        const std::vector<double> c{values[h - 1]};
        acc.addHour(hourOf(1, h), c, h == 3, false);
    }
    // Block 1-3: (3 + 6) / max(2 valid, 3) = 3, flagged calm; block 4-6: 6 / 3 = 2.
    EXPECT_DOUBLE_EQ(acc.highest(0, 0, 0).value, 3.0);
    EXPECT_EQ(acc.highest(0, 0, 0).stamp, 64010103);
    EXPECT_EQ(acc.highest(0, 0, 0).flag(), 'c');
    EXPECT_DOUBLE_EQ(acc.highest(0, 0, 1).value, 2.0);
    EXPECT_EQ(acc.highest(0, 0, 1).stamp, 64010106);
    EXPECT_EQ(acc.highest(0, 0, 1).flag(), ' ');
    // Period: 15 over the 5 valid hours.
    EXPECT_DOUBLE_EQ(acc.periodAverage(0), 3.0);
    EXPECT_EQ(acc.calmHours(), 1);
}

TEST(DispersionAveraging, DayWithSevenCalmsDividesByValidHours) {
    AveragingAccumulator acc(1, {24}, 1, 1);
    // 17 valid hours of 1.0 and 7 calms: 17 / max(17, 18) = 0.944444...
    for (int h = 1; h <= 24; ++h) {
        const std::vector<double> c{1.0};
        acc.addHour(hourOf(2, h), c, h <= 7, false);
    }
    EXPECT_NEAR(acc.highest(0, 0, 0).value, 17.0 / 18.0, 1e-12);
    // 5 calms: 19 valid hours, divided by 19 (more than 18).
    for (int h = 1; h <= 24; ++h) {
        const std::vector<double> c{2.0};
        acc.addHour(hourOf(3, h), c, h <= 5, false);
    }
    EXPECT_NEAR(acc.highest(0, 0, 0).value, 2.0, 1e-12);
    EXPECT_EQ(acc.top(0)[0].stamp, 64010324);
}

TEST(DispersionAveraging, TopTableKeepsTheHighestAcrossReceptors) {
    AveragingAccumulator acc(3, {1}, 1, 2);
    const std::vector<double> a{1.0, 5.0, 2.0}, b{4.0, 0.5, 6.0};
    acc.addHour(hourOf(1, 1), a, false, false);
    acc.addHour(hourOf(1, 2), b, false, false);
    ASSERT_EQ(acc.top(0).size(), 2u);
    EXPECT_DOUBLE_EQ(acc.top(0)[0].value, 6.0);
    EXPECT_EQ(acc.top(0)[0].receptor, 2u);
    EXPECT_DOUBLE_EQ(acc.top(0)[1].value, 5.0);
    EXPECT_EQ(acc.top(0)[1].stamp, 64010101);
}
