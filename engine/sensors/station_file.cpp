#include "engine/sensors/station_file.h"

#include "engine/core/error.h"
#include "engine/sensors/text_input.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace parktwin::sensors {
namespace {

constexpr int kFieldCount = 5;

std::string_view trim(std::string_view f) {
    while (!f.empty() && (f.front() == ' ' || f.front() == '\r'))
        f.remove_prefix(1);
    while (!f.empty() && (f.back() == ' ' || f.back() == '\r'))
        f.remove_suffix(1);
    return f;
}

std::string quoted(std::string_view f) {
    return "'" + std::string(f) + "'";
}

bool allDigits(std::string_view s) {
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return !s.empty();
}

int digitsAt(std::string_view s, std::size_t pos, std::size_t n) {
    int v = 0;
    for (std::size_t k = pos; k < pos + n; ++k)
        v = v * 10 + (s[k] - '0');
    return v;
}

/// YYYYMMDDhhmmss local at `offset`; 240000 is the end of the day. Nullopt when malformed.
std::optional<UtcTime> parseStamp(std::string_view s, UtcOffset offset) {
    if (s.size() != 14 || !allDigits(s))
        return std::nullopt;
    const int year = digitsAt(s, 0, 4), month = digitsAt(s, 4, 2), day = digitsAt(s, 6, 2);
    const int hour = digitsAt(s, 8, 2), minute = digitsAt(s, 10, 2), second = digitsAt(s, 12, 2);
    if (hour > 24 || minute > 59 || second > 59 || (hour == 24 && (minute || second)))
        return std::nullopt;
    try {
        return fromLocal(year, month, day, hour, minute, second, offset);
    } catch (const Error&) {
        return std::nullopt;
    }
}

/// A decimal number, with a point or (as Vietnamese locales write it) a comma; "NaN" and
/// "inf" are numbers here and refused later by validation. Nullopt for an empty field.
std::optional<double> parseValue(std::string_view f, bool& malformed) {
    malformed = false;
    if (f.empty())
        return std::nullopt;
    std::string text(f);
    if (const auto comma = text.find(','); comma != std::string::npos)
        text[comma] = '.';
    if (!text.empty() && text.front() == '+')
        text.erase(0, 1);
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) {
        malformed = true;
        return std::nullopt;
    }
    return v;
}

} // namespace

std::optional<StationFileName> parseStationFileName(const std::string& name, UtcOffset offset) {
    std::string stem = name;
    if (const auto dot = stem.rfind('.'); dot != std::string::npos)
        stem.erase(dot);
    const auto underscore = stem.rfind('_');
    if (underscore == std::string::npos || underscore == 0)
        return std::nullopt;
    const auto stamp = parseStamp(std::string_view(stem).substr(underscore + 1), offset);
    if (!stamp)
        return std::nullopt;
    return StationFileName{stem.substr(0, underscore), *stamp};
}

std::vector<RawReading> parseStationFile(std::string_view text, const std::string& fileName,
                                         const std::string& station, UtcOffset offset) {
    text = checkUtf8(text, fileName);
    std::vector<RawReading> out;
    int lineNo = 0;
    std::vector<std::string_view> fields;
    while (!text.empty()) {
        ++lineNo;
        const std::size_t nl = text.find('\n');
        const std::string where = "line " + std::to_string(lineNo);
        if (nl == std::string_view::npos)
            throw InputError(fileName, where,
                             "the file ends without a line end after " + quoted(text) +
                                 ": a transmission cut short? (every line ends in CRLF)");
        const std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl + 1);
        if (trim(line).empty())
            continue;

        fields.clear();
        for (std::size_t start = 0;;) {
            const std::size_t tab = line.find('\t', start);
            fields.push_back(trim(line.substr(start, tab - start)));
            if (tab == std::string_view::npos)
                break;
            start = tab + 1;
        }
        if (fields.size() != kFieldCount)
            throw InputError(fileName, where,
                             "expected 5 tab-separated fields (symbol, value, unit, time "
                             "YYYYMMDDhhmmss, status), found " +
                                 std::to_string(fields.size()));

        RawReading r;
        r.station = station;
        r.parameter = std::string(fields[0]);
        if (r.parameter.empty())
            throw InputError(fileName, where, "expected a parameter symbol, found an empty field");
        bool malformed = false;
        r.value = parseValue(fields[1], malformed);
        if (malformed)
            throw InputError(fileName, where,
                             "expected the value of " + r.parameter + " as a number, found " +
                                 quoted(fields[1]));
        r.unit = std::string(fields[2]);
        const auto time = parseStamp(fields[3], offset);
        if (!time)
            throw InputError(fileName, where,
                             "expected the time as YYYYMMDDhhmmss (local), found " +
                                 quoted(fields[3]));
        r.time = *time;
        const std::string_view status = fields[4];
        if (status == "00")
            r.status = ReadingStatus::Measuring;
        else if (status == "01")
            r.status = ReadingStatus::Calibrating;
        else if (status == "02")
            r.status = ReadingStatus::DeviceFault;
        else
            throw InputError(fileName, where,
                             "expected status 00 (measuring), 01 (calibrating) or 02 (device "
                             "fault), found " +
                                 quoted(status));
        r.period_s = kStationFilePeriod_s;
        out.push_back(std::move(r));
    }
    if (out.empty())
        throw InputError(fileName, "",
                         "the file holds no parameter lines; expected one line per parameter");
    return out;
}

std::vector<RawReading> readStationFile(const std::filesystem::path& file, UtcOffset offset) {
    const std::string name = file.filename().string();
    const auto parsed = parseStationFileName(name, offset);
    if (!parsed)
        throw InputError(file.string(), "",
                         "expected a file name <station>_<YYYYMMDDhhmmss>.txt (e.g. "
                         "TNG_GTTN_KK01_20240115103000.txt)");
    return parseStationFile(readTextFile(file), file.string(), parsed->station, offset);
}

} // namespace parktwin::sensors
