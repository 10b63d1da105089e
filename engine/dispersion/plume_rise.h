#pragma once
// Stack-tip downwash and Briggs plume rise for point sources, as ISC3 applies them
// (EPA ISC3 user's guide, volume II, EPA-454/B-95-003b, section 1.1.4; Briggs 1969, 1971,
// 1972, 1974, 1975).

#include "engine/core/met.h"

namespace parktwin::dispersion {

/// Gravitational acceleration ISC3 uses, m/s².
inline constexpr double kGravity_ms2 = 9.80616;

/// Briggs buoyancy flux Fb = g vs ds² (Ts - Ta) / (4 Ts), m⁴/s³ (vol II section 1.1.4);
/// zero when the exhaust is not warmer than the air.
double buoyancyFlux_m4s3(double exitVelocity_ms, double diameter_m, double exitTemperature_K,
                         double ambientTemperature_K);

/// Momentum flux Fm = vs² ds² Ta / (4 Ts), m⁴/s² (vol II section 1.1.4).
double momentumFlux_m4s2(double exitVelocity_ms, double diameter_m, double exitTemperature_K,
                         double ambientTemperature_K);

/// Release height in metres after Briggs (1974) stack-tip downwash:
/// hs + 2 ds (vs/us - 1.5) when vs < 1.5 us, else hs (vol II section 1.1.4); never below zero.
double stackTipDownwashHeight_m(double stackHeight_m, double diameter_m, double exitVelocity_ms,
                                double windAtStack_ms);

/// Stability parameter s = g (dθ/dz) / Ta in 1/s², with dθ/dz = 0.020 K/m for class E and
/// 0.035 K/m for F (vol II section 1.1.4); zero for A-D.
double stableParameter_s2(Stability stability, double ambientTemperature_K);

/// Plume rise of one source for one hour: the final rise, where it is reached, and what the
/// distance-dependent (gradual) rise before that needs.
struct PlumeRise {
    double final_m = 0;          ///< final rise above the (downwashed) release height
    double finalDistance_m = 0;  ///< downwind distance where the final rise is reached
    double buoyancyFlux = 0;     ///< Fb, m⁴/s³
    double momentumFlux = 0;     ///< Fm, m⁴/s²
    bool buoyancyDominated = false;
    bool stable = false;
    double windAtStack_ms = 1;
    double stableParameter = 0;  ///< s, 1/s²
    double jetEntrainment = 0;   ///< βj = 1/3 + us/vs, for momentum gradual rise
};

/// Briggs final plume rise for a stack (vol II section 1.1.4): the buoyancy- or
/// momentum-dominated branch chosen by the crossover temperature difference, for
/// unstable/neutral (A-D) or stable (E, F) hours. Lengths in metres.
PlumeRise briggsPlumeRise(double diameter_m, double exitVelocity_ms, double exitTemperature_K,
                          double ambientTemperature_K, double windAtStack_ms,
                          Stability stability);

/// Distance-dependent plume rise in metres at `x_m` downwind (vol II section 1.1.4):
/// Briggs' 2/3 law 1.60 (Fb x²)^(1/3) / us for buoyant plumes, the momentum forms for jets,
/// each capped at the final rise and equal to it from the distance of final rise on.
double gradualRise_m(const PlumeRise& rise, double x_m);

/// Distance-dependent rise from momentum alone, metres at `x_m` (vol II section 1.1.4): in
/// unstable/neutral hours [3 Fm x / (βj² us²)]^(1/3), capped at 3 ds vs / us; in stable hours
/// [3 Fm sin(x √s / us) / (βj² us √s)]^(1/3) with x no further than π us / (2 √s), which
/// SCREEN3's downwash example shows is not capped at Briggs' final stable momentum rise.
/// ISC3's building wake test evaluates it at two building heights downwind (section 1.1.5.3).
double momentumRiseAt_m(double diameter_m, double exitVelocity_ms, double exitTemperature_K,
                        double ambientTemperature_K, double windAtStack_ms, Stability stability,
                        double x_m);

/// Plume rise under Schulman-Scire building downwash (Schulman and Scire 1980; ISC3 vol II
/// section 1.1.4.11): the rise z of a buoyant plume that leaves the wake with radius r0 solves
///   z³ + (3 r0/β) z² + (3 r0²/β²) z = R,   β = 0.6,
/// with R = 3 Fb x² / (2 β² us³) in unstable/neutral hours (x capped at Briggs' distance of
/// final buoyant rise) and before the stable final distance 2.0715 us / √s, and
/// R = 6 Fb / (β² us s) for the stable final rise. Buoyancy alone drives it: SCREEN3's downwash
/// example (classes A and F) is reproduced to 0.1% by this form and not with a momentum term
/// or a line-source length. With r0 = 0 it is Briggs' 2/3 law.
double schulmanScireRise_m(const PlumeRise& rise, double r0_m, double x_m);

} // namespace parktwin::dispersion
