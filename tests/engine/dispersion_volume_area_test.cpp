// Volume, area and line sources against values worked by hand from the ISC3 user's guide,
// vol II (EPA-454/B-95-003b) sections 1.2-1.3 and vol I (EPA-454/B-95-003a) section 3.3.2,
// and mass balance: crosswind integrals far downwind equal those of the equivalent point.

#include "engine/dispersion/volume_area.h"

#include <cmath>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

#include "engine/core/error.h"

using namespace parktwin;
using namespace parktwin::dispersion;

namespace {

const double kSqrt2Pi = std::sqrt(2.0 * std::numbers::pi);

// Wind from the west (plume along +x), 5 m/s at 10 m. Releases below 10 m see the 10 m wind
// (ISC3 vol II section 1.1.3), so u = 5 m/s throughout these cases.
MetHour westWind(Stability st = Stability::D, double mixing_m = 5000.0) {
    MetHour m;
    m.windSpeed_ms = 5.0;
    m.windFromDir_deg = 270.0;
    m.anemometerHeight_m = 10.0;
    m.stability = st;
    m.mixingHeight_m = mixing_m;
    return m;
}

Receptor at(double x_m, double y_m, double ground_m = 0.0) {
    Receptor r;
    r.position = {x_m, y_m};
    r.groundElevation_m = ground_m;
    return r;
}

double volumeAt(const VolumeSource& v, const MetHour& met, const Receptor& r,
                const PlumeOptions& options = {}) {
    std::vector<Receptor> rs{r};
    std::vector<double> out(1, 0.0);
    addVolumeHour(std::span(&v, 1), met, rs, options, out);
    return out[0];
}

double areaAt(const AreaSource& a, const MetHour& met, const Receptor& r,
              const PlumeOptions& options = {}) {
    std::vector<Receptor> rs{r};
    std::vector<double> out(1, 0.0);
    addAreaHour(std::span(&a, 1), met, rs, options, out);
    return out[0];
}

VolumeSource handVolume() {
    VolumeSource v;
    v.id = "V1";
    v.releaseHeight_m = 5.0;
    v.initialSigmaY_m = 10.0;
    v.initialSigmaZ_m = 5.0;
    v.emissionRate_gs = 10.0;
    return v;
}

/// A square area of side `side_m` centred on (cx, cy), at ground level.
AreaSource squareArea(double cx, double cy, double side_m, double q_gsm2) {
    AreaSource a;
    a.id = "A1";
    a.corner = {cx - side_m / 2, cy - side_m / 2};
    a.xLength_m = side_m;
    a.yLength_m = side_m;
    a.emissionRate_gsm2 = q_gsm2;
    return a;
}

} // namespace

TEST(VolumeSource, RuralVirtualDistancesFromTheTables) {
    // Lateral, vol II table 1-5, class D: p = 68.26, q = 0.919;
    // xy = (10 / 68.26)^(1/0.919) km = 0.1236833 km.
    EXPECT_NEAR(lateralVirtualDistance_m(LandUse::Rural, Stability::D, 10.0), 123.68325, 1e-4);
    // Vertical, class D at x = 500 m: x + xz falls in the 0.3-1 km band of table 1-2
    // (a = 32.093, b = 0.81066): xz = (5 / 32.093)^(1/0.81066) km = 0.1009187 km,
    // and 500 + 100.9 m is indeed inside 0.3-1 km.
    EXPECT_NEAR(verticalVirtualDistance_m(LandUse::Rural, Stability::D, 5.0, 500.0), 100.91871,
                1e-3);
    // At x = 50 m the band of x + xz is 0-0.3 km (a = 34.459, b = 0.86974):
    // xz = (5 / 34.459)^(1/0.86974) km = 0.108708 km.
    EXPECT_NEAR(verticalVirtualDistance_m(LandUse::Rural, Stability::D, 5.0, 50.0),
                1e3 * std::pow(5.0 / 34.459, 1.0 / 0.86974), 1e-3);
    EXPECT_EQ(verticalVirtualDistance_m(LandUse::Rural, Stability::D, 0.005, 500.0), 0.0);
}

