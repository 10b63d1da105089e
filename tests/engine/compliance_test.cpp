// The compliance arithmetic on a small case worked by hand: two local days of one site's
// hourly SO2, a constant background, QCVN 05:2023's SO2 limits (1 h 350, 24 h 125, year 50).

#include "engine/core/thresholds.h"
#include "engine/scenario/compliance.h"
#include "test_paths.h"

#include <cmath>

#include <gtest/gtest.h>

using namespace parktwin;
using namespace parktwin::scenario;

namespace {

// 2016-03-01T00:00 at UTC+7 = 2016-02-29T17:00Z = 1456765200 s.
const UtcTime kStart{std::chrono::seconds{1456765200}};
const UtcOffset kZone{420};
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// 48 hours: 10 ug/m3 except 400 at hour 3, 340 at hour 4, 380 at hour 30, and no value for
// the last `missing` hours.
std::vector<double> siteSeries(int missing) {
    std::vector<double> v(48, 10.0);
    v[3] = 400;
    v[4] = 340;
    v[30] = 380;
    for (int h = 48 - missing; h < 48; ++h)
        v[h] = kNaN;
    return v;
}

ThresholdTable qcvn() {
    return readThresholds(test::assetsDir() / "regulation" / "qcvn_thresholds.csv");
}

const ComplianceRow& row(const ComplianceResult& r, const std::string& id, Period p,
                         Component c) {
    for (const ComplianceRow& x : r.rows)
        if (x.locationId == id && x.period == p && x.component == c)
            return x;
    throw std::runtime_error("no row for " + id);
}

ComplianceResult evaluate(const std::vector<std::vector<double>>& series, double background,
                          int rank1h = 1) {
    static const ThresholdTable table = qcvn();
    ComplianceInput in;
    in.pollutant = "SO2";
    in.start = kStart;
    in.hours = 48;
    in.zone = kZone;
    in.sites = {{"school-1", "Trường A", "school", "scenario", {0, 0}}};
    in.siteHourly = &series;
    if (background > 0)
        in.background.assign(48, background);
    in.spec.ranks["1h"] = rank1h;
    in.limits = &table;
    return evaluateCompliance(in);
}

} // namespace

TEST(ComplianceWindows, DaysAndYearsFollowTheParkZone) {
    // The run starts at local midnight, so its first local day is hours 0-23.
    const auto days = windows(Period::Hour24, kStart, 48, kZone);
    ASSERT_EQ(days.size(), 2u);
    EXPECT_EQ(days[0].first, 0);
    EXPECT_EQ(days[0].last, 24);
    EXPECT_EQ(days[1].first, 24);
    EXPECT_EQ(days[1].last, 48);
    EXPECT_EQ(days[0].nominal, 24);
    // Starting at 05:00 local cuts the first day to 19 hours of the run.
    const auto late = windows(Period::Hour24, kStart + std::chrono::hours{5}, 48, kZone);
    ASSERT_EQ(late.size(), 3u);
    EXPECT_EQ(late[0].last, 19);
    EXPECT_EQ(late[2].last, 48);
    // 2016 is a leap year: 8,784 hours.
    const auto year = windows(Period::Year, kStart, 48, kZone);
    ASSERT_EQ(year.size(), 1u);
    EXPECT_EQ(year[0].nominal, 8784);
    // Running 8-hour means ending at hours 7..47.
    EXPECT_EQ(windows(Period::Hour8, kStart, 48, kZone).size(), 41u);
}

TEST(ComplianceAverages, CompletenessNeedsThreeQuartersOfTheHours) {
    // 7 hours missing at the end: day 2 keeps 17 of 24 hours (< 18) and does not count.
    const auto days = windows(Period::Hour24, kStart, 48, kZone);
    const auto a = averages(siteSeries(7), days, 0.75);
    // Day 1: 22 x 10 + 400 + 340 = 960 over 24 hours = 40.
    EXPECT_DOUBLE_EQ(a[0], 40.0);
    EXPECT_TRUE(std::isnan(a[1]));
    // 6 missing: 18 hours remain, 17 x 10 + 380 = 550, mean 550 / 18 = 30.5556.
    const auto b = averages(siteSeries(6), days, 0.75);
    EXPECT_NEAR(b[1], 550.0 / 18.0, 1e-12);

    // 8-hour means: hours 0-7 hold 6 x 10 + 400 + 340 = 800, mean 100. With 7 missing at the
    // end, the windows starting at 36..40 have 5..1 valid hours (< 6) and are left out; the
    // one starting at 35 has 6 (hours 35-40) and counts, mean 10.
    const auto eight = windows(Period::Hour8, kStart, 48, kZone);
    const auto e = averages(siteSeries(7), eight, 0.75);
    EXPECT_DOUBLE_EQ(e[0], 100.0);
    EXPECT_DOUBLE_EQ(e[35], 10.0);
    for (int k = 36; k <= 40; ++k)
        EXPECT_TRUE(std::isnan(e[k])) << k;
    const PeriodStats s = statistics(e, eight, 1, std::nullopt);
    EXPECT_EQ(s.averages, 36);
    EXPECT_EQ(s.incomplete, 5);
    EXPECT_DOUBLE_EQ(s.highest, 100.0);
    EXPECT_EQ(s.highestStart, kStart);
}

