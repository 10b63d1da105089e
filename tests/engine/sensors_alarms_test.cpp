// Alarm rules worked by hand: hourly means and their completeness, 8 h and 24 h running means,
// the PM2.5 limit that changes on 1 January 2026, stack emission limits, the trend warning,
// incidents opening, merging and closing, silent stations, acknowledgements and the audit trail.

#include "engine/sensors/alarms.h"
#include "engine/sensors/averaging.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "engine/core/error.h"
#include "test_paths.h"

using namespace parktwin;
using namespace parktwin::sensors;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {

ThresholdTable bundledLimits() {
    return readThresholds(test::assetsDir() / "regulation" / "qcvn_thresholds.csv");
}

UtcTime utc(const char* iso) { return parseIsoTime(iso, UtcOffset{0}); }

Reading reading(const std::string& station, const std::string& parameter, UtcTime t, double v,
                const std::string& unit = "ug/m3",
                ReadingStatus status = ReadingStatus::Measuring) {
    return Reading{station, parameter, t, v, unit, status};
}

/// Values every 5 minutes, the first stamped `firstSlot` slots after `hourStart`.
std::vector<Reading> fiveMinute(const std::string& station, const std::string& parameter,
                                UtcTime start, const std::vector<double>& values,
                                int firstSlot = 1, const std::string& unit = "ug/m3") {
    std::vector<Reading> out;
    for (std::size_t k = 0; k < values.size(); ++k)
        out.push_back(reading(station, parameter, start + minutes(5 * (firstSlot + int(k))),
                              values[k], unit));
    return out;
}

struct Fixture {
    std::filesystem::path db;
    std::unique_ptr<AlarmStore> store;
    std::unique_ptr<AlarmEngine> engine;

    explicit Fixture(AlarmConfig config = {}) : db(test::scratchDir() / "alarms.sqlite") {
        store = std::make_unique<AlarmStore>(db);
        engine = std::make_unique<AlarmEngine>(bundledLimits(), config, *store);
    }
    void feed(const std::vector<Reading>& rs) {
        // Arrival: one second after the newest value, as a live feed would deliver it.
        UtcTime newest{};
        for (const auto& r : rs)
            newest = std::max(newest, r.time);
        engine->onReadings(rs, newest + seconds(1));
    }
    std::vector<AlarmRecord> alarmsOf(AlarmKind kind) const {
        std::vector<AlarmRecord> out;
        for (auto& a : store->alarms())
            if (a.kind == kind)
                out.push_back(a);
        return out;
    }
    std::vector<std::string> events() const {
        std::vector<std::string> out;
        for (auto& r : store->audit())
            out.push_back(r.event);
        return out;
    }
};

} // namespace

TEST(Averaging, HourEndingIndexAndCompleteness) {
    // 10:05 and 11:00 belong to the hour 10:00-11:00; 11:00:01 to the next.
    const auto h = hourEndingIndex(utc("2024-01-15T10:05:00Z"));
    EXPECT_EQ(hourEndingIndex(utc("2024-01-15T11:00:00Z")), h);
    EXPECT_EQ(hourEndingIndex(utc("2024-01-15T11:00:01Z")), h + 1);
    EXPECT_EQ(hourStart(h), utc("2024-01-15T10:00:00Z"));
    EXPECT_EQ(requiredValidHours(8, 0.75), 6);
    EXPECT_EQ(requiredValidHours(24, 0.75), 18);
    EXPECT_EQ(requiredValidHours(1, 0.75), 1);
    EXPECT_EQ(hoursInYear(2024), 8784);
    // 2024-12-31 17:30 UTC is already 2025 in Vietnam.
    EXPECT_EQ(localYear(utc("2024-12-31T17:30:00Z"), UtcOffset{420}), 2025);
}

