#include "engine/met/station_csv.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <unordered_map>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/met/csv_fields.h"
#include "engine/met/mixing_height.h"
#include "engine/met/solar.h"
#include "engine/met/stability.h"

namespace parktwin::met {
namespace {

constexpr double kCelsiusToKelvin = 273.15;

// Bounds of a physically possible reading; anything outside is a logger fault, not weather.
// Temperature: the WMO Weather and Climate Extremes Archive lists -89.2 °C (Vostok,
// Antarctica, 21 July 1983) and 56.7 °C (Death Valley, USA, 10 July 1913) as the lowest and
// highest surface air temperatures measured; the bounds leave a small margin around them.
constexpr double kMinTemperature_C = -90.0;
constexpr double kMaxTemperature_C = 60.0;
// Wind: the strongest surface gust the same archive lists is 113.2 m/s (Barrow Island,
// Australia, 10 April 1996, Tropical Cyclone Olivia). WSPM is a mean speed, and means over
// land stay well below the gusts within them (gust factors of about 1.5, Harper, Kepert and
// Ginger 2010, WMO/TD-No. 1555), so a mean above 113.2 / 1.5 = 75 m/s has never been seen.
constexpr double kMaxWindSpeed_ms = 75.0;

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

    std::unordered_map<long long, int> firstLineOf; // hour start (s since epoch) -> line
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
        // A second row for the same hour would silently replace the first: refuse it.
        const auto [first, isNew] = firstLineOf.try_emplace(start.time_since_epoch().count(),
                                                             lineNo);
        if (!isNew)
            throw InputError(fileName, where,
                             "expected each hour once, found " +
                                 formatIsoTime(start, info.utcOffset) +
                                 " again (first on line " + std::to_string(first->second) +
                                 ")");
        if (start < from || start >= to)
            continue;

        MetHour h;
        h.start = start;
        h.anemometerHeight_m = info.anemometerHeight_m;

        bool missing = false;
        const std::string_view tempText = fields[cTemp];
        std::optional<double> temp_C;
        if (!isNa(tempText)) {
            temp_C = csv::toDouble(tempText);
            if (!temp_C)
                throw InputError(fileName, where,
                                 "expected TEMP in °C or NA, found " + quoted(tempText));
        }
        // NaN and inf parse as numbers but carry no reading: they count as NA.
        if (!temp_C || !std::isfinite(*temp_C)) {
            ++counts.missingTemperatureHours;
            missing = true;
        } else if (*temp_C < kMinTemperature_C || *temp_C > kMaxTemperature_C) {
            ++counts.impossibleTemperatureHours;
            missing = true;
        } else {
            h.temperature_K = *temp_C + kCelsiusToKelvin;
        }
        if (missing)
            h.temperature_K = std::numeric_limits<double>::quiet_NaN();

        const std::string_view speedText = fields[cSpeed];
        const std::string_view dirText = fields[cDir];
        std::optional<double> speed;
        if (!isNa(speedText)) {
            speed = csv::toDouble(speedText);
            if (!speed)
                throw InputError(fileName, where,
                                 "expected WSPM as a speed in m/s or NA, found " +
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

        if (!speed || !std::isfinite(*speed)) {
            ++counts.missingWindHours;
            missing = true;
        } else if (*speed < 0 || *speed > kMaxWindSpeed_ms) {
            ++counts.impossibleWindHours;
            missing = true;
        } else if (*speed > 0 && !direction) {
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
        // Turner (1964) counts as night the time from 1 h before sunset to 1 h after sunrise:
        // the middle of the hour is day only if the sun is up an hour before and after it.
        const UtcTime middle = start + std::chrono::minutes(30);
        auto sunAt = [&](UtcTime t) {
            return solarElevation_deg(t, info.latitude_deg, info.longitude_deg);
        };
        const double elevation_deg = sunAt(middle);
        const bool daytime = elevation_deg > 0.0 &&
                             sunAt(middle - std::chrono::hours(1)) > 0.0 &&
                             sunAt(middle + std::chrono::hours(1)) > 0.0;
        const int index = daytime ? netRadiationIndex(elevation_deg) : -2;
        h.stability = turnerStability(index, h.windSpeed_ms);
        h.mixingHeight_m = screen3MixingHeight_m(h.stability, h.windSpeed_ms);
        h.mixingHeightIsEstimate = true;
        series.hours.push_back(h);
    }

    // Rows may come in any order; models walk the hours in time.
    std::stable_sort(series.hours.begin(), series.hours.end(),
                     [](const MetHour& a, const MetHour& b) { return a.start < b.start; });
    counts.hoursKept = int(series.hours.size());

    // Hours the period asks for that no row gave. Rows are whole hours, so the period holds
    // ceil((to - from) / 1 h) of them.
    const auto period_s = (to - from).count();
    const long long requested = period_s > 0 ? (period_s + 3599) / 3600 : 0;
    counts.absentHours = int(std::clamp<long long>(requested - counts.hoursKept, 0,
                                                   std::numeric_limits<int>::max()));

    auto& log = log::get("met");
    const int dropped = counts.missingWindHours + counts.missingTemperatureHours +
                        counts.impossibleWindHours + counts.impossibleTemperatureHours;
    if (dropped > 0)
        log.warn("read {} hours from {}: {} calm; marked calm for unusable values: {} with "
                 "missing wind, {} with missing temperature, {} with impossible wind "
                 "(< 0 or > {} m/s), {} with impossible temperature (outside {}..{} °C)",
                 counts.hoursKept, fileName, counts.calmHours, counts.missingWindHours,
                 counts.missingTemperatureHours, counts.impossibleWindHours, kMaxWindSpeed_ms,
                 counts.impossibleTemperatureHours, kMinTemperature_C, kMaxTemperature_C);
    else
        log.info("read {} hours from {}: {} calm", counts.hoursKept, fileName,
                 counts.calmHours);
    if (counts.absentHours > 0)
        log.warn("{} of the {} requested hours from {} to {} are absent from {}",
                 counts.absentHours, requested, formatIsoTime(from, UtcOffset{}),
                 formatIsoTime(to, UtcOffset{}), fileName);
    if (stats)
        *stats = counts;
    return series;
}

} // namespace parktwin::met
