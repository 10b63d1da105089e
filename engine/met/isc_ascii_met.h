#pragma once
// Hourly meteorology in the ISC ASCII format written by EPA's PCRAMMET and BINTOASC: a header
// of station ids and years, then one record per hour in Fortran format
// (4I2, 2F9.4, F6.1, I2, 2F7.1): year, month, day, hour ending (1-24, local standard time),
// flow vector (degrees the wind blows toward), wind speed (m/s at the anemometer), ambient
// temperature (K), Pasquill class (1-6, 7 for G), rural and urban mixing heights (m).

#include <filesystem>
#include <vector>

#include "engine/core/met.h"
#include "engine/core/time.h"

namespace parktwin::met {

/// Which of the file's two mixing heights the hours carry.
enum class IscMixing { Rural, Urban };

/// Reads an ISC ASCII met file. `zone` is the local standard time of its stamps (ISC files
/// carry none); `anemometerHeight_m` comes from the run's deck (ISC files carry none either).
/// An hour of zero wind speed is calm, as in ISC3; class 7 (G) is taken as F, as ISC3 does.
/// Rows may come out of order; a repeated hour, a field that is not a number, or a value out
/// of range is an InputError naming the file, the line and the field. When `lines` is given it
/// receives, for each returned hour, the file line it came from.
MetSeries readIscAsciiMet(const std::filesystem::path& file, UtcOffset zone,
                          double anemometerHeight_m, IscMixing mixing,
                          std::vector<int>* lines = nullptr);

} // namespace parktwin::met