TEST(Averaging, LeastSquaresSlopeByHand) {
    // Points (0 s, 1), (60 s, 3), (120 s, 2): mean t 60, mean y 2;
    // Sxy = (-60)(-1) + 0 + 60·0 = 60, Sxx = 3600 + 0 + 3600 = 7200, slope = 1/120 per second.
    const UtcTime t0 = utc("2024-01-01T00:00:00Z");
    const auto slope = linearTrend({{t0, 1.0}, {t0 + seconds(60), 3.0}, {t0 + seconds(120), 2.0}});
    ASSERT_TRUE(slope);
    EXPECT_DOUBLE_EQ(*slope, 1.0 / 120.0);
    EXPECT_FALSE(linearTrend({{t0, 1.0}, {t0, 2.0}}));
}

TEST(AlarmLimits, FromTheThresholdsFileWithGradesAndDates) {
    const auto limits = alarmLimits(bundledLimits(), AlarmConfig{});
    auto find = [&](const std::string& p, const std::string& scope, const std::string& period,
                    double value) {
        return std::find_if(limits.begin(), limits.end(), [&](const AlarmLimit& l) {
            return l.parameter == p && l.scope == scope && l.period == period && l.value == value;
        });
    };
    const auto so2 = find("SO2", "ambient", "1h", 350);
    ASSERT_NE(so2, limits.end());
    EXPECT_FALSE(so2->verified); // graded S1
    const auto so2Day = find("SO2", "ambient", "24h", 125);
    ASSERT_NE(so2Day, limits.end());
    EXPECT_TRUE(so2Day->verified); // graded S
    const auto pmNew = find("PM2.5", "ambient", "24h", 45);
    ASSERT_NE(pmNew, limits.end());
    EXPECT_EQ(pmNew->validFrom, utc("2025-12-31T17:00:00Z")); // 1 January 2026, 00:00 at UTC+7
    const auto pmOld = find("PM2.5", "ambient", "24h", 50);
    ASSERT_NE(pmOld, limits.end());
    EXPECT_EQ(pmOld->validUntil, utc("2025-12-31T17:00:00Z"));
    // QCVN 19:2009 column B for stacks, "dust" read as the station-file symbol PM.
    EXPECT_NE(find("PM", "emission", "1h", 200), limits.end());
    EXPECT_NE(find("NOx", "emission", "1h", 850), limits.end());
    EXPECT_EQ(find("SO2", "emission", "1h", 1500), limits.end()); // column A not applied
}

TEST(AlarmRules, HourlyMeanOverTheLimitRaisesAnExceedance) {
    Fixture f;
    const UtcTime h10 = utc("2024-01-15T03:00:00Z");
    // Eleven values of 300 and one of 960: (11·300 + 960) / 12 = 4260 / 12 = 355 > 350.
    std::vector<double> values(11, 300.0);
    values.push_back(960.0);
    f.feed(fiveMinute("A", "SO2", h10, values));
    const auto alarms = f.alarmsOf(AlarmKind::Exceedance);
    ASSERT_EQ(alarms.size(), 1u);
    EXPECT_EQ(alarms[0].station, "A");
    EXPECT_EQ(alarms[0].period, "1h");
    EXPECT_DOUBLE_EQ(alarms[0].value, 355.0);
    EXPECT_DOUBLE_EQ(alarms[0].limit, 350.0);
    EXPECT_EQ(alarms[0].raisedAt, h10 + hours(1));
    EXPECT_FALSE(alarms[0].limitVerified);
    EXPECT_NE(alarms[0].message.find("not verified against the official text"),
              std::string::npos);
    EXPECT_TRUE(f.alarmsOf(AlarmKind::Warning).empty());
}