TEST(VolumeSource, UrbanVirtualDistancesInvertBriggs) {
    // Urban D sigma-y = 0.16 x (1 + 0.0004 x)^-1/2 = 10 m gives 0.0256 x² - 0.04 x - 100 = 0,
    // x = (0.04 + sqrt(0.0016 + 10.24)) / 0.0512 = 63.28613 m.
    EXPECT_NEAR(lateralVirtualDistance_m(LandUse::Urban, Stability::D, 10.0), 63.286133, 1e-4);
    // Urban C sigma-z = 0.20 x: xz = 5 / 0.2 = 25 m.
    EXPECT_NEAR(verticalVirtualDistance_m(LandUse::Urban, Stability::C, 5.0, 300.0), 25.0, 1e-6);
}

TEST(VolumeSource, CentrelineValueByHand) {
    // Rural D, 10 g/s at 5 m, sigma-y0 10 m, sigma-z0 5 m, receptor 500 m downwind on the axis.
    // xy = 123.683 m: sigma-y(623.683 m) = 465.11628 x tan(0.017453293 (8.333 - 0.72382 ln x))
    //   with x = 0.623683 km -> 44.25832 m.
    // xz = 100.919 m: sigma-z = 32.093 (0.600919)^0.81066 = 21.23758 m.
    // chi = Q 1e6 / (2 pi u sy sz) * 2 exp(-h² / 2 sz²)
    //     = 1e7 / (2 pi 5 * 44.25832 * 21.23758) * 2 exp(-25 / 902.07) = 658.7855 µg/m³.
    EXPECT_NEAR(volumeAt(handVolume(), westWind(), at(500, 0)), 658.7855, 0.01);
}

TEST(VolumeSource, UrbanCentrelineValueByHand) {
    // The same volume in urban mode, class D (ISC3 vol II tables 1-3, 1-4):
    // xy = 63.28613 m (sigma-y0 = 10 m, as above);
    // xz: 0.14 x (1 + 0.0003 x)^-1/2 = 5 m -> 0.0196 x² - 0.0075 x - 25 = 0, x = 35.90612 m.
    // At 500 m: sigma-y = 0.16 * 563.2861 / sqrt(1 + 0.0004 * 563.2861) = 81.41891 m,
    // sigma-z = 0.14 * 535.9061 / sqrt(1 + 0.0003 * 535.9061) = 69.63752 m;
    // chi = 1e7 / (2 pi 5 * 81.41891 * 69.63752) * 2 exp(-25 / (2 * 69.63752²)) = 111.9933.
    PlumeOptions urban;
    urban.landUse = LandUse::Urban;
    EXPECT_NEAR(volumeAt(handVolume(), westWind(), at(500, 0), urban), 111.9933, 1e-3);
}

TEST(VolumeSource, TinyVolumeEqualsThePointSource) {
    VolumeSource v = handVolume();
    v.initialSigmaY_m = 1e-6;
    v.initialSigmaZ_m = 0.0;
    // Point source, same height, no rise: chi at 1000 m on the axis, rural D, u = 5 m/s:
    // sigma-y = 68.12674 m, sigma-z = 32.093 m;
    // chi = 1e7 / (2 pi 5 * 68.12674 * 32.093) * 2 exp(-25 / (2 * 32.093²)) = 289.8316.
    const double expected = 1e7 / (2 * std::numbers::pi * 5 * 68.1267411 * 32.093) * 2 *
                            std::exp(-25 / (2 * 32.093 * 32.093));
    EXPECT_NEAR(volumeAt(v, westWind(), at(1000, 0)), expected, 1e-4 * expected);
}

