#include "engine/dispersion/wind_profile.h"

#include <algorithm>
#include <cmath>

namespace parktwin::dispersion {

double windProfileExponent(LandUse landUse, Stability stability) {
    // ISC3 vol II section 1.1.3 (Irwin, 1979 exponents).
    static constexpr double rural[6] = {0.07, 0.07, 0.10, 0.15, 0.35, 0.55};
    static constexpr double urban[6] = {0.15, 0.15, 0.20, 0.25, 0.30, 0.30};
    const int k = std::clamp(int(stability) - 1, 0, 5);
    return landUse == LandUse::Urban ? urban[k] : rural[k];
}

double stackHeightWind_ms(double refSpeed_ms, double refHeight_m, double releaseHeight_m,
                          LandUse landUse, Stability stability) {
    // ISC3 extrapolates to the release height but never below 10 m, and floors the result
    // at 1.0 m/s so the 1/u dilution of the plume equation stays bounded.
    const double z_m = std::max(releaseHeight_m, 10.0);
    const double zRef_m = refHeight_m > 0 ? refHeight_m : 10.0;
    const double p = windProfileExponent(landUse, stability);
    const double u_ms = refSpeed_ms * std::pow(z_m / zRef_m, p);
    return std::max(u_ms, 1.0);
}

} // namespace parktwin::dispersion
