// Building downwash pieces against hand-worked forms (ISC3 user's guide vol II, sections
// 1.1.4 and 1.1.5.3) and against SCREEN3's printed downwash example.

#include <cmath>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/core/error.h"
#include "engine/dispersion/plume.h"
#include "engine/dispersion/plume_rise.h"
#include "engine/dispersion/sigmas.h"
#include "screen3_example.h"

using namespace parktwin;
using namespace parktwin::dispersion;

TEST(DispersionDownwash, SchulmanScireRiseSolvesTheLinearEntrainmentCubic) {
    // TEST-ST's stack in a neutral hour: Fb = 9.80616 * 11.7 * 2.4² * 150 / (4 * 432) = 57.4;
    // with r0 = 0 the cubic is Briggs' 2/3 law, (3 / (2 β²))^(1/3) Fb^(1/3) x^(2/3) / us,
    // whose coefficient 1.6094 for β = 0.6 Briggs rounds to 1.60.
    const PlumeRise r = briggsPlumeRise(2.4, 11.7, 432.0, 282.0, 5.0, Stability::D);
    ASSERT_TRUE(r.buoyancyDominated);
    const double x = 200.0;
    const double briggs =
        std::cbrt(3.0 / (2.0 * 0.36)) * std::cbrt(r.buoyancyFlux) * std::pow(x, 2.0 / 3.0) / 5.0;
    EXPECT_NEAR(schulmanScireRise_m(r, 0.0, x), briggs, 1e-6 * briggs);
    // With an initial radius r0 the cubic is (z + r0/β)³ = R + (r0/β)³.
    const double r0 = 20.0, k = r0 / 0.6;
    const double rhs = 3.0 * r.buoyancyFlux * x * x / (2.0 * 0.36 * 125.0);
    EXPECT_NEAR(schulmanScireRise_m(r, r0, x), std::cbrt(rhs + k * k * k) - k, 1e-6);
}

TEST(DispersionDownwash, SchulmanScireRiseMatchesScreen3sPrintedHeights) {
    // SCREEN3's downwash example (EXAMPLE.OUT; stack 100 m, 2 m, 15 m/s, 450 K, Ta 293 K,
    // Fb 51.319) prints plume heights 125.11 and 140.59 m at 300 and 400 m in class A
    // (us = 1.5 * 10^0.15 = 2.119 m/s, r0 = sqrt(2) 64.14 m) and 113.08 m in class F
    // (us = 1.0 * 10^0.30 = 1.9953 m/s, r0 = sqrt(2) 0.6817 * 56 m), all over the 100 m stack.
    const PlumeRise a = briggsPlumeRise(2.0, 15.0, 450.0, 293.0, 2.119, Stability::A);
    EXPECT_NEAR(a.buoyancyFlux, 51.319, 0.001);
    EXPECT_NEAR(schulmanScireRise_m(a, 90.71, 300.0), 25.11, 0.03);
    EXPECT_NEAR(schulmanScireRise_m(a, 90.71, 400.0), 40.59, 0.04);
    const PlumeRise f = briggsPlumeRise(2.0, 15.0, 450.0, 293.0, 1.9953, Stability::F);
    EXPECT_NEAR(schulmanScireRise_m(f, 53.98, 800.0), 13.08, 0.02);
    // The wake test's stable momentum rise at 2 hb = 160 m: 30.93 m, above Briggs' final
    // stable momentum rise 1.5 (Fm / (us sqrt(s)))^(1/3) = 19.4 m.
    EXPECT_NEAR(momentumRiseAt_m(2.0, 15.0, 450.0, 293.0, 1.9953, Stability::F, 160.0), 30.93,
                0.03);
}

TEST(DispersionDownwash, VirtualDistanceInvertsTheSigmaCurves) {
    const SigmaCurves d(LandUse::Rural, Stability::D);
    // Rural D sigma-z between 0.3 and 1 km is 32.093 x^0.81066: 20 m at
    // x = (20 / 32.093)^(1 / 0.81066) km = 0.5580 km.
    EXPECT_NEAR(distanceForSigmaZ_m(d, 20.0), 1000.0 * std::pow(20.0 / 32.093, 1 / 0.81066), 1e-3);
    EXPECT_NEAR(d.at(distanceForSigmaY_m(d, 30.0)).y_m, 30.0, 1e-6);
}

