// Steady-state Gaussian plume for point sources, one hour at a time, after the ISC3 short-term
// model (EPA ISC3 user's guide, volume II, EPA-454/B-95-003b, section 1.1).
//
// What is modelled: power-law wind at release height, stack-tip downwash, Briggs final plume
// rise with buoyancy-induced dispersion from the gradual rise, rural (Pasquill-Gifford) or
// urban (Briggs) sigmas, ground and mixing-lid reflection, receptor flagpoles and ISC simple
// terrain. Not modelled: building downwash (receptors in a building wake are under-predicted),
// deposition, and the urban SO2 half-life.

#include "engine/dispersion/plume.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "engine/core/error.h"
#include "engine/dispersion/plume_rise.h"
#include "engine/dispersion/sigmas.h"
#include "engine/dispersion/wind_profile.h"

namespace parktwin::dispersion {
namespace {

constexpr double kGramsToMicrograms = 1e6;
// Receptors more than 50 degrees off the plume axis are skipped, as in ISC3: |y| > tan(50°) x.
constexpr double kTan50 = 1.19175359;
// Beyond six sigma-y the crosswind term is below 1.6e-8 of the centreline: ISC3 skips it.
constexpr double kMaxSigmaYMultiple = 6.0;
// Image sources are added until a pair of reflections contributes less than this (ISC3).
constexpr double kImageTolerance = 5e-9;
constexpr int kMaxImages = 50;
// The vertical distribution is taken as uniform below the lid once sigma-z / zi >= 1.6
// (ISC3 vol II section 1.1.6).
constexpr double kUniformMixingRatio = 1.6;
const double kSqrt2Pi = std::sqrt(2.0 * std::numbers::pi);
const double kLn1000 = std::log(1000.0);

/// What one source needs for one hour, computed once before the receptor loop.
struct SourceHour {
    Vec2 position;
    double baseElevation_m = 0;
    double stackHeight_m = 0;
    double plumeHeightFlat_m = 0; ///< release height after downwash plus final rise
    double scale = 0;             ///< Q * 1e6 / (2 pi us), µg/m³ times m²
    PlumeRise rise;
    double finalBid2_m2 = 0;      ///< (final rise / 3.5)², the BID term past final rise
    double buoyantGradualCoef = 0; ///< 1.60 Fb^(1/3) / us, so the 2/3 law is coef x^(2/3)
};

/// Sum of the Gaussian vertical terms (ISC3 vol II section 1.1.6): the source and its ground
/// image, plus images in the ground and the mixing lid when there is a lid.
double verticalTerm(double zr_m, double he_m, double sz_m, double zi_m, bool lid) {
    const double inv2s2 = 0.5 / (sz_m * sz_m);
    const double dMinus = zr_m - he_m;
    const double dPlus = zr_m + he_m;
    double v = std::exp(-dMinus * dMinus * inv2s2) + std::exp(-dPlus * dPlus * inv2s2);
    if (!lid)
        return v;
    if (sz_m >= kUniformMixingRatio * zi_m)
        return kSqrt2Pi * sz_m / zi_m;
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

SourceHour prepareSource(const PointSource& src, const MetHour& met, const PlumeOptions& options) {
    SourceHour s;
    s.position = src.position;
    s.baseElevation_m = src.baseElevation_m;
    s.stackHeight_m = src.height_m;

    const double us = stackHeightWind_ms(met.windSpeed_ms, met.anemometerHeight_m, src.height_m,
                                         options.landUse, met.stability);
    const double release_m =
        options.stackTipDownwash
            ? stackTipDownwashHeight_m(src.height_m, src.diameter_m, src.exitVelocity_ms, us)
            : src.height_m;
    s.rise = briggsPlumeRise(src.diameter_m, src.exitVelocity_ms, src.exitTemperature_K,
                             met.temperature_K, us, met.stability);
    s.plumeHeightFlat_m = release_m + s.rise.final_m;
    s.scale = src.emissionRate_gs * kGramsToMicrograms / (2.0 * std::numbers::pi * us);
    s.finalBid2_m2 = (s.rise.final_m / 3.5) * (s.rise.final_m / 3.5);
    if (s.rise.buoyancyDominated)
        s.buoyantGradualCoef = 1.60 * std::cbrt(s.rise.buoyancyFlux) / us;
    return s;
}

/// Squared buoyancy-induced dispersion (Pasquill 1976, as ISC3 applies it: (Δh(x) / 3.5)²),
/// with the gradual rise up to the distance of final rise.
inline double bidSquared(const SourceHour& s, double x_m, double lnX_m) {
    if (x_m >= s.rise.finalDistance_m)
        return s.finalBid2_m2;
    double dh_m;
    if (s.rise.buoyancyDominated)
        dh_m = std::min(s.buoyantGradualCoef * std::exp((2.0 / 3.0) * lnX_m), s.rise.final_m);
    else
        dh_m = gradualRise_m(s.rise, x_m);
    return (dh_m / 3.5) * (dh_m / 3.5);
}

template <bool Urban>
void addSource(const SourceHour& s, const SigmaCurves& curves, Vec2 downwind, const MetHour& met,
               double zi_m, std::span<const Receptor> receptors, const PlumeOptions& options,
               std::span<double> out) {
    const bool lid = met.stability != Stability::E && met.stability != Stability::F;
    const bool hasBid = s.rise.final_m > 0;
    const std::size_t n = receptors.size();

    for (std::size_t i = 0; i < n; ++i) {
        const Receptor& r = receptors[i];
        const double dx = r.position.x - s.position.x;
        const double dy = r.position.y - s.position.y;
        const double x_m = dx * downwind.x + dy * downwind.y;
        const double y_m = dx * downwind.y - dy * downwind.x;
        if (x_m <= 0.0 || std::abs(y_m) > kTan50 * x_m || dx * dx + dy * dy < 1.0)
            continue;

        double lnX_m = 0.0;
        Sigmas sig;
        if constexpr (Urban) {
            sig = curves.urbanAt(x_m);
            if (hasBid)
                lnX_m = std::log(x_m);
        } else {
            lnX_m = std::log(x_m);
            sig = curves.ruralAt(x_m, lnX_m - kLn1000);
        }
        if (hasBid) {
            const double bid2 = bidSquared(s, x_m, lnX_m);
            sig.y_m = std::sqrt(sig.y_m * sig.y_m + bid2);
            sig.z_m = std::min(std::sqrt(sig.z_m * sig.z_m + bid2), kMaxSigmaZ_m);
        }
        if (std::abs(y_m) > kMaxSigmaYMultiple * sig.y_m)
            continue;

        double he_m = s.plumeHeightFlat_m;
        if (options.terrain) {
            // ISC simple terrain: terrain above the stack base lowers the plume, terrain
            // above the stack top is truncated to it; receptors below the base count as flat.
            const double above_m =
                std::clamp(r.groundElevation_m - s.baseElevation_m, 0.0, s.stackHeight_m);
            he_m = std::max(he_m - above_m, 0.0);
        }

        const double yTerm = std::exp(-0.5 * (y_m * y_m) / (sig.y_m * sig.y_m));
        const double vTerm = verticalTerm(r.flagpole_m, he_m, sig.z_m, zi_m, lid);
        out[i] += s.scale * yTerm * vTerm / (sig.y_m * sig.z_m);
    }
}

} // namespace

void addHourConcentrations(std::span<const PointSource> sources, const MetHour& met,
                           std::span<const Receptor> receptors, const PlumeOptions& options,
                           std::span<double> out) {
    if (out.size() != receptors.size())
        throw Error("addHourConcentrations: " + std::to_string(out.size()) +
                    " output values for " + std::to_string(receptors.size()) + " receptors");
    // ISC3 treats an hour with a zero anemometer wind as calm and gives it no concentration.
    if (met.calm || !(met.windSpeed_ms > 0.0))
        return;

    const double toward_rad = (met.windFromDir_deg + 180.0) * std::numbers::pi / 180.0;
    const Vec2 downwind{std::sin(toward_rad), std::cos(toward_rad)};
    const SigmaCurves curves(options.landUse, met.stability);
    const bool lid = met.stability != Stability::E && met.stability != Stability::F;

    for (const PointSource& src : sources) {
        if (!(src.emissionRate_gs > 0.0))
            continue;
        const SourceHour s = prepareSource(src, met, options);
        // SCREEN3 (EPA-454/B-95-004) keeps an estimated lid at least 1 m above the plume.
        double zi_m = met.mixingHeight_m;
        if (met.mixingHeightIsEstimate)
            zi_m = std::max(zi_m, s.plumeHeightFlat_m + 1.0);
        // A plume above the mixing lid in an unstable or neutral hour does not reach the
        // ground (ISC3).
        if (lid && s.plumeHeightFlat_m > zi_m)
            continue;
        if (curves.urban())
            addSource<true>(s, curves, downwind, met, zi_m, receptors, options, out);
        else
            addSource<false>(s, curves, downwind, met, zi_m, receptors, options, out);
    }
}

} // namespace parktwin::dispersion