TEST(AlarmRules, HourlyMeanNeedsFortyFiveMinutesOfData) {
    Fixture f;
    const UtcTime h = utc("2024-01-15T03:00:00Z");
    // Station B: 9 values (45 min) of 400 in slots :20 to :00, valid, 400 > 350.
    f.feed(fiveMinute("B", "SO2", h, std::vector<double>(9, 400.0), 4));
    // Station C: 8 values (40 min), not a valid hourly mean, so no alarm whatever the values.
    f.feed(fiveMinute("C", "SO2", h, std::vector<double>(8, 900.0), 5));
    const auto alarms = f.alarmsOf(AlarmKind::Exceedance);
    ASSERT_EQ(alarms.size(), 1u);
    EXPECT_EQ(alarms[0].station, "B");
    EXPECT_DOUBLE_EQ(alarms[0].value, 400.0);
    EXPECT_GE(f.engine->stats().incompleteMeans, 1u);
}

TEST(AlarmRules, ValueCarryingItsHourlyPeriodCoversTheHour) {
    // One value stamped on the hour: with its averaging period of 3600 s (an hourly CSV mean)
    // it covers the hour; without one it covers the 5-minute reporting interval only.
    Fixture f;
    const UtcTime end = utc("2024-01-15T04:00:00Z");
    Reading hourly = reading("H", "SO2", end, 400);
    hourly.period_s = 3600;
    f.feed({hourly, reading("F", "SO2", end, 400)});
    const auto alarms = f.alarmsOf(AlarmKind::Exceedance);
    ASSERT_EQ(alarms.size(), 1u);
    EXPECT_EQ(alarms[0].station, "H");
}

TEST(AlarmRules, CalibratingAndFaultValuesStayOutOfAlarms) {
    Fixture f;
    const UtcTime h = utc("2024-01-15T03:00:00Z");
    auto rs = fiveMinute("A", "SO2", h, std::vector<double>(12, 900.0));
    for (auto& r : rs)
        r.status = ReadingStatus::Calibrating;
    f.feed(rs);
    EXPECT_TRUE(f.store->alarms().empty());
    EXPECT_EQ(f.engine->stats().flagged, 12u);
}

TEST(AlarmRules, EightHourRunningMeanNeedsSixValidHours) {
    // Hourly CO means 9000, 10000, 11000, 12000, 13000, 14000 µg/m³ (twelve equal values each).
    // The 8 h window ending at hour 5 holds 5 valid means: not judged. The window ending at hour
    // 6 holds 6 of 8: (9+10+11+12+13+14)·1000 / 6 = 11 500 > 10 000 (QCVN 05:2023 CO 8 h).
    Fixture f;
    const UtcTime start = utc("2024-01-15T00:00:00Z");
    for (int h = 0; h < 6; ++h) {
        f.feed(fiveMinute("A", "CO", start + hours(h), std::vector<double>(12, 9000.0 + 1000 * h)));
        if (h == 4) {
            EXPECT_TRUE(f.alarmsOf(AlarmKind::Exceedance).empty());
        }
    }
    const auto alarms = f.alarmsOf(AlarmKind::Exceedance);
    ASSERT_EQ(alarms.size(), 1u);
    EXPECT_EQ(alarms[0].period, "8h");
    EXPECT_DOUBLE_EQ(alarms[0].value, 11500.0);
    EXPECT_EQ(alarms[0].raisedAt, start + hours(6));
}

TEST(AlarmRules, PmTwoPointFiveDailyLimitChangesOnFirstJanuary2026) {
    // Hourly values of 48 µg/m³: over 45 (from 2026) but not over 50 (until the end of 2025).
    // The 24 h mean is judged once 18 of 24 hourly means exist, at the 18th hour.
    AlarmConfig config;
    config.reportingInterval = hours(1);
    for (const char* day : {"2025-06-01T00:00:00+07:00", "2026-06-01T00:00:00+07:00"}) {
        Fixture f(config);
        const UtcTime start = parseIsoTime(day, UtcOffset{0});
        std::vector<Reading> rs;
        for (int h = 1; h <= 18; ++h)
            rs.push_back(reading("HN", "PM2.5", start + hours(h), 48.0));
        f.feed(rs);
        const auto alarms = f.alarmsOf(AlarmKind::Exceedance);
        if (std::string(day).starts_with("2025")) {
            EXPECT_TRUE(alarms.empty());
        } else {
            ASSERT_EQ(alarms.size(), 1u);
            EXPECT_EQ(alarms[0].period, "24h");
            EXPECT_DOUBLE_EQ(alarms[0].limit, 45.0);
            EXPECT_EQ(alarms[0].raisedAt, start + hours(18));
        }
    }
}

