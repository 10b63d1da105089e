// Gaussian plume concentrations against closed forms worked by hand from ISC3 user's guide
// vol II (EPA-454/B-95-003b) section 1.1, and mass balance by numerical integration.

#include "engine/dispersion/plume.h"

#include <cmath>
#include <algorithm>
#include <numbers>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "engine/core/error.h"

using namespace parktwin;
using namespace parktwin::dispersion;

namespace {

// A passive release: no exit flow, exhaust at air temperature, so no rise, no
// buoyancy-induced dispersion and (with the option off) no stack-tip downwash.
PointSource passiveStack(double height_m) {
    PointSource s;
    s.id = "passive";
    s.height_m = height_m;
    s.diameter_m = 1.0;
    s.exitVelocity_ms = 0.0;
    s.exitTemperature_K = 293.15;
    s.emissionRate_gs = 100.0;
    return s;
}

MetHour westWind(double u10_ms, Stability st, double mixing_m) {
    MetHour m;
    m.windSpeed_ms = u10_ms;
    m.windFromDir_deg = 270.0; // from the west: the plume travels along +x
    m.anemometerHeight_m = 10.0;
    m.temperature_K = 293.15;
    m.stability = st;
    m.mixingHeight_m = mixing_m;
    return m;
}

PlumeOptions noTipDownwash() {
    PlumeOptions o;
    o.stackTipDownwash = false;
    return o;
}

/// The concentration at `r` from the scalar receptor loop, checked against the vector loop
/// (where the processor has it) on eight copies of the receptor, two full vectors.
double concentrationAt(const PointSource& src, const MetHour& met, const Receptor& r,
                       const PlumeOptions& options) {
    PlumeOptions scalar = options;
    scalar.vectorLoop = false;
    std::vector<Receptor> one{r};
    std::vector<double> out(1, 0.0);
    addHourConcentrations(std::span(&src, 1), met, one, scalar, out);

    PlumeOptions vector = options;
    vector.vectorLoop = true;
    std::vector<Receptor> eight(8, r);
    std::vector<double> outs(8, 0.0);
    addHourConcentrations(std::span(&src, 1), met, eight, vector, outs);
    for (double v : outs)
        EXPECT_NEAR(v, out[0], 1e-12 * std::abs(out[0]) + 1e-300);
    return out[0];
}

// Hand working shared by the passive cases: 50 m stack, 100 g/s, 5 m/s at 10 m, rural D.
// us = 5 * (50/10)^0.15 = 5 * 1.273050 = 6.365251 m/s.
// At x = 1000 m: sigma-y = 465.11628 tan(8.333°) = 68.12674 m, sigma-z = 32.093 m.
constexpr double kUs = 6.365251;
constexpr double kSy = 68.12674;
constexpr double kSz = 32.093;

double closedForm(double h_m, double zr_m) {
    const double a = (zr_m - h_m) / kSz, b = (zr_m + h_m) / kSz;
    return 100.0e6 / (2 * std::numbers::pi * kUs * kSy * kSz) *
           (std::exp(-0.5 * a * a) + std::exp(-0.5 * b * b));
}

} // namespace

TEST(DispersionPlume, GroundCentrelineMatchesClosedForm) {
    // C = Q / (pi us sy sz) exp(-H² / (2 sz²)) with Q = 100e6 µg/s, H = 50 m:
    // 100e6 / (pi * 6.365251 * 68.12674 * 32.093) * exp(-2500 / 2059.92)
    // = 2,287.21 * 0.297112 = 679.56 µg/m³.
    const double c = concentrationAt(passiveStack(50), westWind(5, Stability::D, 1000),
                                     Receptor{{1000, 0}, 0, 0}, noTipDownwash());
    EXPECT_NEAR(c, 679.56, 0.05);
    EXPECT_NEAR(c, closedForm(50, 0), 1e-4 * c);
}

TEST(DispersionPlume, WindDirectionSetsTheAxis) {
    // Wind from the north carries the plume south: the receptor 1 km south sees the same
    // centreline value as above, the one 1 km north sees nothing.
    MetHour met = westWind(5, Stability::D, 1000);
    met.windFromDir_deg = 0.0;
    const PointSource src = passiveStack(50);
    EXPECT_NEAR(concentrationAt(src, met, Receptor{{0, -1000}, 0, 0}, noTipDownwash()), 679.56,
                0.05);
    EXPECT_EQ(concentrationAt(src, met, Receptor{{0, 1000}, 0, 0}, noTipDownwash()), 0.0);
}

