// Gaussian puff model: mass balance by integrating concentrations over space, convergence to
// the steady ISC3 plume for a steady release, a wind shift turning the plume, and bad input.

#include "engine/dispersion/puff.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

#include "engine/core/error.h"

using namespace parktwin;
using namespace parktwin::dispersion;
using namespace std::chrono_literals;

namespace {

const UtcTime kT0 = fromLocal(2026, 3, 1, 0, 0, 0, UtcOffset{});

MetHour sample(UtcTime start, double fromDir_deg, double u10_ms = 5.0, Stability st = Stability::D,
               double mixing_m = 1500.0) {
    MetHour m;
    m.start = start;
    m.windSpeed_ms = u10_ms;
    m.windFromDir_deg = fromDir_deg;
    m.anemometerHeight_m = 10.0;
    m.stability = st;
    m.mixingHeight_m = mixing_m;
    return m;
}

PuffRelease release(double height_m, double rate_gs, UtcTime start, UtcTime stop) {
    PuffRelease r;
    r.id = "leak";
    r.releaseHeight_m = height_m;
    r.emissionRate_gs = rate_gs;
    r.start = start;
    r.stop = stop;
    return r;
}

Receptor at(double x_m, double y_m, double z_m = 0.0) {
    Receptor r;
    r.position = {x_m, y_m};
    r.flagpole_m = z_m;
    return r;
}

/// The steady ISC3 plume of a passive point source at the same place and height.
std::vector<double> steadyPlume(const PuffRelease& r, const MetHour& met,
                                const std::vector<Receptor>& receptors, LandUse landUse) {
    PointSource s;
    s.id = r.id;
    s.position = r.position;
    s.baseElevation_m = r.baseElevation_m;
    s.height_m = r.releaseHeight_m;
    s.diameter_m = 1.0;
    s.exitTemperature_K = met.temperature_K; // no buoyancy, no momentum: no rise
    s.emissionRate_gs = r.emissionRate_gs;
    PlumeOptions o;
    o.stackTipDownwash = false;
    o.landUse = landUse;
    std::vector<double> out(receptors.size(), 0.0);
    addHourConcentrations(std::span(&s, 1), met, receptors, o, out);
    return out;
}

/// Rural class D sigmas (ISC3 vol II tables 1-1, 1-2, x below 1 km) used only to size the
/// cells of the integration grid, never for an expected value.
double gridSigmaY(double x_m) {
    const double xk = std::max(x_m, 50.0) / 1000.0;
    return 465.11628 * xk * std::tan(0.017453293 * (8.333 - 0.72382 * std::log(xk)));
}
double gridSigmaZ(double x_m) {
    return 34.459 * std::pow(std::max(x_m, 50.0) / 1000.0, 0.86974);
}

} // namespace

TEST(PuffModel, MassInTheAirEqualsMassReleased) {
    // 100 g/s from a 20 m release for 30 min, wind 3 m/s at 10 m from the west, rural D, lid
    // at 3000 m (far above the puffs). At 20 min, 20 puffs of 60 s have left: 120,000 g.
    // The puffs lie between 100 m and 4 km downwind. Integrate the concentration over a grid
    // of boxes of about 0.4 sigma on each side (midpoint rule; from the ground up, so the
    // ground image folds back exactly) and multiply by the box volumes.
    const std::vector<MetHour> met{sample(kT0, 270.0, 3.0, Stability::D, 3000.0)};
    const PuffRelease leak = release(20.0, 100.0, kT0, kT0 + 30min);
    PuffOptions options;
    options.releaseInterval_s = 60.0;

    std::vector<Receptor> grid;
    std::vector<double> volume_m3;
    for (double x0 = -200.0; x0 < 6000.0;) {
        const double hx = std::clamp(0.4 * gridSigmaY(x0), 2.0, 80.0);
        const double xc = x0 + hx / 2;
        const double halfWidth = 6.5 * gridSigmaY(xc) + 20.0;
        const double hy = hx;
        const double hz = std::clamp(0.4 * gridSigmaZ(xc), 0.5, 20.0);
        const double top = 20.0 + 6.5 * gridSigmaZ(xc) + 10.0;
        for (double y = -halfWidth + hy / 2; y < halfWidth; y += hy)
            for (double z = hz / 2; z < top; z += hz) {
                grid.push_back(at(xc, y, z));
                volume_m3.push_back(hx * hy * hz);
            }
        x0 += hx;
    }

    const auto result =
        runPuffModel(std::span(&leak, 1), met, grid, kT0 + 20min, kT0 + 20min, 60s, options);
    double mass_ug = 0.0;
    for (std::size_t i = 0; i < grid.size(); ++i)
        mass_ug += result.value(0, i) * volume_m3[i];
    // Tolerance: 0.1%; the midpoint rule on boxes of 0.4 sigma is far more accurate.
    EXPECT_NEAR(mass_ug * 1e-6, 120000.0, 120.0) << grid.size() << " grid boxes";
}

