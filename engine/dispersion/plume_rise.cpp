#include "engine/dispersion/plume_rise.h"

// Formulas from the ISC3 user's guide, volume II (EPA-454/B-95-003b), section 1.1.4,
// which collects Briggs' plume-rise equations.

#include <algorithm>
#include <cmath>
#include <numbers>

namespace parktwin::dispersion {

double buoyancyFlux_m4s3(double exitVelocity_ms, double diameter_m, double exitTemperature_K,
                         double ambientTemperature_K) {
    if (exitTemperature_K <= ambientTemperature_K || exitTemperature_K <= 0)
        return 0.0; // ISC3 sets Ts = Ta for exhaust cooler than the air: no buoyancy
    return kGravity_ms2 * exitVelocity_ms * diameter_m * diameter_m *
           (exitTemperature_K - ambientTemperature_K) / (4.0 * exitTemperature_K);
}

double momentumFlux_m4s2(double exitVelocity_ms, double diameter_m, double exitTemperature_K,
                         double ambientTemperature_K) {
    const double ts_K = std::max(exitTemperature_K, ambientTemperature_K);
    if (ts_K <= 0)
        return 0.0;
    return exitVelocity_ms * exitVelocity_ms * diameter_m * diameter_m * ambientTemperature_K /
           (4.0 * ts_K);
}

double stackTipDownwashHeight_m(double stackHeight_m, double diameter_m, double exitVelocity_ms,
                                double windAtStack_ms) {
    if (exitVelocity_ms >= 1.5 * windAtStack_ms)
        return stackHeight_m;
    const double h_m =
        stackHeight_m + 2.0 * diameter_m * (exitVelocity_ms / windAtStack_ms - 1.5);
    return std::max(h_m, 0.0);
}

double stableParameter_s2(Stability stability, double ambientTemperature_K) {
    // Default potential temperature gradients of ISC3 (vol II section 1.1.4).
    double dThetaDz_Km = 0.0;
    if (stability == Stability::E)
        dThetaDz_Km = 0.020;
    else if (stability == Stability::F)
        dThetaDz_Km = 0.035;
    return kGravity_ms2 * dThetaDz_Km / ambientTemperature_K;
}

PlumeRise briggsPlumeRise(double diameter_m, double exitVelocity_ms, double exitTemperature_K,
                          double ambientTemperature_K, double windAtStack_ms,
                          Stability stability) {
    PlumeRise r;
    r.windAtStack_ms = windAtStack_ms;
    if (diameter_m <= 0 || exitVelocity_ms <= 0)
        return r; // no exit flow: neither buoyancy nor momentum carries the plume up

    const double ta = ambientTemperature_K;
    const double ts = std::max(exitTemperature_K, ta);
    const double vs = exitVelocity_ms;
    const double ds = diameter_m;
    const double us = windAtStack_ms;
    const double dT = ts - ta;
    r.buoyancyFlux = buoyancyFlux_m4s3(vs, ds, ts, ta);
    r.momentumFlux = momentumFlux_m4s2(vs, ds, ts, ta);
    r.jetEntrainment = 1.0 / 3.0 + us / vs;
    const double fb = r.buoyancyFlux;
    const double fm = r.momentumFlux;
    const double momentumRiseNeutral_m = 3.0 * ds * vs / us;

    r.stable = stability == Stability::E || stability == Stability::F;
    if (!r.stable) {
        // Crossover temperature difference, separate forms for Fb < 55 and Fb >= 55.
        const double dTc = fb < 55.0 ? 0.0297 * ts * std::cbrt(vs) / std::pow(ds, 2.0 / 3.0)
                                     : 0.00575 * ts * std::pow(vs, 2.0 / 3.0) / std::cbrt(ds);
        if (dT >= dTc && fb > 0) {
            // Final rise and the distance where it is reached (3.5 x*).
            r.buoyancyDominated = true;
            if (fb < 55.0) {
                r.final_m = 21.425 * std::pow(fb, 0.75) / us;
                r.finalDistance_m = 49.0 * std::pow(fb, 0.625);
            } else {
                r.final_m = 38.71 * std::pow(fb, 0.6) / us;
                r.finalDistance_m = 119.0 * std::pow(fb, 0.4);
            }
        } else {
            // Momentum-dominated jet, vol II section 1.1.4; distance to final rise
            // 4 ds (vs + 3 us)² / (vs us).
            r.final_m = momentumRiseNeutral_m;
            r.finalDistance_m = 4.0 * ds * (vs + 3.0 * us) * (vs + 3.0 * us) / (vs * us);
        }
        return r;
    }

    const double s = stableParameter_s2(stability, ta);
    const double rootS = std::sqrt(s);
    r.stableParameter = s;
    // Stable crossover temperature difference.
    const double dTc = 0.019582 * ts * vs * rootS;
    if (dT >= dTc && fb > 0) {
        // Stable buoyant rise, final at 2.0715 us / sqrt(s).
        r.buoyancyDominated = true;
        r.final_m = 2.6 * std::cbrt(fb / (us * s));
        r.finalDistance_m = 2.0715 * us / rootS;
    } else {
        // Stable momentum rise, never more than the neutral momentum rise;
        // final at a quarter of the buoyancy oscillation period, 0.5 pi us / sqrt(s).
        r.final_m = std::min(1.5 * std::cbrt(fm / (us * rootS)), momentumRiseNeutral_m);
        r.finalDistance_m = 0.5 * std::numbers::pi * us / rootS;
    }
    return r;
}

double gradualRise_m(const PlumeRise& rise, double x_m) {
    if (x_m <= 0)
        return 0.0;
    if (x_m >= rise.finalDistance_m)
        return rise.final_m;
    const double us = rise.windAtStack_ms;
    double dh_m = 0.0;
    if (rise.buoyancyDominated) {
        // Briggs' two-thirds law.
        dh_m = 1.60 * std::cbrt(rise.buoyancyFlux * x_m * x_m) / us;
    } else if (!rise.stable) {
        // Momentum jet, unstable/neutral.
        const double bj = rise.jetEntrainment;
        dh_m = std::cbrt(3.0 * rise.momentumFlux * x_m / (bj * bj * us * us));
    } else {
        // Momentum jet, stable.
        const double bj = rise.jetEntrainment;
        const double rootS = std::sqrt(rise.stableParameter);
        dh_m = std::cbrt(3.0 * rise.momentumFlux * std::sin(x_m * rootS / us) /
                         (bj * bj * us * rootS));
    }
    return std::min(dh_m, rise.final_m);
}

double momentumRiseAt_m(double diameter_m, double exitVelocity_ms, double exitTemperature_K,
                        double ambientTemperature_K, double windAtStack_ms, Stability stability,
                        double x_m) {
    if (diameter_m <= 0 || exitVelocity_ms <= 0 || x_m <= 0)
        return 0.0;
    const double us = windAtStack_ms, vs = exitVelocity_ms, ds = diameter_m;
    const double fm = momentumFlux_m4s2(vs, ds, exitTemperature_K, ambientTemperature_K);
    const double bj = 1.0 / 3.0 + us / vs;
    if (stability != Stability::E && stability != Stability::F) {
        // Unstable/neutral jet, reaching the final 3 ds vs / us at 4 ds (vs + 3 us)² / (vs us).
        const double xf_m = 4.0 * ds * (vs + 3.0 * us) * (vs + 3.0 * us) / (vs * us);
        const double x = std::min(x_m, xf_m);
        return std::min(std::cbrt(3.0 * fm * x / (bj * bj * us * us)), 3.0 * ds * vs / us);
    }
    // Stable jet: the sine form with x no further than a quarter of the buoyancy period,
    // pi us / (2 sqrt(s)), and not capped at Briggs' final stable momentum rise (SCREEN3's
    // downwash example: class F, 1.9953 m/s, Fm 146.5 gives 30.93 m, above the 19.4 m cap).
    const double rootS = std::sqrt(stableParameter_s2(stability, ambientTemperature_K));
    const double x = std::min(x_m, 0.5 * std::numbers::pi * us / rootS);
    return std::cbrt(3.0 * fm * std::sin(x * rootS / us) / (bj * bj * us * rootS));
}

double schulmanScireRise_m(const PlumeRise& rise, double r0_m, double x_m) {
    const double fb = rise.buoyancyFlux;
    if (x_m <= 0 || fb <= 0)
        return 0.0;
    constexpr double beta = 0.6;
    const double us = rise.windAtStack_ms;
    // Linear entrainment of a buoyant plume: R = 3 Fb x² / (2 β² us³) while rising.
    const double gradualRhs = 3.0 * fb / (2.0 * beta * beta * us * us * us);
    double rhs = 0.0;
    if (!rise.stable) {
        // Buoyant rise up to Briggs' distance of final buoyant rise, 3.5 x*.
        const double xf_m = fb < 55.0 ? 49.0 * std::pow(fb, 0.625) : 119.0 * std::pow(fb, 0.4);
        const double x = std::min(x_m, xf_m);
        rhs = gradualRhs * x * x;
    } else {
        const double s = rise.stableParameter;
        const double xf_m = 2.0715 * us / std::sqrt(s);
        const double finalRhs = 6.0 * fb / (beta * beta * us * s);
        rhs = x_m < xf_m ? std::min(gradualRhs * x_m * x_m, finalRhs) : finalRhs;
    }
    const double a = 3.0 * r0_m / beta;
    const double b = 3.0 * r0_m * r0_m / (beta * beta);
    // The left side rises monotonically and is convex for z > 0, and cbrt(rhs) bounds the
    // root from above: Newton's method from there converges without overshoot.
    double z = std::cbrt(rhs);
    for (int i = 0; i < 60; ++i) {
        const double f = ((z + a) * z + b) * z - rhs;
        const double df = (3.0 * z + 2.0 * a) * z + b;
        const double step = f / df;
        z -= step;
        if (std::abs(step) < 1e-9 * (1.0 + z))
            break;
    }
    return std::max(z, 0.0);
}

} // namespace parktwin::dispersion