TEST(DispersionDownwash, CavityReceptorsGetNothingAndTheWakeRaisesNearConcentrations) {
    PointSource s;
    s.height_m = 35.0;
    s.diameter_m = 2.4;
    s.exitVelocity_ms = 11.7;
    s.exitTemperature_K = 432.0;
    s.emissionRate_gs = 1.0;
    MetHour m;
    m.windSpeed_ms = 5.0;
    m.windFromDir_deg = 270.0; // flow toward 90 degrees, sector 9
    m.anemometerHeight_m = 10.0;
    m.temperature_K = 282.0;
    m.stability = Stability::D;
    m.mixingHeight_m = 1000.0;
    // Receptors at 60 m (inside 3 L = 90 m) and 200 m downwind.
    const std::vector<Receptor> rs{{{60.0, 0.0}, 0, 0}, {{200.0, 0.0}, 0, 0}};
    std::vector<double> bare(2, 0.0), wake(2, 0.0);
    addHourConcentrations(std::span(&s, 1), m, rs, PlumeOptions{}, bare);
    BuildingWakeTable t{};
    t.fill({34.0, 30.0}); // L = 30 m; hs = 35 <= 34 + 0.5 L: Schulman-Scire
    s.buildings = t;
    addHourConcentrations(std::span(&s, 1), m, rs, PlumeOptions{}, wake);
    EXPECT_EQ(wake[0], 0.0);
    EXPECT_GT(wake[1], 10.0 * bare[1]);
}

TEST(DispersionDownwash, DecayFollowsTravelTime) {
    PointSource s;
    s.height_m = 20.0;
    s.diameter_m = 1.0;
    s.exitTemperature_K = 293.15;
    s.emissionRate_gs = 10.0;
    MetHour m;
    m.windSpeed_ms = 4.0;
    m.windFromDir_deg = 270.0;
    m.anemometerHeight_m = 20.0; // us = 4 m/s, no extrapolation
    m.temperature_K = 293.15;
    m.stability = Stability::D;
    const std::vector<Receptor> rs{{{1000.0, 0.0}, 0, 0}};
    std::vector<double> plain(1, 0.0), decayed(1, 0.0);
    PlumeOptions o;
    addHourConcentrations(std::span(&s, 1), m, rs, o, plain);
    o.decayCoefficient_per_s = std::log(2.0) / 14400.0; // SO2, 4 h half-life
    addHourConcentrations(std::span(&s, 1), m, rs, o, decayed);
    // exp(-psi x / us) = exp(-4.8135e-5 * 1000 / 4) = 0.98804.
    EXPECT_NEAR(decayed[0] / plain[0], std::exp(-std::log(2.0) / 14400.0 * 250.0), 1e-12);
}

TEST(DispersionDownwash, Screen3SchulmanScireExample) {
    // SCREEN3's own downwash example (validation/isc3/screen3/EXAMPLE.DAT and EXAMPLE.OUT):
    // urban, 100 g/s from a 100 m stack beside an 80 m building 80 m by 100 m across; the
    // automated-distance table prints per distance the met used and the plume height, sigma-y
    // and sigma-z of its Schulman-Scire calculation.
    PARKTWIN_REQUIRE_SHARED(test::screen3ExampleOutput());
    PointSource s;
    s.height_m = 100.0;
    s.diameter_m = 2.0;
    s.exitVelocity_ms = 15.0;
    s.exitTemperature_K = 450.0;
    s.emissionRate_gs = 100.0;
    BuildingWakeTable t{};
    t.fill({80.0, 80.0}); // L = min(hb, width) = 80 m for either horizontal dimension
    s.buildings = t;
    PlumeOptions o;
    o.landUse = LandUse::Urban;

    // Eight distances from 300 to 1000 m, then the maximum repeated under its own heading.
    auto rows = test::screen3DistanceRows();
    ASSERT_EQ(rows.size(), 9u);
    rows.pop_back();
    double maxConc = 0, maxDist_m = 0;
    for (const test::Screen3Row& row : rows) {
        std::istringstream fields(row.line);
        double dist, conc, stab, u10, ustk, mix, he, sy, sz;
        std::string dwash;
        fields >> dist >> conc >> stab >> u10 >> ustk >> mix >> he >> sy >> sz >> dwash;
        ASSERT_EQ(dwash, "SS") << row.line;
        MetHour m;
        m.stability = static_cast<Stability>(row.stabilityClass);
        m.windSpeed_ms = row.u10_ms;
        m.anemometerHeight_m = 10.0;
        m.windFromDir_deg = 270.0;
        m.temperature_K = 293.0;
        m.mixingHeight_m = row.mixingHeight_m;
        const PlumeGeometry g = plumeGeometryAt(s, m, o, row.distance_m);
        EXPECT_EQ(g.downwash, "SS") << row.line;
        EXPECT_NEAR(g.height_m, he, 0.005 * he) << row.line;
        EXPECT_NEAR(g.sigmaY_m, sy, 0.005 * sy) << row.line;
        EXPECT_NEAR(g.sigmaZ_m, sz, 0.005 * sz) << row.line;

        const std::vector<Receptor> r{{{row.distance_m, 0.0}, 0, 0}};
        std::vector<double> c(1, 0.0);
        addHourConcentrations(std::span(&s, 1), m, r, o, c);
        EXPECT_NEAR(c[0], conc, 0.02 * conc) << row.line;
        if (c[0] > maxConc) {
            maxConc = c[0];
            maxDist_m = row.distance_m;
        }
    }
    // MAXIMUM 1-HR CONCENTRATION: 715.3 µg/m³ at 800 m.
    EXPECT_EQ(maxDist_m, 800.0);
    EXPECT_NEAR(maxConc, 715.3, 0.02 * 715.3);
}

