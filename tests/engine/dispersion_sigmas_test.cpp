// Sigma-y and sigma-z against ISC3 user's guide vol II (EPA-454/B-95-003b) tables 1-1 to 1-4,
// each expected value worked by hand from the published coefficients.

#include "engine/dispersion/sigmas.h"

#include <cmath>

#include <gtest/gtest.h>

using namespace parktwin;
using namespace parktwin::dispersion;

TEST(DispersionSigmas, RuralClassDAtOneKilometre) {
    // Table 1-1, D: c = 8.3330, d = 0.72382; x = 1 km so ln x = 0 and TH = 8.3330°.
    // sigma-y = 465.11628 * 1.0 * tan(8.3330°) = 465.11628 * 0.146474 = 68.127 m.
    // Table 1-2, D, 0.31-1.00 km: sigma-z = 32.093 * 1.0^0.81066 = 32.093 m.
    const Sigmas s = sigmasAt(LandUse::Rural, Stability::D, 1000.0);
    EXPECT_NEAR(s.y_m, 68.127, 0.002);
    EXPECT_NEAR(s.z_m, 32.093, 0.001);
    // At 500 m the exponent matters: 32.093 * 0.5^0.81066 = 32.093 * 0.570121 = 18.2969 m.
    EXPECT_NEAR(sigmasAt(LandUse::Rural, Stability::D, 500.0).z_m, 18.2969, 0.001);
}

TEST(DispersionSigmas, RuralClassFAt500Metres) {
    // TH = 4.1667 - 0.36191 ln(0.5) = 4.1667 + 0.25086 = 4.41756°;
    // sigma-y = 465.11628 * 0.5 * tan(4.41756°) = 232.558 * 0.077254 = 17.966 m.
    // F, 0.21-0.70 km: sigma-z = 14.457 * 0.5^0.78407 = 14.457 * 0.58072 = 8.3956 m.
    const Sigmas s = sigmasAt(LandUse::Rural, Stability::F, 500.0);
    EXPECT_NEAR(s.y_m, 17.966, 0.002);
    EXPECT_NEAR(s.z_m, 8.3956, 0.001);
}

TEST(DispersionSigmas, RuralClassAGrowsFastThenCaps) {
    // A, 0.51-3.11 km: sigma-z = 453.85 * 2^2.1166 = 453.85 * 4.33672 = 1968.21 m.
    // TH = 24.167 - 2.5334 ln 2 = 22.41098°; sigma-y = 465.11628 * 2 * tan(22.41098°)
    //    = 930.233 * 0.412398 = 383.62 m.
    const Sigmas s2 = sigmasAt(LandUse::Rural, Stability::A, 2000.0);
    EXPECT_NEAR(s2.z_m, 1968.21, 0.05);
    EXPECT_NEAR(s2.y_m, 383.62, 0.02);
    // Beyond 3.11 km table 1-2 gives 5,000 m for class A.
    EXPECT_DOUBLE_EQ(sigmasAt(LandUse::Rural, Stability::A, 5000.0).z_m, 5000.0);
}

TEST(DispersionSigmas, RuralClassesBCE) {
    // B, > 0.40 km: 109.30 * 3^1.09710 = 109.30 * 3.33772 = 364.81 m.
    EXPECT_NEAR(sigmasAt(LandUse::Rural, Stability::B, 3000.0).z_m, 364.81, 0.02);
    // C, all x: 61.141 * 0.2^0.91465 = 61.141 * 0.229447 = 14.0288 m.
    EXPECT_NEAR(sigmasAt(LandUse::Rural, Stability::C, 200.0).z_m, 14.0288, 0.001);
    // E, 4.01-10.00 km: 24.703 * 5^0.50527 = 24.703 * 2.25512 = 55.708 m.
    EXPECT_NEAR(sigmasAt(LandUse::Rural, Stability::E, 5000.0).z_m, 55.708, 0.002);
}