TEST(VolumeSource, SkipsNearUpwindCalmAndAboveLid) {
    const VolumeSource v = handVolume();
    // Within 2.15 sigma-y0 + 1 m = 22.5 m of the centre: not computed (ISC3 vol I 3.3.2.2).
    EXPECT_EQ(volumeAt(v, westWind(), at(22.0, 0)), 0.0);
    EXPECT_GT(volumeAt(v, westWind(), at(23.0, 0)), 0.0);
    EXPECT_EQ(volumeAt(v, westWind(), at(-200, 0)), 0.0);
    MetHour calm = westWind();
    calm.windSpeed_ms = 0.0;
    EXPECT_EQ(volumeAt(v, calm, at(500, 0)), 0.0);
    // Unstable hour with the release above the lid: nothing reaches the ground.
    EXPECT_EQ(volumeAt(v, westWind(Stability::B, 4.0), at(500, 0)), 0.0);
    // The same in a stable hour: no lid in E and F, so the plume does reach the ground.
    EXPECT_GT(volumeAt(v, westWind(Stability::E, 4.0), at(500, 0)), 0.0);
}

TEST(VolumeSource, DecayAndTerrain) {
    const VolumeSource v = handVolume();
    const double plain = volumeAt(v, westWind(), at(500, 0));
    PlumeOptions decay;
    decay.decayCoefficient_per_s = std::log(2.0) / 14400.0; // 4 h half-life
    // exp(-psi x / u) = exp(-0.693147 / 14400 * 500 / 5) = 0.9951980.
    EXPECT_NEAR(volumeAt(v, westWind(), at(500, 0), decay) / plain, 0.9951980, 1e-7);

    // A receptor 3 m above the source base: plume height 5 - 3 = 2 m (ISC simple terrain).
    // Ratio to flat = exp(-4 / 2sz²) / exp(-25 / 2sz²) with sz = 21.23758 m
    //              = exp(21 / 902.0697) = 1.0235529.
    EXPECT_NEAR(volumeAt(v, westWind(), at(500, 0, 3.0)) / plain, 1.0235529, 1e-6);
    PlumeOptions flat;
    flat.terrain = false;
    EXPECT_NEAR(volumeAt(v, westWind(), at(500, 0, 3.0), flat), plain, 1e-9);
}

TEST(VolumeSource, RejectsNegativeParameters) {
    VolumeSource v = handVolume();
    v.emissionRate_gs = -1.0;
    try {
        volumeAt(v, westWind(), at(500, 0));
        FAIL() << "a negative emission rate was accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("'V1'"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("emission rate"), std::string::npos) << e.what();
    }
    v = handVolume();
    v.initialSigmaY_m = std::nan("");
    EXPECT_THROW(volumeAt(v, westWind(), at(500, 0)), Error);
}

TEST(AreaSource, CornersRotateClockwiseAboutTheReferenceCorner) {
    AreaSource a;
    a.corner = {100, 200};
    a.xLength_m = 10;
    a.yLength_m = 4;
    a.angle_deg = 90; // the x side now points south, the y side east
    const auto c = areaCorners(a);
    EXPECT_NEAR(c[1].x, 100, 1e-9);
    EXPECT_NEAR(c[1].y, 190, 1e-9);
    EXPECT_NEAR(c[3].x, 104, 1e-9);
    EXPECT_NEAR(c[3].y, 200, 1e-9);
}

TEST(AreaSource, SmallAreaFarAwayIsAPoint) {
    // 10 m x 10 m at 0.01 g/s/m² (1 g/s) centred 1000 m upwind, ground level. A ground point
    // source gives chi = Q 1e6 / (pi u sy sz) = 1e6 / (pi 5 * 68.12674 * 32.093) = 29.11737;
    // averaging over the square changes this by about (10²/12) / (2 sy²) = 0.1%.
    const AreaSource a = squareArea(0, 0, 10, 0.01);
    EXPECT_NEAR(areaAt(a, westWind(), at(1000, 0)), 29.11737, 29.11737 * 3e-3);
}