TEST(PuffModel, SteadyReleaseConvergesToThePlume) {
    // 50 g/s at 10 m for 2 h, wind 5 m/s from the west, rural D and stable F. Puffs must be
    // closer than the along-wind sigma at the nearest receptor (500 m): 36 m in D, so a puff
    // every 10 s (50 m) is just enough; 18 m in F, so there a puff leaves every 2 s (10 m).
    // After 90 min the front has long passed 2 km; the puffs then form the steady plume.
    for (Stability st : {Stability::D, Stability::F}) {
        PuffOptions options;
        options.releaseInterval_s = st == Stability::F ? 2.0 : 10.0;
        const std::vector<MetHour> met{sample(kT0, 270.0, 5.0, st),
                                       sample(kT0 + 1h, 270.0, 5.0, st)};
        const PuffRelease leak = release(10.0, 50.0, kT0, kT0 + 2h);
        const std::vector<Receptor> rs{at(500, 0), at(1000, 0), at(2000, 0), at(1000, 40),
                                       at(1500, -60)};
        const auto puffs =
            runPuffModel(std::span(&leak, 1), met, rs, kT0 + 90min, kT0 + 90min, 60s, options);
        const auto plume = steadyPlume(leak, met[0], rs, LandUse::Rural);
        for (std::size_t i = 0; i < rs.size(); ++i) {
            ASSERT_GT(plume[i], 0.0);
            EXPECT_NEAR(puffs.value(0, i) / plume[i], 1.0, 0.03)
                << "class " << stabilityLetter(st) << " receptor " << i;
        }
    }
}

TEST(PuffModel, UrbanSigmasAlsoConverge) {
    const std::vector<MetHour> met{sample(kT0, 270.0, 4.0, Stability::C)};
    const PuffRelease leak = release(5.0, 10.0, kT0, kT0 + 1h);
    const std::vector<Receptor> rs{at(800, 0), at(1500, 30)};
    PuffOptions options;
    options.landUse = LandUse::Urban;
    const auto puffs =
        runPuffModel(std::span(&leak, 1), met, rs, kT0 + 45min, kT0 + 45min, 60s, options);
    const auto plume = steadyPlume(leak, met[0], rs, LandUse::Urban);
    for (std::size_t i = 0; i < rs.size(); ++i)
        EXPECT_NEAR(puffs.value(0, i) / plume[i], 1.0, 0.03) << i;
}

TEST(PuffModel, WindShiftTurnsThePlume) {
    // West wind for the first hour, south wind after it; the release runs for 2 h.
    const std::vector<MetHour> met{sample(kT0, 270.0), sample(kT0 + 1h, 180.0)};
    const PuffRelease leak = release(10.0, 50.0, kT0, kT0 + 2h);
    const std::vector<Receptor> rs{at(1000, 0), at(0, 1000)};
    const auto puffs =
        runPuffModel(std::span(&leak, 1), met, rs, kT0 + 55min, kT0 + 115min, 5min, {});
    ASSERT_EQ(puffs.times.size(), 13u);
    // Before the shift: east of the source, nothing north.
    EXPECT_GT(puffs.value(0, 0), 100.0);
    EXPECT_EQ(puffs.value(0, 1), 0.0);
    // Once the old puffs have gone north past 1 km and new ones come up from the source: the
    // plume points north and matches the steady plume for a south wind.
    const std::size_t last = puffs.times.size() - 1;
    EXPECT_LT(puffs.value(last, 0), 1e-6 * puffs.value(last, 1));
    const auto plumeNorth = steadyPlume(leak, met[1], rs, LandUse::Rural);
    EXPECT_NEAR(puffs.value(last, 1) / plumeNorth[1], 1.0, 0.03);
}

TEST(PuffModel, ReleaseStartsStopsAndTravels) {
    // 5 m/s at a 10 m release: puffs need 600 s to reach 3 km.
    const std::vector<MetHour> met{sample(kT0, 270.0)};
    const PuffRelease leak = release(10.0, 50.0, kT0 + 5min, kT0 + 25min);
    const std::vector<Receptor> rs{at(3000, 0)};
    const auto s = runPuffModel(std::span(&leak, 1), met, rs, kT0, kT0 + 60min, 5min, {});
    EXPECT_EQ(s.value(0, 0), 0.0);                  // before the release
    EXPECT_LT(s.value(2, 0), 1e-3 * s.value(5, 0)); // 10 min: 5 min of travel, 1.5 km
    EXPECT_GT(s.value(5, 0), 0.0);                  // 25 min: steady at 3 km
    const auto plume = steadyPlume(leak, met[0], rs, LandUse::Rural);
    EXPECT_NEAR(s.value(5, 0) / plume[0], 1.0, 0.03);
    EXPECT_LT(s.value(12, 0), 1e-6 * s.value(5, 0)); // 60 min: the cloud is 10+ km away
}

