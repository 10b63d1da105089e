#include "engine/met/parktwin_met_csv.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/met/csv_fields.h"

namespace parktwin::met {

MetSeries readParkTwinMetCsv(const std::filesystem::path& file, UtcOffset defaultOffset) {
    const std::string fileName = file.string();
    std::ifstream in(file);
    if (!in)
        throw InputError(fileName, "", "cannot open the file for reading");

    MetSeries series;
    series.source = fileName;
    series.stabilityMethod = "given in the file";
    series.mixingMethod = "given in the file";

    std::vector<std::string_view> fields;
    std::vector<std::string> headerNames;
    std::string line;
    int lineNo = 0;
    constexpr std::size_t kNone = std::size_t(-1);
    std::size_t cTime = kNone, cSpeed = kNone, cDir = kNone, cTemp = kNone, cStab = kNone,
                cMix = kNone, cAnem = kNone;
    int calmHours = 0;
    std::unordered_map<long long, int> firstLineOf; // hour start (s since epoch) -> line

    while (std::getline(in, line)) {
        ++lineNo;
        const std::string_view trimmed = csv::unquote(line);
        if (trimmed.empty() || trimmed.front() == '#')
            continue;
        csv::split(line, fields);
        const std::string where = "line " + std::to_string(lineNo);

        if (headerNames.empty()) {
            for (auto f : fields)
                headerNames.emplace_back(f);
            auto find = [&](const char* name, bool required) {
                for (std::size_t i = 0; i < headerNames.size(); ++i)
                    if (headerNames[i] == name)
                        return i;
                if (required)
                    throw InputError(fileName, where,
                                     std::string("expected a column named '") + name +
                                         "' in the header");
                return kNone;
            };
            cTime = find("time", true);
            cSpeed = find("wind_speed_ms", true);
            cDir = find("wind_from_deg", true);
            cTemp = find("temperature_K", true);
            cStab = find("stability", true);
            cMix = find("mixing_height_m", true);
            cAnem = find("anemometer_height_m", false);
            continue;
        }

        if (fields.size() != headerNames.size())
            throw InputError(fileName, where,
                             "expected " + std::to_string(headerNames.size()) +
                                 " fields, found " + std::to_string(fields.size()));
        auto number = [&](std::size_t c, const char* expected, double lo, double hi) {
            const auto v = csv::toDouble(fields[c]);
            // from_chars reads "nan" and "inf" as numbers; NaN would pass the range test.
            if (!v || !std::isfinite(*v) || *v < lo || *v > hi)
                throw InputError(fileName, where + ", column " + headerNames[c],
                                 std::string("expected ") + expected + ", found '" +
                                     std::string(fields[c]) + "'");
            return *v;
        };

        MetHour h;
        try {
            h.start = parseIsoTime(std::string(fields[cTime]), defaultOffset);
        } catch (const Error& e) {
            throw InputError(fileName, where + ", column time", e.what());
        }
        // A second row for the same hour would silently replace the first: refuse it.
        const auto [first, isNew] =
            firstLineOf.try_emplace(h.start.time_since_epoch().count(), lineNo);
        if (!isNew)
            throw InputError(fileName, where + ", column time",
                             "expected each hour once, found " +
                                 formatIsoTime(h.start, UtcOffset{}) + " again (first on line " +
                                 std::to_string(first->second) + ")");
        h.windSpeed_ms = number(cSpeed, "a wind speed in m/s, 0 to 100", 0, 100);
        h.windFromDir_deg = number(cDir, "a direction in degrees, 0 to 360", 0, 360);
        h.temperature_K = number(cTemp, "a temperature in kelvin, 150 to 350", 150, 350);
        h.mixingHeight_m = number(cMix, "a mixing height in metres, > 0", 1e-9, 1e6);
        if (cAnem != kNone)
            h.anemometerHeight_m = number(cAnem, "an anemometer height in metres, > 0", 1e-9,
                                          1000);
        const std::string_view st = fields[cStab];
        if (st.size() != 1 || st[0] < 'A' || st[0] > 'F')
            throw InputError(fileName, where + ", column stability",
                             "expected a Pasquill-Gifford class letter A-F, found '" +
                                 std::string(st) + "'");
        h.stability = Stability(st[0] - 'A' + 1);
        h.calm = h.windSpeed_ms == 0.0;
        calmHours += h.calm ? 1 : 0;
        series.hours.push_back(h);
    }
    if (headerNames.empty())
        throw InputError(fileName, "", "expected a header line, found no lines");
    // Rows may come in any order; models walk the hours in time.
    std::stable_sort(series.hours.begin(), series.hours.end(),
                     [](const MetHour& a, const MetHour& b) { return a.start < b.start; });

    log::get("met").info("read {} hours from {} ({} calm)", series.hours.size(), fileName,
                         calmHours);
    return series;
}

} // namespace parktwin::met