TEST(DispersionDownwash, PlumeGeometryRefusesANonPositiveDistanceAndIsEmptyInTheCavity) {
    PointSource s;
    s.height_m = 35.0;
    s.diameter_m = 2.4;
    s.exitVelocity_ms = 11.7;
    s.exitTemperature_K = 432.0;
    s.emissionRate_gs = 1.0;
    BuildingWakeTable t{};
    t.fill({34.0, 30.0}); // L = 30 m: the cavity reaches 90 m
    s.buildings = t;
    MetHour m;
    m.windSpeed_ms = 5.0;
    m.temperature_K = 282.0;
    EXPECT_THROW(plumeGeometryAt(s, m, PlumeOptions{}, 0.0), Error);
    EXPECT_THROW(plumeGeometryAt(s, m, PlumeOptions{}, std::nan("")), Error);
    EXPECT_EQ(plumeGeometryAt(s, m, PlumeOptions{}, 60.0).downwash, "");
    const PlumeGeometry g = plumeGeometryAt(s, m, PlumeOptions{}, 200.0);
    EXPECT_EQ(g.downwash, "SS");
    EXPECT_GT(g.height_m, s.height_m);
}

TEST(DispersionDownwash, SchulmanScirePlumeMeetsTheLidWhereItIs) {
    // TEST-ST's 6 January hour 8 (PREPIT.ASC: flow 352 degrees, 2.0578 m/s at 20 ft, class D,
    // 276.5 K, rural lid 155.5 m; sector 35, 34 m by 36.45 m): the final Schulman-Scire height
    // is above the lid, yet ISCST3 reports concentration at 200 m, where the plume is still
    // below it.
    PointSource s;
    s.height_m = 35.0;
    s.diameter_m = 2.4;
    s.exitVelocity_ms = 11.7;
    s.exitTemperature_K = 432.0;
    s.emissionRate_gs = 1.0;
    BuildingWakeTable t{};
    t.fill({34.0, 36.45});
    s.buildings = t;
    MetHour m;
    m.windSpeed_ms = 2.0578;
    m.anemometerHeight_m = 6.096;
    m.windFromDir_deg = 172.0;
    m.temperature_K = 276.5;
    m.stability = Stability::D;
    m.mixingHeight_m = 155.5;
    EXPECT_GT(plumeGeometryAt(s, m, PlumeOptions{}, 5000.0).height_m, m.mixingHeight_m);
    const double toward_rad = 352.0 * std::numbers::pi / 180.0;
    const Vec2 at200{200.0 * std::sin(toward_rad), 200.0 * std::cos(toward_rad)};
    EXPECT_LT(plumeGeometryAt(s, m, PlumeOptions{}, 200.0).height_m, m.mixingHeight_m);
    const std::vector<Receptor> r{{at200, 0, 0}};
    std::vector<double> c(1, 0.0);
    addHourConcentrations(std::span(&s, 1), m, r, PlumeOptions{}, c);
    EXPECT_GT(c[0], 0.0);
}