TEST(PuffModel, DecayRemovesMassWithTravelTime) {
    // First-order decay exp(-psi t) over a puff's age: in a steady wind the puffs at 2000 m
    // are x / u = 400 s old, so with psi = ln 2 / 600 s the steady value drops by
    // exp(-0.0011552 * 400) = 0.62996, the plume model's exp(-psi x / u) (ISC3 vol II 1.1.7).
    const std::vector<MetHour> met{sample(kT0, 270.0)};
    const PuffRelease leak = release(10.0, 50.0, kT0, kT0 + 2h);
    const std::vector<Receptor> rs{at(2000, 0)};
    PuffOptions decaying;
    decaying.decayCoefficient_per_s = std::log(2.0) / 600.0;
    const auto plain =
        runPuffModel(std::span(&leak, 1), met, rs, kT0 + 40min, kT0 + 40min, 60s, {});
    const auto decayed =
        runPuffModel(std::span(&leak, 1), met, rs, kT0 + 40min, kT0 + 40min, 60s, decaying);
    EXPECT_NEAR(decayed.value(0, 0) / plain.value(0, 0), 0.62996, 0.01);
}

TEST(PuffModel, CalmHoldsThePuffsStill) {
    const std::vector<MetHour> met{sample(kT0, 270.0), sample(kT0 + 1h, 270.0, 0.0)};
    const PuffRelease leak = release(10.0, 50.0, kT0 + 40min, kT0 + 50min);
    const std::vector<Receptor> rs{at(4000, 0), at(5500, 0)};
    const auto s = runPuffModel(std::span(&leak, 1), met, rs, kT0 + 65min, kT0 + 95min, 30min, {});
    EXPECT_GT(s.value(0, 0), 0.0);
    EXPECT_EQ(s.value(0, 0), s.value(1, 0));
    EXPECT_EQ(s.value(0, 1), s.value(1, 1));
}

TEST(PuffModel, RejectsBadInput) {
    const PuffRelease leak = release(10.0, 50.0, kT0, kT0 + 10min);
    const std::vector<Receptor> rs{at(100, 0)};
    const std::vector<MetHour> backwards{sample(kT0 + 1h, 270.0), sample(kT0, 270.0)};
    try {
        runPuffModel(std::span(&leak, 1), backwards, rs, kT0 + 1h, kT0 + 1h, 60s, {});
        FAIL() << "out-of-order meteorology accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("sample 2"), std::string::npos) << e.what();
    }
    const std::vector<MetHour> met{sample(kT0, 270.0)};
    std::vector<MetHour> nanWind = met;
    nanWind[0].windSpeed_ms = std::nan("");
    EXPECT_THROW(runPuffModel(std::span(&leak, 1), nanWind, rs, kT0, kT0, 60s, {}), Error);
    PuffRelease reversed = leak;
    reversed.stop = reversed.start - 1min;
    EXPECT_THROW(runPuffModel(std::span(&reversed, 1), met, rs, kT0, kT0, 60s, {}), Error);
    PuffRelease negative = leak;
    negative.emissionRate_gs = -5;
    EXPECT_THROW(runPuffModel(std::span(&negative, 1), met, rs, kT0, kT0, 60s, {}), Error);
    EXPECT_THROW(runPuffModel(std::span(&leak, 1), met, rs, kT0, kT0 + 2h, 60s, {}), Error);
    EXPECT_THROW(runPuffModel(std::span(&leak, 1), met, rs, kT0, kT0 + 1h, 0s, {}), Error);
}

TEST(PuffModel, SensorsSampleAtTheirInletHeight) {
    ParkModel park;
    park.terrain.flatElevation_m = 12.0;
    Sensor a;
    a.id = "east";
    a.position = {1000, 0};
    a.height_m = 3.0;
    Sensor b = a;
    b.id = "north";
    b.position = {0, 1000};
    park.sensors = {a, b};
    const auto rs = sensorReceptors(park);
    ASSERT_EQ(rs.size(), 2u);
    EXPECT_EQ(rs[0].groundElevation_m, 12.0);
    EXPECT_EQ(rs[0].flagpole_m, 3.0);
    EXPECT_EQ(rs[1].position.y, 1000.0);

    // A west wind reaches the east sensor only; at 3 m the value is the plume's at 3 m.
    const std::vector<MetHour> met{sample(kT0, 270.0)};
    PuffRelease leak = release(10.0, 50.0, kT0, kT0 + 1h);
    leak.baseElevation_m = 12.0;
    const auto s = runPuffModel(std::span(&leak, 1), met, rs, kT0 + 30min, kT0 + 30min, 60s, {});
    const auto plume = steadyPlume(leak, met[0], rs, LandUse::Rural);
    EXPECT_NEAR(s.value(0, 0) / plume[0], 1.0, 0.03);
    EXPECT_EQ(s.value(0, 1), 0.0);
}