TEST(AreaSource, DownwindEdgeOfAWideAreaInClosedForm) {
    // A ground-level area 250 m along the wind and 2000 m across, receptor at the middle of
    // its downwind edge. Across the wind the normal integral is 1 (sy(250 m) ~ 19 m << 1000 m),
    // so chi = q 1e6 / (sqrt(2 pi) u) * 2 * integral from 1 m to 250 m of dx / sz(x), with
    // sz = 34.459 (x/1000)^0.86974 (rural D, below 0.3 km):
    // integral = 1000^0.86974 / 34.459 * (250^0.13026 - 1) / 0.13026 = 95.38273;
    // chi = 1e-3 * 1e6 / (2.5066283 * 5) * 2 * 95.38273 = 15220.88 µg/m³.
    AreaSource a;
    a.corner = {-250, -1000};
    a.xLength_m = 250;
    a.yLength_m = 2000;
    a.emissionRate_gsm2 = 1e-3;
    EXPECT_NEAR(areaAt(a, westWind(), at(0, 0)), 15220.88, 15220.88 * 1e-4);
}

TEST(AreaSource, InitialSigmaZAddsInQuadrature) {
    // Same wide area with sigma-z0 = 5 m: an independent midpoint sum of
    // dx / sqrt(sz(x)² + 25) over 1-250 m replaces the closed form.
    AreaSource a;
    a.corner = {-250, -1000};
    a.xLength_m = 250;
    a.yLength_m = 2000;
    a.emissionRate_gsm2 = 1e-3;
    a.initialSigmaZ_m = 5.0;
    double integral = 0;
    const int n = 200000;
    const double dx = 249.0 / n;
    for (int k = 0; k < n; ++k) {
        const double x = 1.0 + (k + 0.5) * dx;
        const double sz = 34.459 * std::pow(x / 1000, 0.86974);
        integral += dx / std::sqrt(sz * sz + 25.0);
    }
    const double expected = 1e-3 * 1e6 / (kSqrt2Pi * 5) * 2 * integral;
    EXPECT_NEAR(areaAt(a, westWind(), at(0, 0)), expected, expected * 1e-4);
}

TEST(AreaSource, CrosswindIntegralMatchesThePointFarDownwind) {
    // 20 m x 20 m at 0.01 g/s/m² (Q = 4 g/s), 2000 m upwind of a line of receptors.
    // Far downwind a ground release has integral chi dy = 2 Q 1e6 / (sqrt(2 pi) u sz), with
    // sz(2000 m) = 32.093 * 2^0.64403 = 50.15135 m: 12727.63 µg/m².
    const AreaSource a = squareArea(0, 0, 20, 0.01);
    std::vector<Receptor> rs;
    const double dy = 5.0;
    for (double y = -1000; y <= 1000; y += dy)
        rs.push_back(at(2000, y));
    std::vector<double> out(rs.size(), 0.0);
    addAreaHour(std::span(&a, 1), westWind(), rs, {}, out);
    double integral = 0;
    for (double c : out)
        integral += c * dy;
    EXPECT_NEAR(integral, 12727.63, 12727.63 * 2e-3);
}

TEST(AreaSource, RotationTurnsTheFootprint) {
    // A long thin strip along the wind gives far more at its downwind end than the same strip
    // turned across the wind, and a 180 degree turn about the corner moves it behind.
    AreaSource along;
    along.corner = {-300, -5};
    along.xLength_m = 300;
    along.yLength_m = 10;
    along.emissionRate_gsm2 = 1e-3;
    AreaSource across = along;
    across.corner = {-10, 150};
    across.angle_deg = 90; // x side now points south: a strip 10 m deep, 300 m across
    const double cAlong = areaAt(along, westWind(), at(5, 0));
    const double cAcross = areaAt(across, westWind(), at(5, 0));
    EXPECT_GT(cAlong, 1.5 * cAcross);
    AreaSource behind = along;
    behind.corner = {310, 5}; // turned 180 degrees: the strip now spans x = 10 to 310 m
    behind.angle_deg = 180;
    EXPECT_EQ(areaAt(behind, westWind(), at(5, 0)), 0.0);
}

