// Units and validation of sensor readings: conversions checked against hand calculations,
// every refusal reason counted, flagged statuses kept.

#include "engine/sensors/units.h"
#include "engine/sensors/validation.h"

#include <cmath>
#include <gtest/gtest.h>
#include <limits>

using namespace parktwin;
using namespace parktwin::sensors;

namespace {

RawReading raw(const std::string& parameter, std::optional<double> value, const std::string& unit) {
    RawReading r;
    r.station = "KK01";
    r.parameter = parameter;
    r.value = value;
    r.unit = unit;
    r.time = parseIsoTime("2024-01-15T10:30:00+07:00", UtcOffset{420});
    return r;
}

} // namespace

TEST(SensorUnits, PpmOfSulphurDioxideAt25C) {
    // Hand calculation: M(SO2) = 32.06 + 2 × 15.999 = 64.058 g/mol; Vm at 25 °C and
    // 101.325 kPa = 8.314462618 × 298.15 / 101325 = 0.0244654 m³/mol = 24.465 L/mol;
    // 1 ppm = 64.058 / 24.465 × 1000 = 2618.4 µg/m³ (the familiar "1 ppm SO2 ≈ 2.62 mg/m³").
    const auto v = normaliseUnit("SO2", 1.0, "ppm");
    ASSERT_TRUE(v);
    EXPECT_EQ(v->unit, "ug/m3");
    EXPECT_NEAR(v->value, 2618.4, 0.1);

    // CO: M = 28.010 g/mol; 1 ppm = 28.010 / 24.465 × 1000 = 1144.9 µg/m³. 35 ppb NO2:
    // M = 46.005; 0.035 × 46.005 / 24.465 × 1000 = 65.81 µg/m³.
    EXPECT_NEAR(normaliseUnit("CO", 1.0, "ppm")->value, 1144.9, 0.1);
    EXPECT_NEAR(normaliseUnit("NO2", 35.0, "ppb")->value, 65.81, 0.01);
}

TEST(SensorUnits, SpellingsOfTheSameUnitAgree) {
    for (const char* unit : {"ug/m3", "µg/m³", "μg/m3", "UG/M3", "µg/Nm³", "ug/Nm3"}) {
        const auto v = normaliseUnit("PM2.5", 42.5, unit);
        ASSERT_TRUE(v) << unit;
        EXPECT_EQ(v->unit, "ug/m3") << unit;
        EXPECT_DOUBLE_EQ(v->value, 42.5) << unit;
    }
    EXPECT_DOUBLE_EQ(normaliseUnit("CO", 0.3, "mg/m3")->value, 300.0);
    const auto stack = normaliseUnit("SO2", 520.0, "mg/Nm3");
    EXPECT_EQ(stack->unit, "mg/Nm3");
    EXPECT_DOUBLE_EQ(stack->value, 520.0);
    EXPECT_DOUBLE_EQ(normaliseUnit("WS", 36.0, "km/h")->value, 10.0);
    EXPECT_EQ(normaliseUnit("TEMP", 21.5, "°C")->unit, "degC");
    EXPECT_NEAR(normaliseUnit("TEMP", 300.0, "K")->value, 26.85, 1e-9);
    EXPECT_DOUBLE_EQ(normaliseUnit("P", 101.3, "kPa")->value, 1013.0);
}

TEST(SensorUnits, UnitsThatDoNotFitAreRefused) {
    EXPECT_FALSE(normaliseUnit("PM10", 1.0, "ppm")); // no molar mass for particles
    EXPECT_FALSE(normaliseUnit("NOx", 1.0, "ppm"));  // a mixture
    EXPECT_FALSE(normaliseUnit("WS", 1.0, "ug/m3"));
    EXPECT_FALSE(normaliseUnit("SO2", 1.0, "m/s"));
    EXPECT_FALSE(normaliseUnit("SO2", 1.0, "furlongs"));
}

TEST(SensorUnits, ParameterSymbolsOfTheFeeds) {
    EXPECT_EQ(canonicalParameter("PM2,5"), "PM2.5");
    EXPECT_EQ(canonicalParameter("PM2.5 - Principal"), "PM2.5");
    EXPECT_EQ(canonicalParameter("Temp"), "TEMP");
    EXPECT_EQ(canonicalParameter("WSPM"), "WS");
    EXPECT_EQ(canonicalParameter("SO2"), "SO2");
}

