// Steady-state Gaussian plume for point sources, one hour at a time, after the ISC3 short-term
// model (EPA ISC3 user's guide, volume II, EPA-454/B-95-003b, section 1.1).
//
// What is modelled: power-law wind at release height, stack-tip downwash, Briggs final plume
// rise with buoyancy-induced dispersion from the gradual rise, building downwash (Huber-Snyder
// and Schulman-Scire, vol II section 1.1.5.3), rural (Pasquill-Gifford) or urban (Briggs)
// sigmas, ground and mixing-lid reflection, receptor flagpoles, ISC simple terrain and
// first-order decay. Not modelled: deposition and the cavity region (receptors closer than
// three building lengths under downwash get nothing, as in ISC3).

#include "engine/dispersion/plume.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "engine/core/error.h"
#include "engine/dispersion/gaussian_terms.h"
#include "engine/dispersion/plume_internal.h"
#include "engine/dispersion/plume_rise.h"
#include "engine/dispersion/sigmas.h"
#include "engine/dispersion/volume_area.h"
#include "engine/dispersion/wind_profile.h"

namespace parktwin::dispersion {
namespace {

using detail::kLn1000;
using detail::kMaxSigmaYMultiple;
using detail::kTan50;
// A distance past every distance of final rise, for the final Schulman-Scire rise.
constexpr double kFarDownwind_m = 1e7;

using detail::Downwash;
using detail::SourceHour;
using detail::Wake;

/// ISC3 takes the building of the flow-vector sector nearest the hour's flow vector: sector
/// k (1-36) covers flow vectors within 5 degrees of 10 k (vol I, BUILDHGT keyword).
const BuildingWake& wakeForFlow(const BuildingWakeTable& table, double windFromDir_deg) {
    const double flow_deg = std::fmod(windFromDir_deg + 180.0, 360.0);
    int sector = static_cast<int>(flow_deg * 0.1 + 0.4999);
    if (sector <= 0)
        sector = 36;
    if (sector > 36)
        sector -= 36;
    return table[static_cast<std::size_t>(sector - 1)];
}

/// Building-enhanced sigma-z (vol II section 1.1.5.3): 0.7 Lz + 0.067 (x - 3 Lz) up to
/// 10 Lz, then the ambient curve at the virtual distance x + xz.
double wakeSigmaZ_m(const Wake& w, const SigmaCurves& curves, double x_m) {
    const double lz = w.zScale_m;
    if (x_m < 10.0 * lz)
        return 0.7 * lz + 0.067 * (x_m - 3.0 * lz);
    return curves.at(x_m + w.xzVirtual_m).z_m;
}

/// Building-enhanced sigma-y (vol II section 1.1.5.3): 0.35 hw + 0.067 (x - 3 L) up to
/// 10 L, then the ambient curve at the virtual distance x + xy.
double wakeSigmaY_m(const Wake& w, const SigmaCurves& curves, double x_m) {
    const double L = w.length_m;
    if (x_m < 10.0 * L)
        return 0.35 * w.width_m + 0.067 * (x_m - 3.0 * L);
    return curves.at(x_m + w.xyVirtual_m).y_m;
}

/// Schulman-Scire sigma-z: the larger of the ambient sigma-z and the building sigma-z scaled
/// by A, out to 10 L; beyond, the ambient curve at the virtual distance where it equals
/// A 1.2 L. SCREEN3's downwash example shows both: the larger-of form, not
/// A bldg + (1 - A) ambient (class F at 500-700 m prints 0.6816 times the building sigma-z
/// while the ambient urban sigma-z is 30-36 m), and at 900 and 1000 m the urban F curve
/// continued from 0.6816 * 96 m at 800 m (68.33, 71.13 m), not A times the curve continued
/// from 96 m (66.88, 68.30 m).
double schulmanScireSigmaZ_m(const Wake& w, const SigmaCurves& curves, double x_m) {
    const double L = w.length_m;
    if (x_m < 10.0 * L)
        return std::max(curves.at(x_m).z_m, w.decay * (0.7 * L + 0.067 * (x_m - 3.0 * L)));
    return curves.at(x_m + std::max(w.xzVirtual_m, 0.0)).z_m;
}

/// Chooses the downwash branch and sets up its enhanced sigmas (ISC3 vol II section
/// 1.1.5.3): with L = min(hb, hw), Schulman-Scire when hs <= hb + 0.5 L, Huber-Snyder when
/// hs <= hb + 1.5 L; the branch holds only while the stack top plus the momentum rise at two
/// building heights stays below hb + 2 L (Schulman-Scire) or hb + 1.5 L (Huber-Snyder).
Wake buildingWake(const PointSource& src, const BuildingWake& b, const MetHour& met,
                  double windAtStack_ms, const SigmaCurves& curves) {
    Wake w;
    if (!(b.height_m > 0) || !(b.width_m > 0))
        return w;
    const double hb = b.height_m, hw = b.width_m, L = std::min(hb, hw);
    const double hs = src.height_m;
    const bool schulmanScire = hs <= hb + 0.5 * L;
    if (!schulmanScire && hs > hb + 1.5 * L)
        return w;
    const double momentum_m =
        momentumRiseAt_m(src.diameter_m, src.exitVelocity_ms, src.exitTemperature_K,
                         met.temperature_K, windAtStack_ms, met.stability, 2.0 * hb);
    const double wakeTestHeight_m = hs + momentum_m;
    if (wakeTestHeight_m > hb + (schulmanScire ? 2.0 : 1.5) * L)
        return w;

    w.kind = schulmanScire ? Downwash::SchulmanScire : Downwash::HuberSnyder;
    w.height_m = hb;
    w.width_m = hw;
    w.length_m = L;
    w.zScale_m = schulmanScire ? L : hb;
    // Both branches enhance sigma-y only for plumes up to 1.2 hb, judged by the same wake-test
    // height (vol II section 1.1.5.3.1); above that sigma-y follows the ambient curve.
    w.enhanceY = wakeTestHeight_m <= 1.2 * hb;
    w.xzVirtual_m = distanceForSigmaZ_m(curves, 1.2 * w.zScale_m) - 10.0 * w.zScale_m;
    // Lateral virtual distances come from vol II table 1-5's power law in rural mode, as in
    // ISCST3, and from the exact inverse of the Briggs curve in urban mode.
    w.xyVirtual_m = lateralVirtualDistance_m(curves.urban() ? LandUse::Urban : LandUse::Rural,
                                             met.stability, 0.35 * hw + 0.5 * L) -
                    10.0 * L;
    if (schulmanScire) {
        // The enhancement decays linearly from 1 at hb to 0 at hb + 2 L of wake-test height
        // (stack top plus momentum rise at 2 hb); the plume leaves the wake with radius
        // sqrt(2) times its sigma-z at 3 L. SCREEN3's example: class F, 130.93 m over an 80 m
        // building gives A = 0.6817 and r0 = sqrt(2) 0.6817 (0.7 80) = 53.98 m.
        w.decay = std::clamp(1.0 - (wakeTestHeight_m - hb) / (2.0 * L), 0.0, 1.0);
        w.xzVirtual_m = w.decay > 0 ? distanceForSigmaZ_m(curves, w.decay * 1.2 * L) - 10.0 * L
                                    : 0.0;
        w.r0_m = std::sqrt(2.0) * schulmanScireSigmaZ_m(w, curves, 3.0 * L);
    }
    return w;
}

SourceHour prepareSource(const PointSource& src, const MetHour& met, const PlumeOptions& options,
                         const SigmaCurves& curves) {
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
    s.windAtStack_ms = us;
    s.decayPerMetre = options.decayCoefficient_per_s / us;
    if (src.buildings)
        s.wake = buildingWake(src, wakeForFlow(*src.buildings, met.windFromDir_deg), met, us,
                              curves);
    // Schulman-Scire plumes rise from the stack top itself: the reduced rise replaces
    // stack-tip downwash (ISC3 vol II section 1.1.4; ISCST3's plume-height routine).
    s.release_m = release_m;
    if (s.wake.kind == Downwash::SchulmanScire) {
        s.release_m = src.height_m;
        s.rise.final_m = schulmanScireRise_m(s.rise, s.wake.r0_m, kFarDownwind_m);
    }
    s.plumeHeightFlat_m = s.release_m + s.rise.final_m;
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

/// ISC simple terrain: terrain above the stack base lowers the plume, terrain above the stack
/// top is truncated to it; receptors below the base count as flat.
inline double terrainAdjusted_m(const SourceHour& s, const Receptor& r, double flat_m,
                                const PlumeOptions& options) {
    if (!options.terrain)
        return flat_m;
    const double above_m = std::clamp(r.groundElevation_m - s.baseElevation_m, 0.0,
                                      s.stackHeight_m);
    return std::max(flat_m - above_m, 0.0);
}

/// One receptor of a source outside any building wake; `x_m` > 0 inside the 50-degree
/// sector. Urban selects the Briggs curves at compile time.
template <bool Urban>
inline double plumeAt(const SourceHour& s, const SigmaCurves& curves, double x_m, double y_m,
                      const Receptor& r, double zi_m, bool lid, const PlumeOptions& options) {
    const bool hasBid = s.rise.final_m > 0;
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
        return 0.0;

    const double he_m = terrainAdjusted_m(s, r, s.plumeHeightFlat_m, options);
    const double yTerm = std::exp(-0.5 * (y_m * y_m) / (sig.y_m * sig.y_m));
    const double vTerm = verticalTerm(r.flagpole_m, he_m, sig.z_m, zi_m, lid);
    double c = s.scale * yTerm * vTerm / (sig.y_m * sig.z_m);
    if (s.decayPerMetre > 0)
        c *= std::exp(-x_m * s.decayPerMetre);
    return c;
}

template <bool Urban>
void addSource(const SourceHour& s, const SigmaCurves& curves, Vec2 downwind, double zi_m,
               bool lid, std::span<const Receptor> receptors, const PlumeOptions& options,
               std::span<double> out) {
    const std::size_t n = receptors.size();
    for (std::size_t i = 0; i < n; ++i) {
        const Receptor& r = receptors[i];
        const double dx = r.position.x - s.position.x;
        const double dy = r.position.y - s.position.y;
        const double x_m = dx * downwind.x + dy * downwind.y;
        const double y_m = dx * downwind.y - dy * downwind.x;
        if (x_m <= 0.0 || std::abs(y_m) > kTan50 * x_m || dx * dx + dy * dy < 1.0)
            continue;
        out[i] += plumeAt<Urban>(s, curves, x_m, y_m, r, zi_m, lid, options);
    }
}

/// Height and sigmas of a plume in a building wake at `x_m` downwind (ISC3 vol II section
/// 1.1.5.3): enhanced sigmas with virtual distances; under Schulman-Scire the rise of the
/// enlarged plume at this distance, the larger of ambient and A-scaled building sigma-z and no
/// buoyancy-induced dispersion (vol II section 1.1.5.4); under Huber-Snyder the final rise with
/// buoyancy-induced dispersion from the gradual rise.
PlumeGeometry wakePlumeAt(const SourceHour& s, const SigmaCurves& curves, double x_m) {
    const Wake& w = s.wake;
    PlumeGeometry g;
    g.downwash = w.kind == Downwash::SchulmanScire ? "SS" : "HS";
    const Sigmas ambient = curves.at(x_m);
    g.sigmaY_m = w.enhanceY ? wakeSigmaY_m(w, curves, x_m) : ambient.y_m;
    if (w.kind == Downwash::SchulmanScire) {
        g.height_m = s.release_m + schulmanScireRise_m(s.rise, w.r0_m, x_m);
        g.sigmaZ_m = schulmanScireSigmaZ_m(w, curves, x_m);
    } else {
        g.height_m = s.plumeHeightFlat_m;
        g.sigmaZ_m = std::max(wakeSigmaZ_m(w, curves, x_m), 0.0);
        const double rise_m = gradualRise_m(s.rise, x_m);
        const double bid2 = (rise_m / 3.5) * (rise_m / 3.5);
        g.sigmaY_m = std::sqrt(g.sigmaY_m * g.sigmaY_m + bid2);
        g.sigmaZ_m = std::sqrt(g.sigmaZ_m * g.sigmaZ_m + bid2);
    }
    g.sigmaZ_m = std::min(g.sigmaZ_m, kMaxSigmaZ_m);
    return g;
}

/// The receptor loop of a source in a building wake (ISC3 vol II section 1.1.5.3).
void addWakeSource(const SourceHour& s, const SigmaCurves& curves, Vec2 downwind,
                   double zi_m, bool lid, std::span<const Receptor> receptors,
                   const PlumeOptions& options, std::span<double> out) {
    const double minRadius2_m2 = std::max(1.0, 9.0 * s.wake.length_m * s.wake.length_m);
    for (std::size_t i = 0; i < receptors.size(); ++i) {
        const Receptor& r = receptors[i];
        const double dx = r.position.x - s.position.x;
        const double dy = r.position.y - s.position.y;
        const double x_m = dx * downwind.x + dy * downwind.y;
        const double y_m = dx * downwind.y - dy * downwind.x;
        // ISC3 gives nothing inside the cavity, closer than 3 L to the stack.
        if (x_m <= 0.0 || std::abs(y_m) > kTan50 * x_m || dx * dx + dy * dy < minRadius2_m2)
            continue;

        const PlumeGeometry g = wakePlumeAt(s, curves, x_m);
        const double sy_m = g.sigmaY_m, sz_m = g.sigmaZ_m;
        if (!(sy_m > 0) || !(sz_m > 0) || std::abs(y_m) > kMaxSigmaYMultiple * sy_m)
            continue;
        // Above the lid at this distance: nothing reaches the ground (ISCST3 tests the
        // Schulman-Scire plume where it is; TEST-ST's 6 January hour 8, class D under a
        // 155.5 m lid, reaches the 200 and 300 m receptors at 350 degrees while its final
        // height is above the lid).
        if (lid && g.height_m > zi_m)
            continue;

        const double he_m = terrainAdjusted_m(s, r, g.height_m, options);
        const double yTerm = std::exp(-0.5 * (y_m * y_m) / (sy_m * sy_m));
        const double vTerm = verticalTerm(r.flagpole_m, he_m, sz_m, zi_m, lid);
        double c = s.scale * yTerm * vTerm / (sy_m * sz_m);
        if (s.decayPerMetre > 0)
            c *= std::exp(-x_m * s.decayPerMetre);
        out[i] += c;
    }
}

/// The vector loop runs where the processor has it, unless the options ask for the scalar one.
bool useVectorLoop(const PlumeOptions& options) {
    static const bool available = detail::vectorLoopAvailable();
    return available && options.vectorLoop;
}

} // namespace

double detail::plumeConcentration(const SourceHour& s, const SigmaCurves& curves, double x_m,
                                  double y_m, const Receptor& r, double zi_m, bool lid,
                                  const PlumeOptions& options) {
    return curves.urban() ? plumeAt<true>(s, curves, x_m, y_m, r, zi_m, lid, options)
                          : plumeAt<false>(s, curves, x_m, y_m, r, zi_m, lid, options);
}

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
        const SourceHour s = prepareSource(src, met, options, curves);
        // SCREEN3 (EPA-454/B-95-004) keeps an estimated lid at least 1 m above the plume.
        double zi_m = met.mixingHeight_m;
        if (met.mixingHeightIsEstimate)
            zi_m = std::max(zi_m, s.plumeHeightFlat_m + 1.0);
        // A plume above the mixing lid in an unstable or neutral hour does not reach the
        // ground (ISC3). The Schulman-Scire plume, whose height depends on distance, is tested
        // at each receptor instead.
        if (lid && s.wake.kind != Downwash::SchulmanScire && s.plumeHeightFlat_m > zi_m)
            continue;
        if (s.wake.kind != Downwash::None)
            addWakeSource(s, curves, downwind, zi_m, lid, receptors, options, out);
        else if (useVectorLoop(options))
            detail::addSourceVector(s, curves, downwind, zi_m, lid, receptors, options, out);
        else if (curves.urban())
            addSource<true>(s, curves, downwind, zi_m, lid, receptors, options, out);
        else
            addSource<false>(s, curves, downwind, zi_m, lid, receptors, options, out);
    }
}

PlumeGeometry plumeGeometryAt(const PointSource& src, const MetHour& met,
                              const PlumeOptions& options, double x_m) {
    if (!(x_m > 0))
        throw Error("plumeGeometryAt: downwind distance must be positive, got " +
                    std::to_string(x_m) + " m");
    const SigmaCurves curves(options.landUse, met.stability);
    const SourceHour s = prepareSource(src, met, options, curves);
    if (s.wake.kind != Downwash::None) {
        if (x_m < 3.0 * s.wake.length_m)
            return {};
        return wakePlumeAt(s, curves, x_m);
    }
    PlumeGeometry g;
    g.downwash = "NO";
    g.height_m = s.plumeHeightFlat_m;
    Sigmas sig = curves.at(x_m);
    if (s.rise.final_m > 0) {
        const double bid2 = bidSquared(s, x_m, std::log(x_m));
        sig.y_m = std::sqrt(sig.y_m * sig.y_m + bid2);
        sig.z_m = std::min(std::sqrt(sig.z_m * sig.z_m + bid2), kMaxSigmaZ_m);
    }
    g.sigmaY_m = sig.y_m;
    g.sigmaZ_m = sig.z_m;
    return g;
}

} // namespace parktwin::dispersion