TEST(DispersionPlume, FlagpoleReceptorAtPlumeHeight) {
    // zr = H = 50 m: Q / (2 pi us sy sz) (1 + exp(-100² / (2 sz²)))
    // = 1,143.61 * (1 + 0.0077929) = 1,152.52 µg/m³.
    const double c = concentrationAt(passiveStack(50), westWind(5, Stability::D, 1000),
                                     Receptor{{1000, 0}, 0, 50}, noTipDownwash());
    EXPECT_NEAR(c, 1152.52, 0.05);
}

TEST(DispersionPlume, SimpleTerrainLowersThePlume) {
    // Ground 30 m above the stack base: H = 50 - 30 = 20 m;
    // 2,287.21 * exp(-400 / 2059.92) = 2,287.21 * 0.823507 = 1,883.54 µg/m³.
    Receptor r{{1000, 0}, 30, 0};
    EXPECT_NEAR(concentrationAt(passiveStack(50), westWind(5, Stability::D, 1000), r,
                                noTipDownwash()),
                1883.54, 0.05);
    // Terrain above the stack top is truncated to it: H = 0, C = 2,287.21 µg/m³.
    r.groundElevation_m = 200;
    EXPECT_NEAR(concentrationAt(passiveStack(50), westWind(5, Stability::D, 1000), r,
                                noTipDownwash()),
                2287.21, 0.05);
    // With the option off terrain is ignored.
    PlumeOptions flat = noTipDownwash();
    flat.terrain = false;
    EXPECT_NEAR(concentrationAt(passiveStack(50), westWind(5, Stability::D, 1000), r, flat),
                679.56, 0.05);
}

TEST(DispersionPlume, BuoyantStackWithBuoyancyInducedDispersion) {
    // SCREEN3's stack (100 m, 2 m, 15 m/s, 450 K) in 293.15 K air, rural D, 5 m/s at 10 m:
    // us = 5 * 10^0.15 = 7.062688 m/s; vs = 15 >= 1.5 us = 10.59, so no tip downwash.
    // Fb = 9.80616 * 15 * 4 * 156.85 / 1800 = 51.26987; buoyant (dTc = 20.76 K).
    // Final rise 21.425 * Fb^0.75 / us = 21.425 * 19.16005 / 7.062688 = 58.123 m, reached at
    // 49 Fb^0.625 = 573.93 m < 1000 m, so H = 158.123 m and BID = (58.123 / 3.5)² = 275.78 m².
    // sigma-y = sqrt(68.12674² + 275.78) = 70.1215 m; sigma-z = sqrt(32.093² + 275.78)
    //   = 36.1350 m.
    // C = 100e6 / (pi * 7.062688 * 70.1215 * 36.1350) exp(-158.123² / (2 * 36.1350²))
    //   = 1,778.69 * exp(-9.57422) = 1,778.69 * 6.9496e-5 = 0.12361 µg/m³.
    PointSource s = passiveStack(100);
    s.diameter_m = 2;
    s.exitVelocity_ms = 15;
    s.exitTemperature_K = 450;
    const double c =
        concentrationAt(s, westWind(5, Stability::D, 2000), Receptor{{1000, 0}, 0, 0}, {});
    EXPECT_NEAR(c, 0.12361, 0.0002);
}

TEST(DispersionPlume, CrosswindIntegralConservesMassUnderGroundReflection) {
    // u * integral of C(x, y, 0) dy = Q (2 exp(-H² / (2 sz²))) / (sqrt(2 pi) sz) with
    // H = 50 m, sz = 32.093 m: 2 * 0.297112 / (2.506628 * 32.093) = 7.38675e-3 per m, times
    // Q = 100e6 µg/s. Integrated numerically with the trapezoid rule on a 1 m line of
    // receptors from -500 to 500 m (beyond 6 sigma-y = 409 m).
    std::vector<Receptor> line;
    for (int y = -500; y <= 500; ++y)
        line.push_back(Receptor{{1000, double(y)}, 0, 0});
    std::vector<double> out(line.size(), 0.0);
    const PointSource src = passiveStack(50);
    addHourConcentrations(std::span(&src, 1), westWind(5, Stability::D, 1000), line,
                          noTipDownwash(), out);
    double integral = 0;
    for (std::size_t i = 1; i < out.size(); ++i)
        integral += 0.5 * (out[i] + out[i - 1]);
    EXPECT_NEAR(integral * kUs / 100.0e6, 7.38675e-3, 2e-3 * 7.38675e-3);
}

