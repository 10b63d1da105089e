// Building downwash pieces against hand-worked forms (ISC3 user's guide vol II, sections
// 1.1.4 and 1.1.5.3).

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "engine/dispersion/plume.h"
#include "engine/dispersion/plume_rise.h"
#include "engine/dispersion/sigmas.h"

using namespace parktwin;
using namespace parktwin::dispersion;

TEST(DispersionDownwash, SchulmanScireRiseReducesToBriggsWithoutInitialSize) {
    // TEST-ST's stack in a neutral hour: Fb = 9.80616 * 11.7 * 2.4² * 150 / (4 * 432) = 57.4;
    // with r0 = ly = 0 the cubic is Briggs' 2/3 law, (3 / (2 β²))^(1/3) Fb^(1/3) x^(2/3) / us,
    // whose coefficient 1.6094 for β = 0.6 Briggs rounds to 1.60.
    const PlumeRise r = briggsPlumeRise(2.4, 11.7, 432.0, 282.0, 5.0, Stability::D);
    ASSERT_TRUE(r.buoyancyDominated);
    const double x = 200.0;
    const double briggs = std::cbrt(3.0 / (2.0 * 0.36)) * std::cbrt(r.buoyancyFlux) * std::pow(x, 2.0 / 3.0) / 5.0;
    EXPECT_NEAR(schulmanScireRise_m(r, 0.0, 0.0, x), briggs, 1e-6 * briggs);
    // With an initial radius r0 and no line length the cubic is (z + r0/β)³ = R + (r0/β)³.
    const double r0 = 20.0, k = r0 / 0.6;
    const double rhs = 3.0 * r.buoyancyFlux * x * x / (2.0 * 0.36 * 125.0);
    EXPECT_NEAR(schulmanScireRise_m(r, r0, 0.0, x), std::cbrt(rhs + k * k * k) - k, 1e-6);
    // A line length only lowers the rise.
    EXPECT_LT(schulmanScireRise_m(r, r0, 30.0, x), schulmanScireRise_m(r, r0, 0.0, x));
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
