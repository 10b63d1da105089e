// Solar elevation, Turner stability classes and SCREEN3 mixing heights, against values worked
// by hand from the published tables and against SCREEN3's example output.

#include "engine/met/mixing_height.h"
#include "engine/met/solar.h"
#include "engine/met/stability.h"

#include <string>

#include <gtest/gtest.h>

#include "screen3_example.h"
#include "test_paths.h"

using namespace parktwin;
using namespace parktwin::met;

namespace {
UtcTime utc(const char* iso) { return parseIsoTime(iso, UtcOffset{0}); }
} // namespace

TEST(MetSolar, NoonAtTheMarchEquinox) {
    // Thái Nguyên, 21.6 N 105.83 E, 20 March 2021 (equinox at 09:37 UTC, declination then
    // rising 0.4°/day, so about -0.08° at 05:04 UTC). Solar noon in UTC is 12:00 minus
    // 4 min per degree of east longitude (423.3 min) minus the equation of time (-7.4 min):
    // 12:00 - 7:03.3 + 0:07.4 = 05:04 UTC. Elevation at noon = 90 - lat + decl
    // = 90 - 21.6 - 0.08 = 68.32°.
    EXPECT_NEAR(solarElevation_deg(utc("2021-03-20T05:04Z"), 21.6, 105.83), 68.32, 0.05);
}

TEST(MetSolar, NoonAtTheJuneSolstice) {
    // 21 June 2021, declination 23.44°; equation of time -1.8 min, so noon at
    // 12:00 - 7:03.3 + 0:01.8 = 04:58.5 UTC. The sun is north of the zenith:
    // elevation = 90 - (23.44 - 21.6) = 88.16°.
    EXPECT_NEAR(solarElevation_deg(utc("2021-06-21T04:58:30Z"), 21.6, 105.83), 88.16, 0.05);
}

TEST(MetSolar, LocalMidnightIsDark) {
    // Twelve hours after the equinox noon the sun is at its lower culmination:
    // elevation = lat + decl - 90 = 21.6 + 0.12 - 90 = -68.28°.
    EXPECT_NEAR(solarElevation_deg(utc("2021-03-20T17:04Z"), 21.6, 105.83), -68.28, 0.1);
}

TEST(MetStability, InsolationClassBoundaries) {
    // EPA-454/R-99-005 table 6-5.
    EXPECT_EQ(insolationClass(65), 4);
    EXPECT_EQ(insolationClass(60), 3);
    EXPECT_EQ(insolationClass(40), 3);
    EXPECT_EQ(insolationClass(35), 2);
    EXPECT_EQ(insolationClass(20), 2);
    EXPECT_EQ(insolationClass(10), 1);
    EXPECT_EQ(netRadiationIndex(-5), -2); // night, clear sky assumed
    EXPECT_EQ(netRadiationIndex(5), 1);
}

TEST(MetStability, TurnerTable) {
    // EPA-454/R-99-005 table 6-4; m/s to whole knots at 1 kt = 0.514444 m/s.
    // 1.0 m/s = 1.94 -> 2 kt, index 4 -> A.
    EXPECT_EQ(turnerStability(4, 1.0), Stability::A);
    // 3.0 m/s = 5.83 -> 6 kt, index 3 -> B.
    EXPECT_EQ(turnerStability(3, 3.0), Stability::B);
    // 5.0 m/s = 9.72 -> 10 kt, index 2 -> D.
    EXPECT_EQ(turnerStability(2, 5.0), Stability::D);
    // 2.0 m/s = 3.89 -> 4 kt, index 1 -> D; index 2 -> C.
    EXPECT_EQ(turnerStability(1, 2.0), Stability::D);
    EXPECT_EQ(turnerStability(2, 2.0), Stability::C);
    // 6.5 m/s = 12.6 -> 13 kt, index 4 -> C.
    EXPECT_EQ(turnerStability(4, 6.5), Stability::C);
    // Night, clear: 1.0 m/s -> G, merged into F; 3.5 m/s = 6.80 -> 7 kt -> E;
    // 2.5 m/s = 4.86 -> 5 kt -> F; 7 m/s = 13.6 -> 14 kt -> D.
    EXPECT_EQ(turnerStability(-2, 1.0), Stability::F);
    EXPECT_EQ(turnerStability(-2, 3.5), Stability::E);
    EXPECT_EQ(turnerStability(-2, 2.5), Stability::F);
    EXPECT_EQ(turnerStability(-2, 7.0), Stability::D);
    // Overcast night (-1) with 3.0 m/s = 6 kt -> E.
    EXPECT_EQ(turnerStability(-1, 3.0), Stability::E);
}

TEST(MetStability, TurnerClassOfAnHourCountsTurnersNight) {
    // Thái Nguyên (21.6 N, 105.85 E) on 15 January 2024: NOAA's solar calculator gives sunrise
    // about 06:36 and sunset about 17:38 local time (UTC+7), and a noon elevation near 47°.
    // Turner (1964) counts as night the time from an hour before sunset to an hour after
    // sunrise (EPA-454/R-99-005 section 6.4.1).
    const double lat = 21.6, lon = 105.85;
    // Hour 06:30-07:30, middle 07:00: the sun rose under an hour before, so night; 2.0 m/s
    // (4 kt) at night index -2 is F, where a day hour of weak insolation would be D.
    EXPECT_EQ(turnerStabilityAt(utc("2024-01-15T00:00:00Z"), lat, lon, 2.0), Stability::F);
    // Middle 17:00: sunset is under an hour after, so night again.
    EXPECT_EQ(turnerStabilityAt(utc("2024-01-15T10:00:00Z"), lat, lon, 2.0), Stability::F);
    // Middle 12:00: elevation about 47°, moderate insolation (index 3); 3.0 m/s -> B.
    EXPECT_EQ(turnerStabilityAt(utc("2024-01-15T05:00:00Z"), lat, lon, 3.0), Stability::B);
    // Middle 09:00: the sun is up an hour before and after, so day: elevation about 28°, slight
    // insolation (index 2); 2.0 m/s -> C.
    EXPECT_EQ(turnerStabilityAt(utc("2024-01-15T02:00:00Z"), lat, lon, 2.0), Stability::C);
}

TEST(MetMixingHeight, Screen3RegulatoryDefault) {
    // 320 m per m/s for A-D; 10,000 m for E and F.
    EXPECT_DOUBLE_EQ(screen3MixingHeight_m(Stability::A, 1.5), 480.0);
    EXPECT_DOUBLE_EQ(screen3MixingHeight_m(Stability::D, 5.0), 1600.0);
    EXPECT_DOUBLE_EQ(screen3MixingHeight_m(Stability::F, 1.0), 10000.0);
}

TEST(MetMixingHeight, MatchesScreen3ExampleOutput) {
    // SCREEN3 EXAMPLE.OUT rows "DIST CONC STAB U10M USTK MIX HT": class 1 at 1.5 m/s prints
    // 480.0 m, class 6 prints 10000.0 m.
    PARKTWIN_REQUIRE_SHARED(test::screen3ExampleOutput());
    const auto rows = test::screen3DistanceRows();
    for (const auto& r : rows)
        EXPECT_NEAR(screen3MixingHeight_m(Stability(r.stabilityClass), r.u10_ms),
                    r.mixingHeight_m, 0.05)
            << r.line;
    EXPECT_GE(rows.size(), 8u);
}
