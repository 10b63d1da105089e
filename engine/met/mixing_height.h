#pragma once
// Mixing height without upper-air soundings.

#include "engine/core/met.h"

namespace parktwin::met {

/// SCREEN3's regulatory default mixing height in metres (SCREEN3 model user's guide,
/// EPA-454/B-95-004): 320 m per m/s of 10 m wind for classes A-D, and 10,000 m
/// (no lid) for the stable classes E and F, as ISC3 applies no lid in stable hours.
double screen3MixingHeight_m(Stability stability, double windSpeed10_ms);

/// The method text recorded in MetSeries::mixingMethod.
const char* screen3MixingMethodText();

} // namespace parktwin::met