TEST(DispersionPlume, WellMixedLayerHoldsAllTheMass) {
    // Rural A at 2 km: sigma-z = 1968 m >= 1.6 zi for zi = 500 m, so the vertical term is
    // uniform and u * integral C dy = Q / zi exactly: 1 / 500 = 2e-3 per m, per unit Q.
    // us = 2 * (20/10)^0.07 = 2.099433 m/s. sigma-y = 383.6 m; receptors to +-2380 m.
    std::vector<Receptor> line;
    for (int y = -2380; y <= 2380; y += 2)
        line.push_back(Receptor{{2000, double(y)}, 0, 0});
    std::vector<double> out(line.size(), 0.0);
    const PointSource src = passiveStack(20);
    addHourConcentrations(std::span(&src, 1), westWind(2, Stability::A, 500), line,
                          noTipDownwash(), out);
    double integral = 0;
    for (std::size_t i = 1; i < out.size(); ++i)
        integral += 0.5 * (out[i] + out[i - 1]) * 2.0;
    EXPECT_NEAR(integral * 2.099433 / 100.0e6, 2e-3, 2e-3 * 2e-3);
}

TEST(DispersionPlume, UpwindAndFarOffAxisReceptorsGetNothing) {
    const PointSource src = passiveStack(50);
    const MetHour met = westWind(5, Stability::D, 1000);
    EXPECT_EQ(concentrationAt(src, met, Receptor{{-1000, 0}, 0, 0}, noTipDownwash()), 0.0);
    // 60 degrees off the axis (beyond ISC's 50 degrees).
    EXPECT_EQ(concentrationAt(src, met, Receptor{{500, 866}, 0, 0}, noTipDownwash()), 0.0);
    // Closer than 1 m.
    EXPECT_EQ(concentrationAt(src, met, Receptor{{0.5, 0}, 0, 0}, noTipDownwash()), 0.0);
}

TEST(DispersionPlume, CalmHoursAddNothing) {
    MetHour met = westWind(0, Stability::F, 10000);
    met.calm = true;
    std::vector<Receptor> rs{{{1000, 0}, 0, 0}};
    std::vector<double> out{7.0};
    const PointSource src = passiveStack(50);
    addHourConcentrations(std::span(&src, 1), met, rs, noTipDownwash(), out);
    EXPECT_EQ(out[0], 7.0);
    met.calm = false; // a zero anemometer wind is calm by itself
    addHourConcentrations(std::span(&src, 1), met, rs, noTipDownwash(), out);
    EXPECT_EQ(out[0], 7.0);
}

TEST(DispersionPlume, MixingLidOnlyForUnstableAndNeutral) {
    const PointSource src = passiveStack(50);
    const Receptor r{{1000, 0}, 0, 0};
    // Stable hours have no lid: a 100 m mixing height changes nothing.
    EXPECT_EQ(concentrationAt(src, westWind(3, Stability::F, 100), r, noTipDownwash()),
              concentrationAt(src, westWind(3, Stability::F, 10000), r, noTipDownwash()));
    EXPECT_GT(concentrationAt(src, westWind(3, Stability::F, 100), r, noTipDownwash()), 0.0);
    // A neutral plume above the lid does not reach the ground.
    EXPECT_EQ(concentrationAt(src, westWind(5, Stability::D, 40), r, noTipDownwash()), 0.0);
    // Below the lid the lid's images add to the ground concentration.
    EXPECT_GT(concentrationAt(src, westWind(5, Stability::D, 80), r, noTipDownwash()),
              concentrationAt(src, westWind(5, Stability::D, 1000), r, noTipDownwash()));
}

TEST(DispersionPlume, OutputSizeMustMatchReceptors) {
    std::vector<Receptor> rs(2);
    std::vector<double> out(1);
    const PointSource src = passiveStack(50);
    EXPECT_THROW(addHourConcentrations(std::span(&src, 1), westWind(5, Stability::D, 1000), rs,
                                       {}, out),
                 Error);
}