TEST(SensorValidation, RefusesMissingNanMarkersAndImpossibleValuesByReason) {
    ValidationCounts counts;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    struct Case {
        RawReading in;
        RefusalReason why;
    } cases[] = {
        {raw("SO2", std::nullopt, "ug/m3"), RefusalReason::Missing},
        {raw("SO2", nan, "ug/m3"), RefusalReason::NotANumber},
        {raw("SO2", inf, "ug/m3"), RefusalReason::NotANumber},
        {raw("PM2.5", -999.0, "ug/m3"), RefusalReason::MissingMarker},
        {raw("PM2.5", -9999.0, "ug/m3"), RefusalReason::MissingMarker},
        {raw("PM2.5", -10.5, "ug/m3"), RefusalReason::Impossible},
        {raw("WS", 80.0, "m/s"), RefusalReason::Impossible},
        {raw("WD", 361.0, "deg"), RefusalReason::Impossible},
        {raw("TEMP", -120.0, "degC"), RefusalReason::Impossible},
        {raw("RH", 104.0, "%"), RefusalReason::Impossible},
        // 3 kg/m³ of SO2 is more than pure SO2 weighs at 25 °C (64.058 / 24.465 = 2.62 kg/m³).
        {raw("SO2", 3e9, "ug/m3"), RefusalReason::Impossible},
        {raw("SO2", 12.0, "ug/l"), RefusalReason::UnknownUnit},
    };
    for (const Case& c : cases) {
        RefusalReason why{};
        EXPECT_FALSE(validate(c.in, counts, &why)) << c.in.parameter;
        EXPECT_EQ(why, c.why) << c.in.parameter << " " << refusalReasonName(c.why);
    }
    EXPECT_EQ(counts.accepted, 0);
    EXPECT_EQ(counts.refusedFor(RefusalReason::Missing), 1);
    EXPECT_EQ(counts.refusedFor(RefusalReason::NotANumber), 2);
    EXPECT_EQ(counts.refusedFor(RefusalReason::MissingMarker), 2);
    EXPECT_EQ(counts.refusedFor(RefusalReason::Impossible), 6);
    EXPECT_EQ(counts.refusedFor(RefusalReason::UnknownUnit), 1);
    EXPECT_EQ(counts.refusedTotal(), 12);
    EXPECT_NE(counts.summary().find("2 minus-999"), std::string::npos) << counts.summary();
}

TEST(SensorValidation, CalibrationAndFaultReadingsAreKeptButFlagged) {
    ValidationCounts counts;
    RawReading calibrating = raw("SO2", 45.2, "ug/m3");
    calibrating.status = ReadingStatus::Calibrating;
    RawReading fault = raw("PM2,5", 12.0, "µg/m³");
    fault.status = ReadingStatus::DeviceFault;
    const auto a = validate(calibrating, counts);
    const auto b = validate(fault, counts);
    const auto c = validate(raw("NO2", 0.0, "ug/m3"), counts);
    ASSERT_TRUE(a && b && c);
    // Zero drift leaves clean-air means slightly negative; they are measurements, kept as is.
    const auto noise = validate(raw("PM2.5", -4.0, "ug/m3"), counts);
    ASSERT_TRUE(noise);
    EXPECT_DOUBLE_EQ(noise->value, -4.0);
    EXPECT_FALSE(isUsable(*a));
    EXPECT_FALSE(isUsable(*b));
    EXPECT_TRUE(isUsable(*c));
    EXPECT_EQ(b->parameter, "PM2.5");
    EXPECT_EQ(counts.accepted, 4);
    EXPECT_EQ(counts.flagged, 2);
}

TEST(SensorValidation, SourceQcInvalidIsRefused) {
    ValidationCounts counts;
    RawReading r = raw("PM2.5", 37.0, "UG/M3");
    r.sourceInvalid = true;
    EXPECT_FALSE(validate(r, counts));
    EXPECT_EQ(counts.refusedFor(RefusalReason::SourceInvalid), 1);
}
