#include "engine/met/station_csv.h"

#include <array>
#include <chrono>
#include <fstream>
#include <limits>
#include <sstream>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/met/csv_fields.h"
#include "engine/met/mixing_height.h"
#include "engine/met/solar.h"
#include "engine/met/stability.h"

namespace parktwin::met {
namespace {

constexpr double kCelsiusToKelvin = 273.15;

std::string readWholeFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw InputError(file.string(), "", "cannot open the file for reading");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool isNa(std::string_view f) { return f == "NA" || f.empty(); }

std::string quoted(std::string_view f) { return "'" + std::string(f) + "'"; }

} // namespace

std::optional<double> compassToDegrees(std::string_view name) {
    static constexpr std::array<std::string_view, 16> points = {
        "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
        "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"};
    for (std::size_t i = 0; i < points.size(); ++i)
        if (name == points[i])
            return 22.5 * double(i);
    return std::nullopt;
}

MetSeries readStationCsv(const std::filesystem::path& file, const StationInfo& info,
                         UtcTime from, UtcTime to, StationReadStats* stats) {
    const std::string fileName = file.string();
    const std::string text = readWholeFile(file);

    MetSeries series;
    series.source = info.name.empty() ? fileName : info.name + " (" + fileName + ")";
    series.stabilityMethod = turnerMethodText();
    series.mixingMethod = screen3MixingMethodText();
    StationReadStats counts;

    std::vector<std::string_view> fields;
    std::string_view rest(text);
    int lineNo = 0;
    auto nextLine = [&]() -> std::optional<std::string_view> {
        if (rest.empty())
            return std::nullopt;
        const std::size_t nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
        ++lineNo;
        return line;
    };

    // Header: find the columns by name.
    const auto header = nextLine();
    if (!header)
        throw InputError(fileName, "line 1", "expected a header line, found an empty file");
    csv::split(*header, fields);
    const std::size_t columnCount = fields.size();
    auto column = [&](std::string_view name) {
        for (std::size_t i = 0; i < fields.size(); ++i)
            if (fields[i] == name)
                return i;
        throw InputError(fileName, "line 1",
                         "expected a column named '" + std::string(name) +
                             "' in the header (Beijing PRSA format)");
    };
    const std::size_t cYear = column("year"), cMonth = column("month"), cDay = column("day"),
                      cHour = column("hour"), cTemp = column("TEMP"), cDir = column("wd"),
                      cSpeed = column("WSPM");

    while (const auto line = nextLine()) {
        if (csv::unquote(*line).empty())
            continue;
        csv::split(*line, fields);
        const std::string where = "line " + std::to_string(lineNo);
        if (fields.size() != columnCount)
            throw InputError(fileName, where,
                             "expected " + std::to_string(columnCount) + " fields, found " +
                                 std::to_string(fields.size()));

        const auto year = csv::toInt(fields[cYear]), month = csv::toInt(fields[cMonth]),
                   day = csv::toInt(fields[cDay]), hour = csv::toInt(fields[cHour]);
        if (!year || !month || !day || !hour || *hour < 0 || *hour > 23)
            throw InputError(fileName, where,
                             "expected whole-number year, month, day and hour 0-23, found " +
                                 quoted(fields[cYear]) + ", " + quoted(fields[cMonth]) + ", " +
                                 quoted(fields[cDay]) + ", " + quoted(fields[cHour]));
        UtcTime start;
        try {
            start = fromLocal(*year, *month, *day, *hour, 0, 0, info.utcOffset);
        } catch (const Error& e) {
            throw InputError(fileName, where, e.what());
        }
        if (start < from || start >= to)
            continue;

        MetHour h;
        h.start = start;
        h.anemometerHeight_m = info.anemometerHeight_m;

        bool missing = false;
        const std::string_view tempText = fields[cTemp];
        if (isNa(tempText)) {
            h.temperature_K = std::numeric_limits<double>::quiet_NaN();
            ++counts.missingTemperatureHours;
            missing = true;
        } else if (const auto t = csv::toDouble(tempText)) {
            h.temperature_K = *t + kCelsiusToKelvin;
        } else {
            throw InputError(fileName, where,
                             "expected TEMP in °C or NA, found " + quoted(tempText));
        }

        const std::string_view speedText = fields[cSpeed];
        const std::string_view dirText = fields[cDir];
        std::optional<double> speed;
        if (!isNa(speedText)) {
            speed = csv::toDouble(speedText);
            if (!speed || *speed < 0)
                throw InputError(fileName, where,
                                 "expected WSPM as a speed >= 0 m/s or NA, found " +
                                     quoted(speedText));
        }
        std::optional<double> direction;
        if (!isNa(dirText)) {
            direction = compassToDegrees(dirText);
            if (!direction)
                throw InputError(fileName, where,
                                 "expected wd as a 16-point compass name (N, NNE, ... NNW) or "
                                 "NA, found " + quoted(dirText));
        }

        if (!speed || (*speed > 0 && !direction)) {
            ++counts.missingWindHours;
            missing = true;
        } else if (*speed == 0) {
            ++counts.calmHours;
            h.calm = true;
        } else {
            h.windSpeed_ms = *speed;
            h.windFromDir_deg = *direction;
        }
        if (missing) {
            h.calm = true;
            h.windSpeed_ms = 0;
        }

        // Stability and mixing height from the sun at the middle of the hour and the wind.
        const double elevation_deg = solarElevation_deg(start + std::chrono::minutes(30),
                                                        info.latitude_deg, info.longitude_deg);
        h.stability = turnerStability(netRadiationIndex(elevation_deg), h.windSpeed_ms);
        h.mixingHeight_m = screen3MixingHeight_m(h.stability, h.windSpeed_ms);
        h.mixingHeightIsEstimate = true;
        series.hours.push_back(h);
    }

    counts.hoursKept = int(series.hours.size());
    auto& log = log::get("met");
    log.info("read {} hours from {}: {} calm, {} with missing wind and {} with missing "
             "temperature marked calm",
             counts.hoursKept, fileName, counts.calmHours, counts.missingWindHours,
             counts.missingTemperatureHours);
    if (stats)
        *stats = counts;
    return series;
}

} // namespace parktwin::met
