#pragma once
// Recorded hourly air-quality history in CSV, imported as readings: the AirNow files of the
// US Embassy in Hà Nội and the Beijing PRSA multi-site files (../shared/data/sensors/).
// This is the one place these two layouts are read as sensor readings; the header decides
// which one a file is.

#include "engine/core/time.h"
#include "engine/sensors/validation.h"

#include <filesystem>
#include <string>
#include <vector>

namespace parktwin::sensors {

enum class CsvLayout {
    AirNow,      ///< Site, Parameter, Date (LT), ..., Raw Conc., Conc. Unit, Duration, QC Name
    BeijingPrsa, ///< No, year, month, day, hour, PM2.5, ..., TEMP, ..., wd, WSPM, station
};

/// How a CSV source is read.
struct CsvSource {
    UtcOffset utcOffset{420}; ///< zone of the local stamps (Hà Nội +07:00, Beijing +08:00)
    std::string station;      ///< overrides the station named in the file when not empty
};

struct CsvHistory {
    CsvLayout layout = CsvLayout::AirNow;
    std::vector<RawReading> readings; ///< in file order; NA values kept as missing
};

/// Reads a CSV history file. Every reading is an hourly mean stamped with the end of its hour:
/// - AirNow: `Date (LT)` is already hour-ending ("2017-01-01 12:00 AM" closes the last hour of
///   2016); a 24-hour clock with 24:00 is understood too. `Raw Conc.` in `Conc. Unit` is the
///   value; QC "Invalid" is refused by validation, "Suspect" stored flagged, -999 refused.
/// - Beijing PRSA: year/month/day/hour give the start of the hour (as the met reader takes
///   them), so the reading time is one hour later. PM2.5, PM10, SO2, NO2, CO, O3 (µg/m³)
///   become readings, and so do the met columns: TEMP (°C), WSPM as "WS" (m/s) and wd as
///   "WD" (degrees the wind blows from, from the 16-point compass name).
/// Throws InputError naming the file and line for an unknown header, a wrong field count, a
/// malformed date, value or compass name, or text that is not UTF-8.
CsvHistory readCsvHistory(const std::filesystem::path& file, const CsvSource& source);

} // namespace parktwin::sensors
