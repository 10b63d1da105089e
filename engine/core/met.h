#pragma once
// The hourly meteorological record every model in the engine reads.

#include <string>
#include <vector>

#include "engine/core/time.h"

namespace parktwin {

/// Pasquill-Gifford stability class, A (very unstable) to F (moderately stable).
enum class Stability { A = 1, B, C, D, E, F };

inline char stabilityLetter(Stability s) { return static_cast<char>('A' + int(s) - 1); }

/// One hour of meteorology, valid for the hour that *starts* at `start` (UTC).
struct MetHour {
    UtcTime start;
    double windSpeed_ms = 0;       ///< at anemometerHeight_m; 0 means calm
    double windFromDir_deg = 0;    ///< direction the wind blows from, degrees clockwise from north
    double anemometerHeight_m = 10;
    double temperature_K = 293.15; ///< ambient air temperature
    Stability stability = Stability::D;
    double mixingHeight_m = 1000;  ///< top of the mixed layer above ground
    /// The mixing height is a screening estimate from the wind alone (no sounding): as in
    /// SCREEN3, models keep the lid at least 1 m above each plume instead of cutting it off.
    bool mixingHeightIsEstimate = false;
    bool calm = false;             ///< no usable wind this hour: models give zero
};

/// A series of hours with where it came from, for logs and the results store.
struct MetSeries {
    std::string source;           ///< file or station the hours were read from
    std::string stabilityMethod;  ///< how stability was derived, with its reference
    std::string mixingMethod;     ///< how mixing height was derived, with its reference
    std::vector<MetHour> hours;
};

} // namespace parktwin
