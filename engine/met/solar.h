#pragma once
// Position of the sun for meteorological preprocessing.

#include "engine/core/time.h"

namespace parktwin::met {

/// Solar elevation angle above the horizon in degrees (negative below it) at UTC time `t`
/// for a site at `latitude_deg` (north positive) and `longitude_deg` (east positive).
/// Low-accuracy solar coordinates of Meeus (Astronomical Algorithms, 1991, chapter 24/25),
/// the equations behind NOAA's Solar Calculator; about 0.01° in declination over
/// 1950-2050. No refraction correction.
double solarElevation_deg(UtcTime t, double latitude_deg, double longitude_deg);

} // namespace parktwin::met