// SCREEN3 keeps an estimated mixing lid at least 1 m above the plume. A stack with no exit
// flow and no diameter has no rise and no tip downwash, so its plume height is the stack
// height, 50 m: an estimated lid of 10 m acts as a lid at 51 m, while a measured 10 m lid
// leaves the plume above the mixed layer and the ground gets nothing (ISC3).
TEST(PlumeLid, EstimatedLidIsRaisedAbovePlume) {
    using namespace parktwin;
    using namespace parktwin::dispersion;
    PointSource s;
    s.id = "cold";
    s.height_m = 50;
    s.exitTemperature_K = 293;
    s.emissionRate_gs = 10;
    MetHour met;
    met.windSpeed_ms = 3;
    met.windFromDir_deg = 270;
    met.temperature_K = 293;
    met.stability = Stability::C;
    std::vector<Receptor> receptors;
    for (double x : {300.0, 1000.0, 3000.0})
        receptors.push_back({{x, 0.0}, 0.0, 0.0});
    auto run = [&](double zi_m, bool estimate) {
        MetHour m = met;
        m.mixingHeight_m = zi_m;
        m.mixingHeightIsEstimate = estimate;
        std::vector<double> out(receptors.size(), 0.0);
        addHourConcentrations(std::span(&s, 1), m, receptors, PlumeOptions{}, out);
        return out;
    };
    const auto estimated = run(10.0, true);
    const auto atFiftyOne = run(51.0, false);
    const auto measured = run(10.0, false);
    for (size_t k = 0; k < receptors.size(); ++k) {
        EXPECT_GT(estimated[k], 0.0);
        EXPECT_DOUBLE_EQ(estimated[k], atFiftyOne[k]);
        EXPECT_EQ(measured[k], 0.0);
    }
}

// The four-receptor loop against the scalar one over every class, both land uses, buoyant,
// momentum and passive stacks, low and high lids, decay, terrain and flagpoles, on a receptor
// set whose size is not a multiple of four. The scalar loop is the one the closed forms above
// check; the two must agree to rounding everywhere, zeros included.
TEST(DispersionPlume, VectorAndScalarLoopsAgree) {
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<Receptor> receptors;
    for (int i = 0; i < 4003; ++i)
        receptors.push_back({{-6000 + 12000 * u(rng), -6000 + 12000 * u(rng)},
                             40 + 160 * u(rng), i % 5 == 0 ? 1.5 + 20 * u(rng) : 0.0});

    std::vector<PointSource> stacks;
    PointSource buoyant = passiveStack(60); // hot and fast: buoyancy-dominated rise
    buoyant.position = {100, -200};
    buoyant.baseElevation_m = 80;
    buoyant.diameter_m = 3;
    buoyant.exitVelocity_ms = 12;
    buoyant.exitTemperature_K = 420;
    PointSource jet = passiveStack(25); // cold and fast: momentum-dominated rise
    jet.position = {-700, 400};
    jet.baseElevation_m = 120;
    jet.diameter_m = 0.5;
    jet.exitVelocity_ms = 20;
    jet.exitTemperature_K = 295;
    PointSource passive = passiveStack(10);
    passive.position = {300, 900};
    passive.baseElevation_m = 60;
    stacks = {buoyant, jet, passive};

    int cases = 0;
    for (LandUse land : {LandUse::Rural, LandUse::Urban})
        for (int k = 1; k <= 6; ++k)
            for (double mixing : {120.0, 900.0})
                for (double decay : {0.0, 1e-4})
                    for (double from : {0.0, 37.0, 250.0}) {
                        MetHour met = westWind(1.0 + 5.0 * u(rng), Stability(k), mixing);
                        met.windFromDir_deg = from;
                        PlumeOptions options;
                        options.landUse = land;
                        options.decayCoefficient_per_s = decay;
                        options.vectorLoop = false;
                        std::vector<double> scalar(receptors.size()), vector(receptors.size());
                        addHourConcentrations(stacks, met, receptors, options, scalar);
                        options.vectorLoop = true;
                        addHourConcentrations(stacks, met, receptors, options, vector);
                        const double peak = *std::max_element(scalar.begin(), scalar.end());
                        ASSERT_GT(peak, 0.0);
                        for (std::size_t i = 0; i < receptors.size(); ++i)
                            ASSERT_NEAR(vector[i], scalar[i], 1e-12 * peak)
                                << "receptor " << i << ", class " << k << ", lid " << mixing
                                << " m, wind from " << from;
                        ++cases;
                    }
    EXPECT_EQ(cases, 144);
}
