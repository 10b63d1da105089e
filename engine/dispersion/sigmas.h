#pragma once
// Dispersion parameters sigma-y and sigma-z of the ISC3 point-source model
// (EPA ISC3 user's guide, volume II, EPA-454/B-95-003b, section 1.1.5):
// - rural: Pasquill-Gifford curves in Turner's fitted forms (vol II tables 1-1 and 1-2);
// - urban: Briggs' fits to the McElroy-Pooler St. Louis data (vol II tables 1-3 and 1-4).
// Sigma-z is capped at 5,000 m for every class and land use, as ISC3 does.

#include <cmath>

#include "engine/core/met.h"
#include "engine/dispersion/plume.h"

namespace parktwin::dispersion {

/// Largest sigma-z ISC3 allows, metres.
inline constexpr double kMaxSigmaZ_m = 5000.0;

struct Sigmas {
    double y_m = 0;
    double z_m = 0;
};

/// tan(theta) for the half-angles of the Pasquill-Gifford curves (under 0.8 rad at every
/// distance ISC3 evaluates), from Lambert's continued fraction
/// tan x = x / (1 - x²/(3 - x²/(5 - x²/(7 - x²/(9 - x²/11))))) folded into one division; the
/// truncation error is below 1e-8 relative at 0.8 rad. Larger angles go to std::tan. It is the
/// rural sigma-y's cost per receptor, a fifth of the plume loop with the library's tan.
inline double tanOfSmallAngle(double theta) {
    if (!(std::abs(theta) <= 0.8))
        return std::tan(theta);
    const double x2 = theta * theta;
    // Each level k - x² / (N / D) is (k N - x² D) / N, from the innermost (11) outwards.
    double n = 11.0, d = 1.0;
    for (const double k : {9.0, 7.0, 5.0, 3.0, 1.0}) {
        const double next = k * n - x2 * d;
        d = n;
        n = next;
    }
    return theta * d / n;
}

/// One distance band of the rural sigma-z fit sigma-z = a x^b (x in km), valid for
/// x_km < upperKm (the last band of a class has upperKm = infinity).
struct SigmaZBand {
    double upperKm;
    double a;
    double b;
    double lnA; ///< ln(a), so the power becomes one exp per receptor
};

/// The sigma curves of one land use and stability class, set up once per hour so the
/// receptor loop does no table look-up by class and no pow().
class SigmaCurves {
public:
    SigmaCurves(LandUse landUse, Stability stability);

    /// Sigma-y and sigma-z in metres at `x_m` metres downwind (x_m > 0).
    Sigmas at(double x_m) const {
        return urban_ ? urbanAt(x_m) : ruralAt(x_m, std::log(x_m * 1e-3));
    }

    /// As at(), with ln(x_m / 1000) already known to the caller.
    Sigmas ruralAt(double x_m, double lnXkm) const {
        // Vol II section 1.1.5: sigma-y = 465.11628 x tan(TH), TH = 0.017453293 (c - d ln x),
        // x in km; 465.11628 m/km is 1000 / 2.15, the half-width to sigma ratio.
        const double th = 0.017453293 * (c_ - d_ * lnXkm);
        Sigmas s;
        s.y_m = 465.11628 * (x_m * 1e-3) * tanOfSmallAngle(th);

        const double xkm = x_m * 1e-3;
        const SigmaZBand* band = bands_;
        while (xkm >= band->upperKm)
            ++band;
        if (band->a <= 0) {
            s.z_m = kMaxSigmaZ_m; // class A beyond 3.11 km: vol II table 1-2 gives 5,000 m
        } else {
            s.z_m = std::exp(band->lnA + band->b * lnXkm);
            if (s.z_m > kMaxSigmaZ_m)
                s.z_m = kMaxSigmaZ_m;
        }
        return s;
    }

    /// Urban sigmas (vol II tables 1-3, 1-4), x in metres.
    Sigmas urbanAt(double x_m) const {
        Sigmas s;
        s.y_m = ya_ * x_m / std::sqrt(1.0 + 0.0004 * x_m);
        const double root = std::sqrt(1.0 + zb_ * x_m);
        s.z_m = za_ * x_m * (zRootPower_ > 0 ? root : zRootPower_ < 0 ? 1.0 / root : 1.0);
        if (s.z_m > kMaxSigmaZ_m)
            s.z_m = kMaxSigmaZ_m;
        return s;
    }

    bool urban() const { return urban_; }

    /// The coefficients behind the curves, for the vectorised receptor loop.
    struct Coefficients {
        double c = 0, d = 0;                  ///< rural half-angle TH = c - d ln x (degrees)
        const SigmaZBand* bands = nullptr;    ///< rural sigma-z bands, the last unbounded
        double ya = 0, za = 0, zb = 0;        ///< urban forms, see urbanAt()
        int zRootPower = 0;
    };
    Coefficients coefficients() const { return {c_, d_, bands_, ya_, za_, zb_, zRootPower_}; }

private:
    bool urban_ = false;
    // rural
    double c_ = 0, d_ = 0;
    const SigmaZBand* bands_ = nullptr;
    // urban: sigma-y = ya x (1 + 0.0004 x)^-1/2; sigma-z = za x (1 + zb x)^(zRootPower/2)
    double ya_ = 0, za_ = 0, zb_ = 0;
    int zRootPower_ = 0;
};

/// Sigma-y and sigma-z in metres at `x_m` metres downwind for a land use and class.
Sigmas sigmasAt(LandUse landUse, Stability stability, double x_m);

/// The downwind distance in metres at which the curves' sigma-y reaches `sigmaY_m`: the
/// virtual distance of ISC3's building-wake and volume-source treatments (vol II sections
/// 1.1.5.3, 1.2.2). Solved numerically, to 1e-9 relative.
double distanceForSigmaY_m(const SigmaCurves& curves, double sigmaY_m);

/// As distanceForSigmaY_m(), for sigma-z (below the 5,000 m cap).
double distanceForSigmaZ_m(const SigmaCurves& curves, double sigmaZ_m);

} // namespace parktwin::dispersion