TEST(Compliance, HandWorkedSiteWithBackgroundAddedBeforeTheComparison) {
    const std::vector<std::vector<double>> series = {siteSeries(7)};
    const ComplianceResult r = evaluate(series, 20.0);

    // 1 hour, modelled: 41 hours with a value; above 350 are 400 and 380.
    const ComplianceRow& m1 = row(r, "school-1", Period::Hour1, Component::Modelled);
    EXPECT_EQ(m1.stats.averages, 41);
    EXPECT_EQ(m1.stats.incomplete, 7);
    EXPECT_DOUBLE_EQ(m1.stats.highest, 400.0);
    EXPECT_DOUBLE_EQ(m1.stats.ranked, 400.0);
    EXPECT_EQ(m1.stats.exceedances, 2);
    EXPECT_DOUBLE_EQ(*m1.limit_ugm3, 350.0);
    EXPECT_DOUBLE_EQ(m1.margin_ugm3(), -50.0);
    EXPECT_EQ(m1.stats.highestStart, kStart + std::chrono::hours{3});

    // 1 hour, total: 420, 360 and 400 are above 350; the 340 hour exceeds only with the
    // background.
    const ComplianceRow& t1 = row(r, "school-1", Period::Hour1, Component::Total);
    EXPECT_DOUBLE_EQ(t1.stats.highest, 420.0);
    EXPECT_EQ(t1.stats.exceedances, 3);
    EXPECT_DOUBLE_EQ(t1.margin_ugm3(), -70.0);

    // Background alone: 20 every hour, far below every limit.
    const ComplianceRow& b1 = row(r, "background", Period::Hour1, Component::Background);
    EXPECT_DOUBLE_EQ(b1.stats.highest, 20.0);
    EXPECT_EQ(b1.stats.averages, 48);
    EXPECT_EQ(b1.stats.exceedances, 0);

    // 24 hours: day 1 counts (modelled 40, total 60), day 2 does not (17 hours).
    const ComplianceRow& m24 = row(r, "school-1", Period::Hour24, Component::Modelled);
    EXPECT_EQ(m24.stats.averages, 1);
    EXPECT_EQ(m24.stats.incomplete, 1);
    EXPECT_DOUBLE_EQ(m24.stats.ranked, 40.0);
    const ComplianceRow& t24 = row(r, "school-1", Period::Hour24, Component::Total);
    EXPECT_DOUBLE_EQ(t24.stats.ranked, 60.0);
    EXPECT_DOUBLE_EQ(t24.margin_ugm3(), 125.0 - 60.0);
    EXPECT_EQ(t24.stats.exceedances, 0);

    // Year: 41 of 8,784 hours is far from 75%: no annual mean, nothing ranked.
    const ComplianceRow& ty = row(r, "school-1", Period::Year, Component::Total);
    EXPECT_EQ(ty.stats.averages, 0);
    EXPECT_EQ(ty.stats.incomplete, 1);
    EXPECT_TRUE(std::isnan(ty.stats.ranked));
    EXPECT_TRUE(std::isnan(ty.margin_ugm3()));

    // SO2 has no 8-hour limit in QCVN 05:2023: no rows, a note.
    for (const ComplianceRow& x : r.rows)
        EXPECT_NE(x.period, Period::Hour8);
    bool noted = false;
    for (const std::string& n : r.notes)
        noted |= n.find("no 8h limit for SO2") != std::string::npos;
    EXPECT_TRUE(noted);
}

