#pragma once
// Wind speed at release height from the anemometer wind by the ISC power law
// (EPA ISC3 user's guide, volume II, EPA-454/B-95-003b, section 1.1.3).

#include "engine/core/met.h"
#include "engine/dispersion/plume.h"

namespace parktwin::dispersion {

/// The wind-profile exponent p of u(z) = u_ref (z / z_ref)^p, dimensionless (ISC3 vol II
/// section 1.1.3: rural .07 .07 .10 .15 .35 .55, urban .15 .15 .20 .25 .30 .30 for A-F).
double windProfileExponent(LandUse landUse, Stability stability);

/// Wind speed in m/s at `releaseHeight_m` from `refSpeed_ms` measured at `refHeight_m`.
/// Releases below 10 m use 10 m, and the result is floored at 1.0 m/s, as ISC3 does.
double stackHeightWind_ms(double refSpeed_ms, double refHeight_m, double releaseHeight_m,
                          LandUse landUse, Stability stability);

} // namespace parktwin::dispersion
