#include "engine/sensors/csv_history.h"

#include "engine/core/error.h"
#include "engine/met/csv_fields.h"
#include "engine/met/station_csv.h"
#include "engine/sensors/text_input.h"

#include <array>
#include <chrono>
#include <regex>

namespace parktwin::sensors {
namespace {

constexpr int kHour_s = 3600;

namespace csv = met::csv;

std::string quoted(std::string_view f) {
    return "'" + std::string(f) + "'";
}

/// Splits the text into lines (without CR), numbered from 1.
class Lines {
public:
    explicit Lines(std::string_view text) : rest_(text) {}
    bool next(std::string_view& line) {
        if (rest_.empty())
            return false;
        const std::size_t nl = rest_.find('\n');
        line = rest_.substr(0, nl);
        rest_ = nl == std::string_view::npos ? std::string_view{} : rest_.substr(nl + 1);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        ++number_;
        return true;
    }
    int number() const { return number_; }
    std::string where() const { return "line " + std::to_string(number_); }

private:
    std::string_view rest_;
    int number_ = 0;
};

struct Columns {
    const std::vector<std::string_view>& header;
    const std::string& file;
    std::size_t operator()(std::string_view name) const {
        for (std::size_t i = 0; i < header.size(); ++i)
            if (header[i] == name)
                return i;
        throw InputError(file, "line 1", "expected a column named " + quoted(name));
    }
    bool has(std::string_view name) const {
        for (auto h : header)
            if (h == name)
                return true;
        return false;
    }
};

/// "2016-01-01 01:00 AM" (12-hour clock) or "2016-01-01 24:00" (24-hour clock, 24:00 the end
/// of the day), local at `offset`.
std::optional<UtcTime> parseAirNowDate(std::string_view text, UtcOffset offset) {
    static const std::regex pattern(
        R"(^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])[Mm])?$)");
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_match(text.begin(), text.end(), m, pattern))
        return std::nullopt;
    auto num = [&](int k) { return m[k].matched ? std::stoi(m[k].str()) : 0; };
    int hour = num(4);
    const int minute = num(5), second = num(6);
    if (m[7].matched) {
        if (hour < 1 || hour > 12)
            return std::nullopt;
        const bool pm = m[7].str() == "P" || m[7].str() == "p";
        hour = hour % 12 + (pm ? 12 : 0); // 12 AM is midnight, 12 PM noon
    }
    if (hour > 24 || minute > 59 || second > 59 || (hour == 24 && (minute || second)))
        return std::nullopt;
    try {
        return fromLocal(num(1), num(2), num(3), hour, minute, second, offset);
    } catch (const Error&) {
        return std::nullopt;
    }
}

/// A number, or nullopt for an empty or NA field; throws for anything else.
std::optional<double> valueOrNa(std::string_view f, const std::string& file,
                                const std::string& where, std::string_view column) {
    if (f.empty() || f == "NA")
        return std::nullopt;
    if (const auto v = csv::toDouble(f))
        return v;
    throw InputError(file, where,
                     "expected " + std::string(column) + " as a number or NA, found " + quoted(f));
}

void readAirNow(Lines& lines, const Columns& col, const std::string& file, const CsvSource& source,
                std::vector<RawReading>& out) {
    const std::size_t cSite = col("Site"), cParameter = col("Parameter"), cDate = col("Date (LT)"),
                      cValue = col("Raw Conc."), cUnit = col("Conc. Unit"),
                      cDuration = col("Duration"), cQc = col("QC Name");
    const std::size_t width = col.header.size();
    std::vector<std::string_view> f;
    std::string_view line;
    while (lines.next(line)) {
        if (csv::unquote(line).empty())
            continue;
        csv::split(line, f);
        const std::string where = lines.where();
        if (f.size() != width)
            throw InputError(file, where,
                             "expected " + std::to_string(width) + " fields, found " +
                                 std::to_string(f.size()));
        if (f[cDuration] != "1 Hr")
            throw InputError(file, where,
                             "expected Duration '1 Hr', found " + quoted(f[cDuration]));

        RawReading r;
        r.station = source.station.empty() ? std::string(f[cSite]) : source.station;
        r.parameter = std::string(f[cParameter]);
        const auto time = parseAirNowDate(f[cDate], source.utcOffset);
        if (!time)
            throw InputError(file, where,
                             "expected Date (LT) as 'YYYY-MM-DD hh:mm AM' or 'YYYY-MM-DD "
                             "HH:MM', found " +
                                 quoted(f[cDate]));
        r.time = *time;
        r.value = valueOrNa(f[cValue], file, where, "Raw Conc.");
        r.unit = std::string(f[cUnit]);
        r.period_s = kHour_s;
        const std::string_view qc = f[cQc];
        if (qc == "Suspect")
            r.status = ReadingStatus::Suspect;
        else if (qc == "Invalid")
            r.sourceInvalid = true;
        else if (qc != "Valid" && qc != "Missing")
            throw InputError(file, where,
                             "expected QC Name Valid, Suspect, Invalid or Missing, found " +
                                 quoted(qc));
        out.push_back(std::move(r));
    }
}

void readPrsa(Lines& lines, const Columns& col, const std::string& file, const CsvSource& source,
              std::vector<RawReading>& out) {
    struct Series {
        const char* column;
        const char* parameter;
        const char* unit;
    };
    static constexpr std::array<Series, 8> kSeries = {{
        {"PM2.5", "PM2.5", "ug/m3"},
        {"PM10", "PM10", "ug/m3"},
        {"SO2", "SO2", "ug/m3"},
        {"NO2", "NO2", "ug/m3"},
        {"CO", "CO", "ug/m3"},
        {"O3", "O3", "ug/m3"},
        {"TEMP", "TEMP", "degC"},
        {"WSPM", "WS", "m/s"},
    }};
    std::array<std::size_t, kSeries.size()> cSeries{};
    for (std::size_t k = 0; k < kSeries.size(); ++k)
        cSeries[k] = col(kSeries[k].column);
    const std::size_t cYear = col("year"), cMonth = col("month"), cDay = col("day"),
                      cHour = col("hour"), cDir = col("wd"), cStation = col("station");
    const std::size_t width = col.header.size();

    std::vector<std::string_view> f;
    std::string_view line;
    while (lines.next(line)) {
        if (csv::unquote(line).empty())
            continue;
        csv::split(line, f);
        const std::string where = lines.where();
        if (f.size() != width)
            throw InputError(file, where,
                             "expected " + std::to_string(width) + " fields, found " +
                                 std::to_string(f.size()));
        const auto year = csv::toInt(f[cYear]), month = csv::toInt(f[cMonth]),
                   day = csv::toInt(f[cDay]), hour = csv::toInt(f[cHour]);
        if (!year || !month || !day || !hour || *hour < 0 || *hour > 23)
            throw InputError(file, where,
                             "expected whole-number year, month, day and hour 0-23, found " +
                                 quoted(f[cYear]) + ", " + quoted(f[cMonth]) + ", " +
                                 quoted(f[cDay]) + ", " + quoted(f[cHour]));
        UtcTime end;
        try {
            end = fromLocal(*year, *month, *day, *hour, 0, 0, source.utcOffset) +
                  std::chrono::seconds(kHour_s);
        } catch (const Error& e) {
            throw InputError(file, where, e.what());
        }

        RawReading r;
        r.station = source.station.empty() ? std::string(f[cStation]) : source.station;
        r.time = end;
        r.period_s = kHour_s;
        for (std::size_t k = 0; k < kSeries.size(); ++k) {
            r.parameter = kSeries[k].parameter;
            r.unit = kSeries[k].unit;
            r.value = valueOrNa(f[cSeries[k]], file, where, kSeries[k].column);
            out.push_back(r);
        }
        r.parameter = "WD";
        r.unit = "deg";
        r.value.reset();
        if (f[cDir] != "NA" && !f[cDir].empty()) {
            r.value = met::compassToDegrees(f[cDir]);
            if (!r.value)
                throw InputError(file, where,
                                 "expected wd as a 16-point compass name (N, NNE, ... NNW) or "
                                 "NA, found " +
                                     quoted(f[cDir]));
        }
        out.push_back(std::move(r));
    }
}

} // namespace

CsvHistory readCsvHistory(const std::filesystem::path& file, const CsvSource& source) {
    const std::string fileName = file.string();
    const std::string bytes = readTextFile(file);
    Lines lines(checkUtf8(bytes, fileName));

    std::string_view headerLine;
    if (!lines.next(headerLine))
        throw InputError(fileName, "line 1", "expected a header line, found an empty file");
    std::vector<std::string_view> header;
    csv::split(headerLine, header);
    const Columns columns{header, fileName};

    CsvHistory history;
    if (columns.has("Date (LT)")) {
        history.layout = CsvLayout::AirNow;
        readAirNow(lines, columns, fileName, source, history.readings);
    } else if (columns.has("year") && columns.has("WSPM")) {
        history.layout = CsvLayout::BeijingPrsa;
        readPrsa(lines, columns, fileName, source, history.readings);
    } else {
        throw InputError(fileName, "line 1",
                         "expected the header of an AirNow file (Site, Parameter, Date (LT), "
                         "...) or a Beijing PRSA file (No, year, month, day, hour, ..., WSPM, "
                         "station)");
    }
    return history;
}

} // namespace parktwin::sensors