TEST(AlarmRules, AnnualMeanJudgedAtTheEndOfTheLocalYear) {
    // NO2 hourly values all year 2024 (Vietnam time): 41 µg/m³ for 8000 hours, missing for the
    // other 784: 8000 / 8784 = 91 % ≥ 90 %, mean 41 > 40 (QCVN 05:2023 NO2 annual).
    AlarmConfig config;
    config.reportingInterval = hours(1);
    Fixture f(config);
    const UtcTime start = fromLocal(2024, 1, 1, 0, 0, 0, UtcOffset{420});
    std::vector<Reading> rs;
    for (int h = 1; h <= 8784; ++h)
        if (h <= 8000 || h == 8784)
            rs.push_back(reading("A", "NO2", start + hours(h), 41.0));
    f.feed(rs);
    const auto alarms = f.alarmsOf(AlarmKind::Exceedance);
    ASSERT_EQ(alarms.size(), 1u);
    EXPECT_EQ(alarms[0].period, "year");
    EXPECT_DOUBLE_EQ(alarms[0].value, 41.0);
    ASSERT_TRUE(alarms[0].clearedAt); // a verdict on a finished year
    const auto incidents = f.store->incidents();
    ASSERT_EQ(incidents.size(), 1u);
    EXPECT_EQ(incidents[0].start, start);
    EXPECT_EQ(incidents[0].end, start + hours(8784));
}

TEST(AlarmRules, StackEmissionLimitTimesTheAreaAndFlowFactors) {
    // QCVN 19:2009 column B SO2 500 mg/Nm³ × Kp 0.9 (20 000-100 000 m³/h) × Kv 1.0 = 450.
    AlarmConfig config;
    config.emissionFactor = 0.9;
    Fixture f(config);
    const UtcTime h = utc("2024-01-15T03:00:00Z");
    f.feed(fiveMinute("STACK-1", "SO2", h, std::vector<double>(12, 470.0), 1, "mg/Nm3"));
    const auto alarms = f.alarmsOf(AlarmKind::Exceedance);
    ASSERT_EQ(alarms.size(), 1u);
    EXPECT_EQ(alarms[0].scope, "emission");
    EXPECT_DOUBLE_EQ(alarms[0].limit, 450.0);
    EXPECT_EQ(alarms[0].regulation, "QCVN 19:2009/BTNMT column B");
    EXPECT_TRUE(alarms[0].limitVerified); // graded S
    EXPECT_EQ(f.store->incidents().at(0).scope, "emission");
}

