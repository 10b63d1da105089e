#include "engine/met/isc_ascii_met.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "engine/core/error.h"
#include "engine/core/log.h"

namespace parktwin::met {
namespace {

/// One fixed-width field of the record format (4I2, 2F9.4, F6.1, I2, 2F7.1).
struct Field {
    const char* name;
    size_t begin;
    size_t width;
};

constexpr Field kYear{"year", 0, 2}, kMonth{"month", 2, 2}, kDay{"day", 4, 2},
    kHour{"hour", 6, 2}, kFlow{"flow vector", 8, 9}, kSpeed{"wind speed", 17, 9},
    kTemperature{"temperature", 26, 6}, kClass{"stability class", 32, 2},
    kRuralMixing{"rural mixing height", 34, 7}, kUrbanMixing{"urban mixing height", 41, 7};

class RecordReader {
public:
    RecordReader(const std::string& line, const std::string& file, int lineNo)
        : line_(line), file_(file), lineNo_(lineNo) {}

    /// The field as a number. Fortran reads an all-blank field as zero, and so does this; a
    /// field cut off by the end of the line is an error.
    double number(const Field& f) const {
        if (line_.size() <= f.begin)
            fail(f, "the line ends before it");
        const std::string text = line_.substr(f.begin, f.width);
        if (text.find_first_not_of(' ') == std::string::npos)
            return 0.0;
        size_t used = 0;
        double v = 0;
        try {
            v = std::stod(text, &used);
        } catch (const std::exception&) {
            fail(f, "expected a number, found '" + text + "'");
        }
        if (text.find_first_not_of(' ', used) != std::string::npos || !std::isfinite(v))
            fail(f, "expected a number, found '" + text + "'");
        return v;
    }

    int integer(const Field& f) const {
        const double v = number(f);
        if (v != std::floor(v))
            fail(f, "expected a whole number");
        return static_cast<int>(v);
    }

    [[noreturn]] void fail(const Field& f, const std::string& what) const {
        throw InputError(file_,
                         "line " + std::to_string(lineNo_) + ", " + f.name + " (columns " +
                             std::to_string(f.begin + 1) + "-" +
                             std::to_string(f.begin + f.width) + ")",
                         what);
    }

private:
    const std::string& line_;
    const std::string& file_;
    int lineNo_;
};

} // namespace

MetSeries readIscAsciiMet(const std::filesystem::path& path, UtcOffset zone,
                          double anemometerHeight_m, IscMixing mixing,
                          std::vector<int>* lines) {
    const std::string file = path.string();
    std::ifstream in(path);
    if (!in)
        throw InputError(file, "", "cannot open the met file");

    std::string line;
    if (!std::getline(in, line))
        throw InputError(file, "line 1", "expected a header of station ids and years, found "
                                         "an empty file");
    {
        std::istringstream header(line);
        long surface = 0, surfaceYear = 0, upper = 0, upperYear = 0;
        if (!(header >> surface >> surfaceYear >> upper >> upperYear))
            throw InputError(file, "line 1",
                             "expected four numbers (surface station, year, upper-air station, "
                             "year), found '" + line + "'");
    }

    MetSeries series;
    series.source = file;
    series.stabilityMethod = "Pasquill class from the ISC met file (class 7 taken as F)";
    series.mixingMethod = std::string(mixing == IscMixing::Rural ? "rural" : "urban") +
                          " mixing height from the ISC met file";
    std::map<UtcTime, int> lineOfHour;
    int lineNo = 1, calm = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.find_first_not_of(' ') == std::string::npos)
            continue;
        const RecordReader r(line, file, lineNo);

        const int yy = r.integer(kYear), month = r.integer(kMonth), day = r.integer(kDay);
        const int hourEnding = r.integer(kHour);
        if (hourEnding < 1 || hourEnding > 24)
            r.fail(kHour, "expected an hour ending 1-24, found " + std::to_string(hourEnding));
        // Two-digit years: ISC files of the last century; 00-49 would be this one.
        const int year = yy >= 50 ? 1900 + yy : 2000 + yy;
        MetHour h;
        try {
            h.start = fromLocal(year, month, day, hourEnding - 1, 0, 0, zone);
        } catch (const Error& e) {
            r.fail(kDay, e.what());
        }

        const double flow_deg = r.number(kFlow);
        const double speed_ms = r.number(kSpeed);
        h.temperature_K = r.number(kTemperature);
        const int pgClass = r.integer(kClass);
        const double rural_m = r.number(kRuralMixing);
        const double urban_m = r.number(kUrbanMixing);
        if (flow_deg < 0 || flow_deg > 360)
            r.fail(kFlow, "expected 0-360 degrees");
        if (speed_ms < 0 || speed_ms > 75)
            r.fail(kSpeed, "expected 0-75 m/s");
        if (h.temperature_K < 183 || h.temperature_K > 334)
            r.fail(kTemperature, "expected an ambient temperature of 183-334 K");
        if (pgClass < 1 || pgClass > 7)
            r.fail(kClass, "expected a Pasquill class 1-7, found " + std::to_string(pgClass));

        // The file gives the flow vector; ParkTwin keeps the direction the wind comes from.
        h.windFromDir_deg = std::fmod(flow_deg + 180.0, 360.0);
        h.windSpeed_ms = speed_ms;
        h.anemometerHeight_m = anemometerHeight_m;
        h.stability = Stability(std::min(pgClass, 6));
        h.mixingHeight_m = mixing == IscMixing::Rural ? rural_m : urban_m;
        // ISC3: an hour with zero wind speed is calm, whatever its flow vector.
        h.calm = speed_ms == 0.0;
        calm += h.calm;

        const auto [it, inserted] = lineOfHour.emplace(h.start, lineNo);
        if (!inserted)
            throw InputError(file, "line " + std::to_string(lineNo),
                             "repeats the hour of line " + std::to_string(it->second));
        series.hours.push_back(h);
    }
    std::stable_sort(series.hours.begin(), series.hours.end(),
                     [](const MetHour& a, const MetHour& b) { return a.start < b.start; });
    if (lines) {
        lines->clear();
        for (const MetHour& h : series.hours)
            lines->push_back(lineOfHour.at(h.start));
    }
    log::get("met").info("read {} hours from {} ({} calm)", series.hours.size(), file, calm);
    return series;
}

} // namespace parktwin::met
