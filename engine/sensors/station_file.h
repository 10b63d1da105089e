#pragma once
// Monitoring-station transmission files of Vietnam's automatic-monitoring rules (Thông tư
// 10/2021/TT-BTNMT, Điều 39; see ../shared/data/regulation/README.md): one UTF-8 text file per
// 5-minute transmission, one line per parameter,
//   symbol TAB value TAB unit TAB time (YYYYMMDDhhmmss, local) TAB status (00, 01, 02)
// with CRLF line ends. This is the one place the format is read.

#include "engine/core/time.h"
#include "engine/sensors/validation.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parktwin::sensors {

/// Averaging period of a station-file value: the rules have stations send 5-minute means.
inline constexpr int kStationFilePeriod_s = 300;

/// Station id and file time from a file name `<province>_<facility>_<station>_<YYYYMMDDhhmmss>.txt`
/// or the short `<station>_<YYYYMMDDhhmmss>.txt`: the station id is everything before the
/// last underscore. Nullopt when the name has no such time stamp.
struct StationFileName {
    std::string station;
    UtcTime fileTime;
};
std::optional<StationFileName> parseStationFileName(const std::string& name, UtcOffset offset);

/// Parses the text of a station file from `station`, whose clock is local at `offset`. A
/// value of NaN or -999 is returned as read (validation refuses it); a line that is not in
/// the format (wrong field count, a time that is not YYYYMMDDhhmmss, a status other than
/// 00/01/02, a value that is not a number), text that is not UTF-8, an empty file or one
/// whose last line has no line end (a transmission cut short) throws InputError naming
/// `fileName` and the line. hhmmss = 240000 is the end of the day, the next day's 00:00.
std::vector<RawReading> parseStationFile(std::string_view text, const std::string& fileName,
                                         const std::string& station, UtcOffset offset);

/// Reads and parses a station file, taking the station id from its name.
std::vector<RawReading> readStationFile(const std::filesystem::path& file, UtcOffset offset);

} // namespace parktwin::sensors