TEST(AlarmRules, WarningWhenTheRunningMeanIsOnCourseToCrossWithinAnHour) {
    // SO2 every 5 minutes, value_k = 100 + 5k (k = 0, 1, ...), value k stamped 5(k+1) min after
    // the start. Once 12 values are in, the running 1 h mean at k is the mean of k-11..k:
    // 100 + 5(k - 5.5), rising 5 per 5 min = 60 per hour. Projected an hour ahead it reaches
    // 350 when 100 + 5(k - 5.5) + 60 > 350, i.e. k > 43.5: no warning at k = 43 (mean 287.5,
    // projection 347.5), a warning at k = 44 (mean 292.5, projection 352.5). The clock hour
    // k = 48..59 has the mean 100 + 5·53.5 = 367.5 > 350: the exceedance at k = 59 ends the
    // warning.
    Fixture f;
    const UtcTime start = utc("2024-01-15T00:00:00Z");
    std::vector<double> values;
    for (int k = 0; k <= 59; ++k)
        values.push_back(100.0 + 5 * k);
    for (int k = 0; k <= 59; ++k) {
        f.feed({reading("A", "SO2", start + minutes(5 * (k + 1)), values[k])});
        if (k == 43) {
            ASSERT_TRUE(f.alarmsOf(AlarmKind::Warning).empty());
        }
    }
    const auto warnings = f.alarmsOf(AlarmKind::Warning);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0].raisedAt, start + minutes(5 * 45));
    EXPECT_DOUBLE_EQ(warnings[0].value, 292.5);
    EXPECT_EQ(warnings[0].period, "1h");
    ASSERT_TRUE(warnings[0].clearedAt);
    EXPECT_EQ(*warnings[0].clearedAt, start + hours(5));
    const auto exceedances = f.alarmsOf(AlarmKind::Exceedance);
    ASSERT_EQ(exceedances.size(), 1u);
    EXPECT_DOUBLE_EQ(exceedances[0].value, 367.5);
}

TEST(AlarmRules, IncidentGathersStationsMergesNearbyExceedancesAndCloses) {
    // Hourly SO2 at stations A and B (one value an hour, stamped at the hour's end):
    //   hour  0: A 400 B 300   -> incident 1 opens at A, start = hour 0
    //   hour  1: A 380 B 420   -> B joins; peak 420/350 = 1.2 at B
    //   hour  2: A 300 B 300   -> both under: incident 1 ends at the end of hour 1
    //   hour  3: A 360         -> starts within 1 h of that end: incident 1 reopens
    //   hour  4: A 300         -> ends at the end of hour 3
    //   hour  5, 6: A 300
    //   hour  7: A 400         -> starts 3 h after the end: incident 2
    AlarmConfig config;
    config.reportingInterval = hours(1);
    Fixture f(config);
    const UtcTime start = utc("2024-01-15T00:00:00Z");
    const double a[] = {400, 380, 300, 360, 300, 300, 300, 400};
    const double b[] = {300, 420, 300};
    for (int h = 0; h < 8; ++h) {
        std::vector<Reading> rs{reading("A", "SO2", start + hours(h + 1), a[h])};
        if (h < 3)
            rs.push_back(reading("B", "SO2", start + hours(h + 1), b[h]));
        f.feed(rs);
    }
    const auto incidents = f.store->incidents();
    ASSERT_EQ(incidents.size(), 2u);
    EXPECT_EQ(incidents[0].start, start);
    EXPECT_EQ(incidents[0].end, start + hours(4));
    EXPECT_EQ(incidents[0].stations, (std::vector<std::string>{"A", "B"}));
    EXPECT_DOUBLE_EQ(incidents[0].peakValue, 420.0);
    EXPECT_EQ(incidents[0].peakStation, "B");
    EXPECT_EQ(incidents[0].peakAt, start + hours(2));
    EXPECT_EQ(incidents[1].start, start + hours(7));
    EXPECT_FALSE(incidents[1].end);
    EXPECT_EQ(incidents[1].stations, (std::vector<std::string>{"A"}));

    const std::vector<std::string> expected{
        "alarm_raised",      "incident_opened", // A hour 0
        "alarm_raised",      "incident_station_added", // B hour 1
        "alarm_cleared",     // A hour 2
        "alarm_cleared",     "incident_closed", // B hour 2
        "alarm_raised",      "incident_reopened", // A hour 3
        "alarm_cleared",     "incident_closed", // A hour 4
        "alarm_raised",      "incident_opened", // A hour 7
    };
    EXPECT_EQ(f.events(), expected);
    for (const auto& alarm : f.alarmsOf(AlarmKind::Exceedance))
        EXPECT_TRUE(alarm.incidentId);
}

