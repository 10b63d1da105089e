#pragma once
// Pasquill-Gifford stability class without cloud observations, by Turner's (1964) method as
// tabulated in EPA's Meteorological Monitoring Guidance for Regulatory Modeling Applications
// (EPA-454/R-99-005, 2000), section 6.4 (tables 6-4 and 6-5).

#include "engine/core/met.h"
#include "engine/core/time.h"

namespace parktwin::met {

/// Insolation class from the solar elevation in degrees (EPA-454/R-99-005 table 6-5):
/// 4 (strong) above 60°, 3 (moderate) above 35°, 2 (slight) above 15°, 1 (weak) otherwise.
int insolationClass(double solarElevation_deg);

/// Turner's net radiation index, -2 to 4. With no cloud observations the daytime index is
/// the insolation class and night (sun at or below the horizon) takes the clear-sky value
/// -2 (cloud cover <= 4/10); overcast nights (-1) and overcast low-ceiling hours (0) cannot be
/// recognised, so nights come out more stable than an observer would report under cloud.
int netRadiationIndex(double solarElevation_deg);

/// Pasquill-Gifford class from the net radiation index and the 10 m wind speed in m/s
/// (EPA-454/R-99-005 table 6-4); Turner's class G (7) is merged into F as ISC3 does.
Stability turnerStability(int netRadiationIndex, double windSpeed_ms);

/// Turner's class for the hour whose middle is `hourMiddle` (UTC) at a site, from the sun and
/// the 10 m wind speed: Turner (1964) counts as night the time from 1 h before sunset to 1 h
/// after sunrise, so the hour is day only when the sun is up an hour before and after its
/// middle; a day hour takes the insolation class of the sun's elevation at the middle.
Stability turnerStabilityAt(UtcTime hourMiddle, double latitude_deg, double longitude_deg,
                            double windSpeed_ms);

/// The method text recorded in MetSeries::stabilityMethod.
const char* turnerMethodText();

} // namespace parktwin::met
