#pragma once
// Hourly surface meteorology from monitoring-station CSV files in the Beijing PRSA multi-site
// format (UCI "Beijing Multi-Site Air-Quality Data", Zhang et al. 2017).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/met.h"
#include "engine/core/time.h"
#include "engine/dispersion/plume.h"

namespace parktwin::met {

/// Where a station stands and how its wind was measured.
struct StationInfo {
    std::string name;
    double latitude_deg = 0;     ///< north positive
    double longitude_deg = 0;    ///< east positive
    UtcOffset utcOffset{};       ///< zone of the file's local time stamps
    double anemometerHeight_m = 10;
    dispersion::LandUse landUse = dispersion::LandUse::Rural;
};

/// What a station read found, besides the hours themselves.
struct StationReadStats {
    int hoursKept = 0;            ///< rows inside the requested period
    int calmHours = 0;            ///< measured wind speed 0
    int missingWindHours = 0;     ///< wind speed NA or not finite, or direction NA with wind
    int missingTemperatureHours = 0; ///< temperature NA or not finite (NaN, inf)
    int impossibleTemperatureHours = 0; ///< temperature outside -90..+60 °C
    int impossibleWindHours = 0;  ///< wind speed negative or above 75 m/s
    int absentHours = 0;          ///< hours of the requested period with no row in the file
};

/// Wind-from direction in degrees for a 16-point compass name ("N" = 0, "NNE" = 22.5, ...,
/// "NNW" = 337.5); nullopt when the text is not one of the 16 names.
std::optional<double> compassToDegrees(std::string_view name);

/// Reads a Beijing PRSA station CSV (columns year, month, day, hour in local time at
/// info.utcOffset, TEMP °C, wd compass text, WSPM m/s; NA when missing), keeping the hours
/// that start in [from, to). The stamp is taken as the start of the hour it describes.
/// Stability is derived by Turner's method and mixing height by SCREEN3's rule (see
/// MetSeries::stabilityMethod and mixingMethod). An hour whose wind or temperature is NA,
/// not finite or physically impossible is marked calm (no concentration), its temperature
/// left NaN when unusable, and counted in `stats` by reason; a warning line gives the counts
/// when any hour was so dropped, and another the requested hours the file lacks altogether.
/// Hours come back sorted by start, whatever the order of the rows. Throws InputError naming
/// the file and line for a malformed line, a missing column or an hour given twice.
MetSeries readStationCsv(const std::filesystem::path& file, const StationInfo& info,
                         UtcTime from, UtcTime to, StationReadStats* stats = nullptr);

} // namespace parktwin::met
