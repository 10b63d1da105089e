#include "engine/dispersion/sigmas.h"

#include <algorithm>
#include <cmath>
#include <array>
#include <limits>

namespace parktwin::dispersion {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Rural sigma-z coefficients a, b of sigma-z = a x^b (x in km) by distance band, from ISC3
// vol II table 1-2 (Turner's fits to the Pasquill-Gifford curves). Each band is written as
// {upper bound km, a, b}; the fitted curves join continuously at the band edges, which the
// tests check as a guard against transcription slips. Class A beyond 3.11 km is 5,000 m,
// marked by a = 0.
struct RawBand {
    double upperKm, a, b;
};

constexpr RawBand kRawA[] = {{0.10, 122.800, 0.94470}, {0.15, 158.080, 1.05420},
                             {0.20, 170.220, 1.09320}, {0.25, 179.520, 1.12620},
                             {0.30, 217.410, 1.26440}, {0.40, 258.890, 1.40940},
                             {0.50, 346.750, 1.72830}, {3.11, 453.850, 2.11660},
                             {kInf, 0.0, 0.0}};
constexpr RawBand kRawB[] = {{0.20, 90.673, 0.93198}, {0.40, 98.483, 0.98332},
                             {kInf, 109.300, 1.09710}};
constexpr RawBand kRawC[] = {{kInf, 61.141, 0.91465}};
constexpr RawBand kRawD[] = {{0.30, 34.459, 0.86974}, {1.00, 32.093, 0.81066},
                             {3.00, 32.093, 0.64403}, {10.00, 33.504, 0.60486},
                             {30.00, 36.650, 0.56589}, {kInf, 44.053, 0.51179}};
constexpr RawBand kRawE[] = {{0.10, 24.260, 0.83660},  {0.30, 23.331, 0.81956},
                             {1.00, 21.628, 0.75660},  {2.00, 21.628, 0.63077},
                             {4.00, 22.534, 0.57154},  {10.00, 24.703, 0.50527},
                             {20.00, 26.970, 0.46713}, {40.00, 35.420, 0.37615},
                             {kInf, 47.618, 0.29592}};
constexpr RawBand kRawF[] = {{0.20, 15.209, 0.81558},  {0.70, 14.457, 0.78407},
                             {1.00, 13.953, 0.68465},  {2.00, 13.953, 0.63227},
                             {3.00, 14.823, 0.54503},  {7.00, 16.187, 0.46490},
                             {15.00, 17.836, 0.41507}, {30.00, 22.651, 0.32681},
                             {60.00, 27.074, 0.27436}, {kInf, 34.219, 0.21716}};

template <std::size_t N>
std::array<SigmaZBand, N> withLogs(const RawBand (&raw)[N]) {
    std::array<SigmaZBand, N> out{};
    for (std::size_t i = 0; i < N; ++i)
        out[i] = {raw[i].upperKm, raw[i].a, raw[i].b, raw[i].a > 0 ? std::log(raw[i].a) : 0.0};
    return out;
}

const SigmaZBand* ruralBands(Stability stability) {
    static const auto a = withLogs(kRawA);
    static const auto b = withLogs(kRawB);
    static const auto c = withLogs(kRawC);
    static const auto d = withLogs(kRawD);
    static const auto e = withLogs(kRawE);
    static const auto f = withLogs(kRawF);
    switch (stability) {
    case Stability::A:
        return a.data();
    case Stability::B:
        return b.data();
    case Stability::C:
        return c.data();
    case Stability::D:
        return d.data();
    case Stability::E:
        return e.data();
    case Stability::F:
        return f.data();
    }
    return d.data();
}

} // namespace

SigmaCurves::SigmaCurves(LandUse landUse, Stability stability)
    : urban_(landUse == LandUse::Urban) {
    const int k = std::clamp(int(stability) - 1, 0, 5);

    // ISC3 vol II table 1-1: TH = 0.017453293 (c - d ln x), degrees converted to radians.
    static constexpr double c[6] = {24.1670, 18.3330, 12.5000, 8.3330, 6.2500, 4.1667};
    static constexpr double d[6] = {2.5334, 1.8096, 1.0857, 0.72382, 0.54287, 0.36191};
    c_ = c[k];
    d_ = d[k];
    bands_ = ruralBands(Stability(k + 1));

    // Briggs urban curves, ISC3 vol II tables 1-3 (sigma-y) and 1-4 (sigma-z), x in m.
    static constexpr double ya[6] = {0.32, 0.32, 0.22, 0.16, 0.11, 0.11};
    static constexpr double za[6] = {0.24, 0.24, 0.20, 0.14, 0.08, 0.08};
    static constexpr double zb[6] = {0.001, 0.001, 0.0, 0.0003, 0.0015, 0.0015};
    static constexpr int zp[6] = {+1, +1, 0, -1, -1, -1};
    ya_ = ya[k];
    za_ = za[k];
    zb_ = zb[k];
    zRootPower_ = zp[k];
}

Sigmas sigmasAt(LandUse landUse, Stability stability, double x_m) {
    return SigmaCurves(landUse, stability).at(x_m);
}

namespace {

/// Bisection in log distance on a sigma curve that grows with distance.
template <class SigmaOf>
double invertSigma(SigmaOf sigmaOf, double target_m) {
    double lo_m = 1e-3, hi_m = 1e7;
    if (sigmaOf(lo_m) >= target_m)
        return lo_m;
    if (sigmaOf(hi_m) < target_m)
        return hi_m;
    for (int i = 0; i < 200 && hi_m - lo_m > 1e-9 * hi_m; ++i) {
        const double mid_m = std::sqrt(lo_m * hi_m);
        (sigmaOf(mid_m) < target_m ? lo_m : hi_m) = mid_m;
    }
    return 0.5 * (lo_m + hi_m);
}

} // namespace

double distanceForSigmaY_m(const SigmaCurves& curves, double sigmaY_m) {
    return invertSigma([&](double x_m) { return curves.at(x_m).y_m; }, sigmaY_m);
}

double distanceForSigmaZ_m(const SigmaCurves& curves, double sigmaZ_m) {
    return invertSigma([&](double x_m) { return curves.at(x_m).z_m; }, sigmaZ_m);
}

} // namespace parktwin::dispersion
