// Wind profile, stack-tip downwash and Briggs plume rise, against values worked by hand from
// ISC3 user's guide vol II (EPA-454/B-95-003b) section 1.1 and the SCREEN3 example output.

#include "engine/dispersion/plume_rise.h"
#include "engine/dispersion/wind_profile.h"

#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "screen3_example.h"
#include "test_paths.h"

using namespace parktwin;
using namespace parktwin::dispersion;

namespace {

// SCREEN3 example (EPA SCREEN3 distribution, EXAMPLE.OUT, version 96043): 100 m stack, 2 m
// diameter, 15 m/s, 450 K exhaust, 293 K air; it prints
// "BUOY. FLUX = 51.319 M**4/S**3; MOM. FLUX = 146.500 M**4/S**2".
constexpr double kScreen3BuoyancyFlux = 51.319;
constexpr double kScreen3MomentumFlux = 146.500;


std::string readAll(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

double numberAfter(const std::string& text, const std::string& label) {
    const std::regex re(label + R"(\s*=\s*([-+0-9.Ee]+))");
    std::smatch m;
    if (!std::regex_search(text, m, re))
        return NAN;
    return std::stod(m[1].str());
}

} // namespace

TEST(DispersionRise, FluxesMatchScreen3HardCoded) {
    // Fb = 9.80616 * 15 * 2² * (450 - 293) / (4 * 450) = 51.3189;
    // Fm = 15² * 2² * 293 / (4 * 450) = 146.5.
    EXPECT_NEAR(buoyancyFlux_m4s3(15, 2, 450, 293), kScreen3BuoyancyFlux,
                1e-3 * kScreen3BuoyancyFlux);
    EXPECT_NEAR(momentumFlux_m4s2(15, 2, 450, 293), kScreen3MomentumFlux,
                1e-3 * kScreen3MomentumFlux);
}

TEST(DispersionRise, FluxesMatchScreen3File) {
    const auto path = test::screen3ExampleOutput();
    PARKTWIN_REQUIRE_SHARED(path);
    const std::string text = readAll(path);
    const double diameter = numberAfter(text, R"(STK INSIDE DIAM \(M\))");
    const double velocity = numberAfter(text, R"(STK EXIT VELOCITY \(M/S\))");
    const double exitT = numberAfter(text, R"(STK GAS EXIT TEMP \(K\))");
    const double airT = numberAfter(text, R"(AMBIENT AIR TEMP \(K\))");
    const double fb = numberAfter(text, R"(BUOY\. FLUX)");
    const double fm = numberAfter(text, R"(MOM\. FLUX)");
    ASSERT_FALSE(std::isnan(diameter) || std::isnan(velocity) || std::isnan(exitT) ||
                 std::isnan(airT) || std::isnan(fb) || std::isnan(fm));
    EXPECT_NEAR(buoyancyFlux_m4s3(velocity, diameter, exitT, airT), fb, 1e-3 * fb);
    EXPECT_NEAR(momentumFlux_m4s2(velocity, diameter, exitT, airT), fm, 1e-3 * fm);
}

TEST(DispersionRise, StackHeightWindMatchesScreen3Table) {
    // SCREEN3 EXAMPLE.OUT, urban, 100 m stack: rows "STAB U10M USTK". Class 1 with 1.5 m/s at
    // 10 m prints 2.1 (1.5 * 10^0.15 = 2.119); class 6 with 1.0 prints 2.0 (10^0.30 = 1.995).
    PARKTWIN_REQUIRE_SHARED(test::screen3ExampleOutput());
    const auto rows = test::screen3DistanceRows();
    for (const auto& r : rows)
        EXPECT_NEAR(stackHeightWind_ms(r.u10_ms, 10.0, 100.0, LandUse::Urban,
                                       Stability(r.stabilityClass)),
                    r.uStack_ms, 0.05)
            << r.line;
    EXPECT_GE(rows.size(), 8u);
}

TEST(DispersionRise, WindProfilePowerLaw) {
    // Rural D, p = 0.15: 3 * (100/10)^0.15 = 3 * 1.41254 = 4.2376 m/s.
    EXPECT_NEAR(stackHeightWind_ms(3, 10, 100, LandUse::Rural, Stability::D), 4.2376, 1e-4);
    // Anemometer at 20 ft = 6.096 m, 35 m stack: 3 * (35/6.096)^0.15 = 3.8992 m/s.
    EXPECT_NEAR(stackHeightWind_ms(3, 6.096, 35, LandUse::Rural, Stability::D), 3.8992, 1e-4);
    // A 5 m release uses 10 m, where the wind is the anemometer's own.
    EXPECT_NEAR(stackHeightWind_ms(3, 10, 5, LandUse::Rural, Stability::F), 3.0, 1e-12);
    // 0.5 m/s at 10 m, rural F, 20 m: 0.5 * 2^0.55 = 0.732, floored to 1.0 m/s.
    EXPECT_DOUBLE_EQ(stackHeightWind_ms(0.5, 10, 20, LandUse::Rural, Stability::F), 1.0);
}

TEST(DispersionRise, StackTipDownwash) {
    // vs = 3 < 1.5 us = 6: h' = 50 + 2 * 2 * (3/4 - 1.5) = 50 - 3 = 47 m.
    EXPECT_NEAR(stackTipDownwashHeight_m(50, 2, 3, 4), 47.0, 1e-12);
    // vs = 7 >= 6: no downwash.
    EXPECT_DOUBLE_EQ(stackTipDownwashHeight_m(50, 2, 7, 4), 50.0);
}

TEST(DispersionRise, BuoyantNeutralSmallFlux) {
    // SCREEN3 stack, class D, us = 5 m/s. Fb = 51.3189 < 55, so the crossover is
    // dTc = 0.0297 * 450 * 15^(1/3) / 2^(2/3) = 13.365 * 2.46621 / 1.58740 = 20.764 K < 157 K:
    // buoyancy dominates. Final rise 21.425 * 51.3189^0.75 / 5 = 21.425 * 19.1739 / 5
    // = 82.160 m, reached at 49 * 51.3189^0.625 = 49 * 11.7199 = 574.27 m.
    const PlumeRise r = briggsPlumeRise(2, 15, 450, 293, 5, Stability::D);
    EXPECT_TRUE(r.buoyancyDominated);
    EXPECT_NEAR(r.final_m, 82.160, 0.002);
    EXPECT_NEAR(r.finalDistance_m, 574.27, 0.01);
    // Gradual at 200 m: 1.60 * (51.3189 * 200²)^(1/3) / 5 = 1.6 * 127.084 / 5 = 40.669 m.
    EXPECT_NEAR(gradualRise_m(r, 200), 40.669, 0.002);
    // Past the distance of final rise the gradual rise is the final rise.
    EXPECT_DOUBLE_EQ(gradualRise_m(r, 2000), r.final_m);
}

TEST(DispersionRise, BuoyantUnstableLargeFlux) {
    // ds = 5, vs = 20, Ts = 420, Ta = 290, us = 6, class B.
    // Fb = 9.80616 * 20 * 25 * 130 / 1680 = 379.405 >= 55;
    // dTc = 0.00575 * 420 * 20^(2/3) / 5^(1/3) = 2.415 * 7.36806 / 1.70998 = 10.406 K < 130 K.
    // Final 38.71 * 379.405^0.6 / 6 = 38.71 * 35.2748 / 6 = 227.58 m;
    // distance 119 * 379.405^0.4 = 119 * 10.7558 = 1279.94 m.
    const PlumeRise r = briggsPlumeRise(5, 20, 420, 290, 6, Stability::B);
    EXPECT_NEAR(r.buoyancyFlux, 379.405, 0.001);
    EXPECT_TRUE(r.buoyancyDominated);
    EXPECT_NEAR(r.final_m, 227.58, 0.01);
    EXPECT_NEAR(r.finalDistance_m, 1279.94, 0.01);
}

TEST(DispersionRise, BuoyantStable) {
    // SCREEN3 stack, class F, us = 2 m/s, Ta = 293 K:
    // s = 9.80616 * 0.035 / 293 = 1.171384e-3 1/s²; sqrt(s) = 0.0342255.
    // dTc = 0.019582 * 450 * 15 * 0.0342255 = 4.524 K < 157 K: buoyant.
    // Final 2.6 * (51.3189 / (2 * 1.171384e-3))^(1/3) = 2.6 * 21905.1^(1/3) = 2.6 * 27.980
    //   = 72.748 m; distance 2.0715 * 2 / 0.0342255 = 121.05 m.
    const PlumeRise r = briggsPlumeRise(2, 15, 450, 293, 2, Stability::F);
    EXPECT_TRUE(r.stable);
    EXPECT_TRUE(r.buoyancyDominated);
    EXPECT_NEAR(r.stableParameter, 1.171384e-3, 1e-9);
    EXPECT_NEAR(r.final_m, 72.748, 0.002);
    EXPECT_NEAR(r.finalDistance_m, 121.05, 0.01);
}

TEST(DispersionRise, MomentumJets) {
    // Exhaust at air temperature: Fb = 0, Fm = 20² * 1² * 293 / (4 * 293) = 100 m⁴/s².
    // Neutral momentum rise 3 * 1 * 20 / 4 = 15 m, final at 4 * 1 * (20 + 12)² / (20 * 4)
    // = 51.2 m. Gradual at 20 m with beta_j = 1/3 + 4/20 = 0.53333:
    // (3 * 100 * 20 / (0.284444 * 16))^(1/3) = 1318.36^(1/3) = 10.965 m.
    const PlumeRise r = briggsPlumeRise(1, 20, 293, 293, 4, Stability::C);
    EXPECT_FALSE(r.buoyancyDominated);
    EXPECT_NEAR(r.final_m, 15.0, 1e-9);
    EXPECT_NEAR(r.finalDistance_m, 51.2, 1e-9);
    EXPECT_NEAR(gradualRise_m(r, 20), 10.965, 0.001);

    // Stable E, us = 2: s = 9.80616 * 0.02 / 293 = 6.69362e-4, sqrt(s) = 0.0258720;
    // 1.5 * (100 / (2 * 0.0258720))^(1/3) = 1.5 * 1932.6^(1/3) = 1.5 * 12.4560 = 18.684 m,
    // less than the neutral form 3 * 1 * 20 / 2 = 30 m, so 18.684 m.
    const PlumeRise e = briggsPlumeRise(1, 20, 293, 293, 2, Stability::E);
    EXPECT_NEAR(e.final_m, 18.684, 0.001);
}

TEST(DispersionRise, NoExitFlowNoRise) {
    const PlumeRise r = briggsPlumeRise(1, 0, 400, 293, 3, Stability::D);
    EXPECT_EQ(r.final_m, 0.0);
    EXPECT_EQ(gradualRise_m(r, 100), 0.0);
}