TEST(Compliance, RankedValueIsTheNthHighest) {
    const std::vector<std::vector<double>> series = {siteSeries(7)};
    const ComplianceResult r = evaluate(series, 20.0, 2);
    // Second highest hour: modelled 380, total 400; margins 350 - 380 and 350 - 400.
    EXPECT_DOUBLE_EQ(row(r, "school-1", Period::Hour1, Component::Modelled).stats.ranked, 380.0);
    const ComplianceRow& t1 = row(r, "school-1", Period::Hour1, Component::Total);
    EXPECT_DOUBLE_EQ(t1.stats.ranked, 400.0);
    EXPECT_DOUBLE_EQ(t1.stats.highest, 420.0);
    EXPECT_DOUBLE_EQ(t1.margin_ugm3(), -50.0);
}

TEST(Compliance, WithoutBackgroundOnlyModelledRows) {
    const std::vector<std::vector<double>> series = {siteSeries(0)};
    const ComplianceResult r = evaluate(series, 0.0);
    for (const ComplianceRow& x : r.rows)
        EXPECT_EQ(x.component, Component::Modelled);
    // Both days complete: day 2 is 23 x 10 + 380 = 610 over 24 hours.
    const ComplianceRow& m24 = row(r, "school-1", Period::Hour24, Component::Modelled);
    EXPECT_EQ(m24.stats.averages, 2);
    EXPECT_DOUBLE_EQ(m24.stats.highest, 40.0);
}

TEST(Compliance, GridMaximumIsTheCellWithTheHighestRankedValue) {
    // Two cells, 24 hours: the west cell 5 every hour, the east one 5 except 500 at hour 10.
    std::vector<RasterGrid> hourly(24, RasterGrid(0, 0, 100, 100, 2, 1, 5.0));
    hourly[10].values[1] = 500;
    ComplianceInput in;
    const ThresholdTable table = qcvn();
    in.pollutant = "SO2";
    in.start = kStart;
    in.hours = 24;
    in.zone = kZone;
    in.gridHourly = &hourly;
    in.background.assign(24, 1.0);
    in.limits = &table;
    const ComplianceResult r = evaluateCompliance(in);
    const ComplianceRow& g = row(r, "grid", Period::Hour1, Component::Total);
    EXPECT_DOUBLE_EQ(g.stats.ranked, 501.0);
    EXPECT_EQ(g.stats.exceedances, 1);
    EXPECT_DOUBLE_EQ(g.at.x, 100.0);
    // East cell's day: (23 x 5 + 500) / 24 = 25.625 modelled, 26.625 total.
    const ComplianceRow& d = row(r, "grid", Period::Hour24, Component::Total);
    EXPECT_DOUBLE_EQ(d.stats.ranked, 26.625);
    for (const PeriodGrid& pg : r.grids)
        if (pg.period == Period::Hour24 && pg.component == Component::Modelled) {
            EXPECT_DOUBLE_EQ(pg.values.values[0], 5.0);
            EXPECT_DOUBLE_EQ(pg.values.values[1], 25.625);
        }
}

TEST(Compliance, No2FromNoxScalesModelledHoursNotTheBackground) {
    // EPA Tier 2 ARM: NO2 = 0.80 x the 1-hour NOx. 400 NOx at the site gives 320 NO2; with a
    // 30 NO2 background the total is 350, above NO2's 1-hour limit of 200 by 150.
    const std::vector<std::vector<double>> series = {std::vector<double>(24, 0.0)};
    auto s = series;
    s[0][5] = 400;
    const ThresholdTable table = qcvn();
    ComplianceInput in;
    in.pollutant = "NO2";
    in.start = kStart;
    in.hours = 24;
    in.zone = kZone;
    in.sites = {{"h", "hospital", "hospital", "scenario", {0, 0}}};
    in.siteHourly = &s;
    in.background.assign(24, 30.0);
    in.hourlyScale = 0.80;
    in.annualScale = 0.75;
    in.limits = &table;
    const ComplianceResult r = evaluateCompliance(in);
    const ComplianceRow& t1 = row(r, "h", Period::Hour1, Component::Total);
    EXPECT_DOUBLE_EQ(t1.stats.highest, 350.0);
    EXPECT_DOUBLE_EQ(t1.margin_ugm3(), -150.0);
    EXPECT_DOUBLE_EQ(row(r, "h", Period::Hour1, Component::Modelled).stats.highest, 320.0);
    // 24 h: 0.80 x 400 / 24 + 30 = 43.333.
    EXPECT_NEAR(row(r, "h", Period::Hour24, Component::Total).stats.highest,
                320.0 / 24.0 + 30.0, 1e-12);
}