TEST(AlarmRules, OpenIncidentResumesAfterARestart) {
    AlarmConfig config;
    config.reportingInterval = hours(1);
    const UtcTime start = utc("2024-01-15T00:00:00Z");
    Fixture f(config);
    f.feed({reading("A", "SO2", start + hours(1), 400)});
    ASSERT_EQ(f.store->incidents(true).size(), 1u);
    // A new engine over the same database (the ingest restarted) closes what the old one opened.
    f.engine = std::make_unique<AlarmEngine>(bundledLimits(), config, *f.store);
    f.feed({reading("A", "SO2", start + hours(2), 100)});
    EXPECT_TRUE(f.store->incidents(true).empty());
    EXPECT_TRUE(f.store->alarms(true).empty());
}

TEST(AlarmRules, SilentStationRaisesItsOwnAlarmAndClearsWhenBack) {
    Fixture f; // 5-minute interval, 60 s grace
    const UtcTime t = utc("2024-01-15T03:05:00Z");
    f.engine->onReadings({reading("A", "SO2", t, 10)}, t);
    f.engine->tick(t + seconds(360)); // quiet 360 s = 300 + 60: not yet longer
    EXPECT_TRUE(f.store->alarms().empty());
    f.engine->tick(t + seconds(361));
    auto silent = f.alarmsOf(AlarmKind::Silent);
    ASSERT_EQ(silent.size(), 1u);
    EXPECT_EQ(silent[0].station, "A");
    EXPECT_DOUBLE_EQ(silent[0].value, 361.0);
    f.engine->tick(t + seconds(900)); // still one alarm
    EXPECT_EQ(f.alarmsOf(AlarmKind::Silent).size(), 1u);
    f.engine->onReadings({reading("A", "SO2", t + minutes(20), 10)}, t + seconds(1000));
    silent = f.alarmsOf(AlarmKind::Silent);
    ASSERT_TRUE(silent[0].clearedAt);
    EXPECT_EQ(*silent[0].clearedAt, t + seconds(1000));
    EXPECT_EQ(f.events(), (std::vector<std::string>{"alarm_raised", "alarm_cleared"}));
}

TEST(AlarmStore, AcknowledgementByANamedOperatorIsAudited) {
    Fixture f;
    const UtcTime t = utc("2024-01-15T03:05:00Z");
    f.engine->onReadings({reading("A", "SO2", t, 10)}, t);
    f.engine->tick(t + hours(1));
    const std::int64_t id = f.alarmsOf(AlarmKind::Silent).at(0).id;

    f.store->acknowledge(id, "Nguyễn Thị Lan", t + hours(2));
    const auto acked = f.store->alarm(id);
    EXPECT_EQ(acked->ackedBy, "Nguyễn Thị Lan");
    EXPECT_EQ(acked->ackedAt, t + hours(2));
    const auto trail = f.store->audit();
    ASSERT_EQ(trail.back().event, "alarm_acknowledged");
    EXPECT_EQ(trail.back().operatorName, "Nguyễn Thị Lan");
    EXPECT_EQ(trail.back().alarmId, id);

    EXPECT_THROW(f.store->acknowledge(id, "Trần Văn Minh", t + hours(3)), Error);
    EXPECT_THROW(f.store->acknowledge(id + 100, "Trần Văn Minh", t), Error);
    EXPECT_THROW(f.store->acknowledge(id, "  ", t), Error);
    EXPECT_EQ(f.store->audit().size(), trail.size()); // refusals leave no row
}

TEST(AlarmStore, AuditTrailIsAppendOnly) {
    Fixture f;
    f.store->recordFeedEvent("feed_gap", utc("2024-01-15T03:05:00Z"), "station A: 3 missing");
    // A second connection, as any other program would use.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(f.db.string().c_str(), &db), SQLITE_OK);
    EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit", nullptr, nullptr, nullptr), SQLITE_OK);
    EXPECT_NE(sqlite3_exec(db, "UPDATE audit SET detail='x'", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
    EXPECT_EQ(f.store->audit().size(), 1u);
}
