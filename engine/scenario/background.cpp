#include "engine/scenario/background.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <map>

#include <spdlog/fmt/fmt.h>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/met/csv_fields.h"

namespace parktwin::scenario {
namespace {

namespace csv = met::csv;

int columnIndex(const std::vector<std::string_view>& header, const std::string& name,
                const std::string& file) {
    for (size_t k = 0; k < header.size(); ++k)
        if (header[k] == name)
            return static_cast<int>(k);
    throw InputError(file, "line 1", "no column \"" + name + "\" in the header");
}

bool missingText(std::string_view f) {
    return f.empty() || f == "NA" || f == "NaN" || f == "nan" || f == "-";
}

} // namespace

BackgroundSeries loadBackground(const Scenario& scenario) {
    using namespace std::chrono;
    const BackgroundSpec& spec = scenario.background;
    BackgroundSeries out;
    if (!spec.present())
        return out;
    const int hourCount = scenario.hourCount();
    if (spec.constant_ugm3) {
        out.hourly_ugm3.assign(hourCount, *spec.constant_ugm3);
        out.source = fmt::format("constant {:g} ug/m3", *spec.constant_ugm3);
        return out;
    }

    const std::string file = spec.file.string();
    std::ifstream in(spec.file);
    if (!in)
        throw InputError(file, "", "cannot open the background file");
    std::string line;
    if (!std::getline(in, line))
        throw InputError(file, "line 1", "the file is empty; expected a header row");
    std::vector<std::string_view> fields;
    csv::split(line, fields);
    std::vector<std::string> header(fields.begin(), fields.end());
    std::vector<std::string_view> headerView(header.begin(), header.end());
    const int valueCol = columnIndex(headerView, spec.column, file);
    int timeCol = -1, yearCol = -1, monthCol = -1, dayCol = -1, hourCol = -1;
    if (!spec.timeColumn.empty()) {
        timeCol = columnIndex(headerView, spec.timeColumn, file);
    } else {
        yearCol = columnIndex(headerView, "year", file);
        monthCol = columnIndex(headerView, "month", file);
        dayCol = columnIndex(headerView, "day", file);
        hourCol = columnIndex(headerView, "hour", file);
    }

    out.hourly_ugm3.assign(hourCount, std::numeric_limits<double>::quiet_NaN());
    std::map<UtcTime, int> seenAt; // hour -> line, for duplicates
    int lineNo = 1;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.empty() || line == "\r")
            continue;
        csv::split(line, fields);
        const std::string where = "line " + std::to_string(lineNo);
        if (static_cast<int>(fields.size()) != static_cast<int>(header.size()))
            throw InputError(file, where,
                             fmt::format("expected {} fields, found {}", header.size(),
                                         fields.size()));
        UtcTime t;
        if (timeCol >= 0) {
            try {
                t = parseIsoTime(std::string(fields[timeCol]), spec.utcOffset);
            } catch (const Error& e) {
                throw InputError(file, where, e.what());
            }
        } else {
            const auto y = csv::toInt(fields[yearCol]), mo = csv::toInt(fields[monthCol]),
                       d = csv::toInt(fields[dayCol]), h = csv::toInt(fields[hourCol]);
            if (!y || !mo || !d || !h || *mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h < 0 ||
                *h > 23)
                throw InputError(file, where, "expected a date in year, month, day, hour");
            t = fromLocal(*y, *mo, *d, *h, 0, 0, spec.utcOffset);
        }
        if (t.time_since_epoch() % hours{1} != seconds{0})
            throw InputError(file, where, "the stamp is not on the hour");
        if (auto [it, fresh] = seenAt.emplace(t, lineNo); !fresh)
            throw InputError(file, where,
                             "the hour starting " + formatIsoTime(t, spec.utcOffset) +
                                 " already appears on line " + std::to_string(it->second));
        if (t < scenario.start || t >= scenario.end)
            continue;
        const auto index =
            static_cast<size_t>(duration_cast<hours>(t - scenario.start).count());
        const std::string_view text = fields[valueCol];
        if (missingText(text))
            continue;
        const auto value = csv::toDouble(text);
        if (!value)
            throw InputError(file, where,
                             "expected a number in column \"" + spec.column + "\", found \"" +
                                 std::string(text) + "\"");
        if (std::isfinite(*value) && *value >= 0)
            out.hourly_ugm3[index] = *value;
    }
    for (double v : out.hourly_ugm3)
        out.missingHours += std::isnan(v);
    if (out.missingHours == hourCount)
        throw InputError(file, "", "no background value for any hour of the scenario's period");
    out.source = file + ", column " + spec.column;
    if (out.missingHours > 0)
        log::get("scenario").warn("background: {} of {} hours have no usable value in {}; "
                                  "their totals are missing and count against completeness",
                                  out.missingHours, hourCount, file);
    log::get("scenario").info("background from {}: {} hours", out.source,
                              hourCount - out.missingHours);
    return out;
}

} // namespace parktwin::scenario