TEST(DispersionSigmas, RuralSigmaZBandsJoinAtTheirEdges) {
    // Turner's fits were made to join: evaluated a hair either side of every band edge of
    // table 1-2 the two bands agree to 0.1%. A mistyped coefficient breaks this.
    const double edgesKm[] = {0.10, 0.15, 0.20, 0.25, 0.30, 0.40, 0.50, 0.70,
                              1.00, 2.00, 3.00, 4.00, 7.00, 10.0, 15.0, 20.0,
                              30.0, 40.0, 60.0};
    for (Stability st : {Stability::A, Stability::B, Stability::C, Stability::D, Stability::E,
                         Stability::F}) {
        for (double e : edgesKm) {
            if (st == Stability::A && e > 3.0)
                continue; // class A is capped at 5,000 m from 3.11 km
            const double below = sigmasAt(LandUse::Rural, st, e * 1000.0 * (1 - 1e-9)).z_m;
            const double above = sigmasAt(LandUse::Rural, st, e * 1000.0 * (1 + 1e-9)).z_m;
            EXPECT_NEAR(above / below, 1.0, 1e-3)
                << "class " << stabilityLetter(st) << " at " << e << " km";
        }
    }
}

TEST(DispersionSigmas, UrbanBriggsCurves) {
    // Table 1-3/1-4, x = 1000 m, D: sigma-y = 0.16 x / sqrt(1 + 0.0004 x) = 160 / 1.183216
    //   = 135.225 m; sigma-z = 0.14 x / sqrt(1 + 0.0003 x) = 140 / 1.140175 = 122.788 m.
    Sigmas s = sigmasAt(LandUse::Urban, Stability::D, 1000.0);
    EXPECT_NEAR(s.y_m, 135.225, 0.001);
    EXPECT_NEAR(s.z_m, 122.788, 0.001);
    // A at 500 m: sigma-y = 160 / sqrt(1.2) = 146.059 m; sigma-z = 0.24*500*sqrt(1.5) = 146.969.
    s = sigmasAt(LandUse::Urban, Stability::A, 500.0);
    EXPECT_NEAR(s.y_m, 146.059, 0.001);
    EXPECT_NEAR(s.z_m, 146.969, 0.001);
    // C at 800 m: sigma-y = 176 / sqrt(1.32) = 153.188 m; sigma-z = 0.20 * 800 = 160 m.
    s = sigmasAt(LandUse::Urban, Stability::C, 800.0);
    EXPECT_NEAR(s.y_m, 153.188, 0.001);
    EXPECT_NEAR(s.z_m, 160.0, 1e-9);
    // F at 2000 m: sigma-y = 220 / sqrt(1.8) = 163.978 m; sigma-z = 160 / sqrt(4) = 80 m.
    s = sigmasAt(LandUse::Urban, Stability::F, 2000.0);
    EXPECT_NEAR(s.y_m, 163.978, 0.001);
    EXPECT_NEAR(s.z_m, 80.0, 1e-9);
}

TEST(DispersionSigmas, SigmaZCappedAt5000Metres) {
    // Urban A at 20 km: 0.24 * 20000 * sqrt(21) = 21,997 m, above the ISC3 cap of 5,000 m.
    EXPECT_DOUBLE_EQ(sigmasAt(LandUse::Urban, Stability::A, 20000.0).z_m, 5000.0);
}

TEST(DispersionSigmas, SmallAngleTangentMatchesTheLibrary) {
    // Lambert's continued fraction, truncated at 11, against std::tan over the Pasquill-Gifford
    // half-angles (and past them, where it hands over to std::tan).
    for (double theta = -1.2; theta <= 1.2; theta += 0.001)
        EXPECT_NEAR(parktwin::dispersion::tanOfSmallAngle(theta), std::tan(theta),
                    1e-8 * std::abs(std::tan(theta)) + 1e-15)
            << theta;
}