TEST(AreaSource, RejectsBadInput) {
    AreaSource a = squareArea(0, 0, 10, 0.01);
    a.xLength_m = -1;
    EXPECT_THROW(areaAt(a, westWind(), at(100, 0)), Error);
    a = squareArea(0, 0, 10, std::nan(""));
    EXPECT_THROW(areaAt(a, westWind(), at(100, 0)), Error);
}

TEST(LineSource, AdjacentVolumesAlongTheCentreline) {
    LineSource road;
    road.id = "R1";
    road.centreline = {{0, 0}, {60, 0}, {60, 40}}; // 100 m, with a right-angle bend
    road.width_m = 10;
    road.releaseHeight_m = 2;
    road.initialSigmaZ_m = 1.5;
    road.emissionRate_gsm = 0.002;
    const auto volumes = lineAsVolumes(road);
    // 100 m / 10 m = 10 volumes at 5, 15, ..., 95 m along the road; sigma-y0 = 10/2.15.
    ASSERT_EQ(volumes.size(), 10u);
    EXPECT_NEAR(volumes[0].position.x, 5, 1e-9);
    EXPECT_NEAR(volumes[5].position.x, 55, 1e-9);
    EXPECT_NEAR(volumes[6].position.x, 60, 1e-9); // 65 m along: 5 m up the second leg
    EXPECT_NEAR(volumes[6].position.y, 5, 1e-9);
    EXPECT_NEAR(volumes[9].position.y, 35, 1e-9);
    double total = 0;
    for (const auto& v : volumes) {
        EXPECT_NEAR(v.initialSigmaY_m, 4.6511628, 1e-6);
        EXPECT_EQ(v.initialSigmaZ_m, 1.5);
        EXPECT_EQ(v.releaseHeight_m, 2);
        total += v.emissionRate_gs;
    }
    EXPECT_NEAR(total, 0.2, 1e-12); // 0.002 g/s/m over 100 m
    EXPECT_EQ(volumes[3].id, "R1#4");

    // 105 m at 10 m width: round(10.5) = 11 volumes, stretched to 9.545 m apart.
    road.centreline = {{0, 0}, {105, 0}};
    const auto stretched = lineAsVolumes(road);
    ASSERT_EQ(stretched.size(), 11u);
    EXPECT_NEAR(stretched[0].initialSigmaY_m, 105.0 / 11 / 2.15, 1e-9);
}

TEST(LineSource, CrosswindIntegralOfARoad) {
    // A 200 m road across the wind at 0.05 g/s/m (Q = 10 g/s), ground level, no sigma-z0.
    // 2500 m downwind: integral chi dy = 2 Q 1e6 / (sqrt(2 pi) u sz), sz(2500 m) =
    // 32.093 * 2.5^0.64403 = 57.90227 m: 27559.70 µg/m².
    LineSource road;
    road.id = "R";
    road.centreline = {{0, -100}, {0, 100}};
    road.width_m = 10;
    road.emissionRate_gsm = 0.05;
    const auto volumes = lineAsVolumes(road);
    std::vector<Receptor> rs;
    const double dy = 5.0;
    for (double y = -1200; y <= 1200; y += dy)
        rs.push_back(at(2500, y));
    std::vector<double> out(rs.size(), 0.0);
    addVolumeHour(volumes, westWind(), rs, {}, out);
    double integral = 0;
    for (double c : out)
        integral += c * dy;
    EXPECT_NEAR(integral, 27559.70, 27559.70 * 2e-3);
}

TEST(LineSource, RejectsDegenerateRoads) {
    LineSource road;
    road.id = "bad";
    road.width_m = 10;
    road.centreline = {{0, 0}};
    EXPECT_THROW(lineAsVolumes(road), Error);
    road.centreline = {{0, 0}, {0, 0}};
    EXPECT_THROW(lineAsVolumes(road), Error);
    road.centreline = {{0, 0}, {10, 0}};
    road.width_m = 0;
    EXPECT_THROW(lineAsVolumes(road), Error);
    road.centreline = {{0, 0}, {5000, 0}};
    road.width_m = 0.014; // 14 m written in km
    EXPECT_THROW(lineAsVolumes(road), Error);
}
