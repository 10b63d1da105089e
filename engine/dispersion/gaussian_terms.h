#pragma once
// Terms of the Gaussian plume equation shared by the volume, area and puff models: the
// vertical term with ground and mixing-lid reflections (EPA ISC3 user's guide, volume II,
// EPA-454/B-95-003b, section 1.1.6) and the wind and lid a ground-level source sees.

#include <algorithm>
#include <cmath>
#include <numbers>

#include "engine/core/geometry.h"
#include "engine/core/met.h"

namespace parktwin::dispersion {

/// Micrograms per gram: emission rates are g/s, concentrations µg/m³.
inline constexpr double kGramsToMicrograms = 1e6;

/// True when the hour has a lid that reflects: ISC3 assumes unlimited mixing in E and F.
inline bool hasMixingLid(Stability stability) {
    return stability != Stability::E && stability != Stability::F;
}

/// Unit vector of the direction the wind blows toward, east and north components.
inline Vec2 downwindUnit(double windFromDir_deg) {
    const double toward_rad = (windFromDir_deg + 180.0) * std::numbers::pi / 180.0;
    return {std::sin(toward_rad), std::cos(toward_rad)};
}

/// The mixing height a release at `releaseHeight_m` sees: an estimated lid (SCREEN3 practice,
/// EPA-454/B-95-004) is kept at least 1 m above it.
inline double effectiveMixingHeight_m(const MetHour& met, double releaseHeight_m) {
    if (met.mixingHeightIsEstimate)
        return std::max(met.mixingHeight_m, releaseHeight_m + 1.0);
    return met.mixingHeight_m;
}

/// Sum of the Gaussian vertical terms (ISC3 vol II section 1.1.6, eq. 1-50): the release at
/// he_m and its ground image, and with a lid at zi_m the images in ground and lid until a
/// pair adds less than 5e-9; once sigma-z / zi >= 1.6 the distribution is uniform in the
/// layer, sqrt(2 pi) sigma-z / zi. Dimensionless; multiply by 1 / (sqrt(2 pi) sigma-z).
inline double verticalTerm(double zr_m, double he_m, double sz_m, double zi_m, bool lid) {
    constexpr double kImageTolerance = 5e-9;
    constexpr int kMaxImages = 50;
    constexpr double kUniformMixingRatio = 1.6;
    const double inv2s2 = 0.5 / (sz_m * sz_m);
    const double dMinus = zr_m - he_m;
    const double dPlus = zr_m + he_m;
    double v = std::exp(-dMinus * dMinus * inv2s2) + std::exp(-dPlus * dPlus * inv2s2);
    if (!lid)
        return v;
    if (sz_m >= kUniformMixingRatio * zi_m)
        return std::sqrt(2.0 * std::numbers::pi) * sz_m / zi_m;
    // The nearest images, in the lid and in the ground, are zr - he + 2 zi and zr + he - 2 zi
    // away; the other two of the first pair are farther. Past 21 in units of 2 sigma-z², each
    // of the four terms is below 7.6e-10 and their sum below the tolerance, so the series
    // would stop after adding less than 5e-9: leave it out without its four exponentials.
    const double nearLid = zr_m - he_m + 2.0 * zi_m;
    const double nearGround = zr_m + he_m - 2.0 * zi_m;
    if (std::min(nearLid * nearLid, nearGround * nearGround) * inv2s2 > 21.0)
        return v;
    for (int i = 1; i <= kMaxImages; ++i) {
        const double h1 = he_m - 2.0 * i * zi_m;
        const double h2 = he_m + 2.0 * i * zi_m;
        const double a = zr_m - h1, b = zr_m + h1, c = zr_m - h2, d = zr_m + h2;
        const double add = std::exp(-a * a * inv2s2) + std::exp(-b * b * inv2s2) +
                           std::exp(-c * c * inv2s2) + std::exp(-d * d * inv2s2);
        v += add;
        if (add < kImageTolerance)
            break;
    }
    return v;
}

/// ISC simple terrain for a release at `releaseHeight_m` above its base: terrain above the
/// base lowers the plume, truncated at the release height; receptors below the base count as
/// flat (ISC3 vol II section 1.1.6.3).
inline double terrainAdjustedHeight_m(double releaseHeight_m, double baseElevation_m,
                                      double receptorElevation_m) {
    const double above_m =
        std::clamp(receptorElevation_m - baseElevation_m, 0.0, std::max(releaseHeight_m, 0.0));
    return std::max(releaseHeight_m - above_m, 0.0);
}

/// The distance x >= 0 at which an increasing curve (a sigma against travel distance) reaches
/// `target`, by bisection to 1e-10 relative; sigma curves have no closed inverse in general.
template <class Curve>
double invertIncreasing(const Curve& curve, double target) {
    double lo = 0.0, hi = 1.0;
    while (curve(hi) < target && hi < 1e9)
        hi *= 2.0;
    for (int i = 0; i < 200 && hi - lo > 1e-10 * hi; ++i) {
        const double mid = 0.5 * (lo + hi);
        (curve(mid) < target ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

} // namespace parktwin::dispersion
