#include "engine/scenario/scenario.h"

#include <cctype>
#include <cmath>
#include <set>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/core/toml_reader.h"
#include "engine/scenario/logistics_section.h"

namespace parktwin::scenario {
namespace {

namespace fs = std::filesystem;
using tomlin::TableReader;

fs::path resolve(const fs::path& base, const std::string& relative) {
    fs::path p(relative);
    return p.is_absolute() ? p : (base / p).lexically_normal();
}

} // namespace

int Scenario::hourCount() const {
    using namespace std::chrono;
    return static_cast<int>(duration_cast<hours>(end - start).count());
}

fs::path scenarioParkPath(const fs::path& file) {
    const toml::table root = tomlin::parseFile(file);
    TableReader top(root, "", file.string());
    TableReader info(top.table("scenario"), "scenario", file.string());
    return resolve(file.parent_path(), info.string("park"));
}

Scenario loadScenario(const fs::path& file, UtcOffset parkTimeZone) {
    const toml::table root = tomlin::parseFile(file);
    const fs::path base = file.parent_path();
    Scenario s;
    s.file = file;

    TableReader top(root, "", file.string());
    {
        TableReader t(top.table("scenario"), "scenario", file.string());
        s.name = t.string("name");
        s.title = t.string("title", s.name);
        s.park = resolve(base, t.string("park"));
        s.pollutant = t.string("pollutant", "SO2");
        // Pollutant names are compared with the regulation's, which are upper case (SO2, NO2).
        for (char& c : s.pollutant)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        s.startText = t.string("start");
        s.endText = t.string("end");
        try {
            s.start = parseIsoTime(s.startText, parkTimeZone);
        } catch (const Error& e) {
            throw InputError(file.string(), t.where("start"), e.what());
        }
        try {
            s.end = parseIsoTime(s.endText, parkTimeZone);
        } catch (const Error& e) {
            throw InputError(file.string(), t.where("end"), e.what());
        }
        if (s.end <= s.start)
            throw InputError(file.string(), t.where("end"), "the period ends before it starts");
        if ((s.end - s.start) % std::chrono::hours(1) != std::chrono::seconds(0))
            throw InputError(file.string(), t.where("end"), "the period is not whole hours");
        t.finish();
    }
    if (top.has("logistics")) {
        TableReader t(top.table("logistics"), "logistics", file.string());
        s.logistics = readLogisticsSection(t);
    }
    if (!s.logistics || top.has("met")) {
        TableReader t(top.table("met"), "met", file.string());
        s.met.format = t.string("format");
        if (s.met.format != "prsa-csv" && s.met.format != "parktwin-csv" &&
            s.met.format != "isc-ascii")
            throw InputError(file.string(), t.where("format"),
                             "expected \"prsa-csv\", \"parktwin-csv\" or \"isc-ascii\", "
                             "found \"" + s.met.format + "\"");
        s.met.file = resolve(base, t.string("file"));
        s.met.station = t.string("station", s.met.file.filename().string());
        s.met.latitude_deg = t.number("latitude", 0.0);
        s.met.longitude_deg = t.number("longitude", 0.0);
        s.met.anemometerHeight_m = t.number("anemometer_height_m", 10.0);
        if (s.met.anemometerHeight_m <= 0.0 || s.met.anemometerHeight_m > 300.0)
            throw InputError(file.string(), t.where("anemometer_height_m"),
                             "expected a height above ground between 0 and 300 m");
        s.met.note = t.string("note", "");
        try {
            // Required: a met file's stamps are in its station's zone, which may differ from
            // the park's, and a silent default would shift the weather by hours.
            s.met.utcOffset = parseUtcOffset(t.string("utc_offset"));
        } catch (const Error& e) {
            throw InputError(file.string(), t.where("utc_offset"), e.what());
        }
        if (std::abs(s.met.latitude_deg) > 90 || std::abs(s.met.longitude_deg) > 180)
            throw InputError(file.string(), t.where("latitude"),
                             "station position is not a longitude/latitude in degrees");
        t.finish();
    }
    if (top.has("dispersion")) {
        TableReader t(top.table("dispersion"), "dispersion", file.string());
        const std::string landUse = t.string("land_use", "rural");
        if (landUse != "rural" && landUse != "urban")
            throw InputError(file.string(), t.where("land_use"),
                             "expected \"rural\" or \"urban\", found \"" + landUse + "\"");
        s.plume.landUse =
            landUse == "urban" ? dispersion::LandUse::Urban : dispersion::LandUse::Rural;
        s.plume.stackTipDownwash = t.boolean("stack_tip_downwash", true);
        s.plume.terrain = t.boolean("terrain", true);
        t.finish();
    }
    if (top.has("receptors")) {
        TableReader t(top.table("receptors"), "receptors", file.string());
        s.receptors.spacing_m = t.number("spacing_m", 100.0);
        s.receptors.flagpole_m = t.number("flagpole_m", 0.0);
        if (auto margin = t.optNumber("margin_m")) {
            if (*margin < 0.0)
                throw InputError(file.string(), t.where("margin_m"), "negative margin");
            s.receptors.margin_m = *margin;
        }
        if (s.receptors.spacing_m < 1.0)
            throw InputError(file.string(), t.where("spacing_m"), "spacing below 1 m");
        if (s.receptors.flagpole_m < 0.0 || s.receptors.flagpole_m > 500.0)
            throw InputError(file.string(), t.where("flagpole_m"),
                             "expected a receptor height above ground between 0 and 500 m");
        t.finish();
    }
    if (top.has("outputs")) {
        TableReader t(top.table("outputs"), "outputs", file.string());
        s.outputs.hourlyGeoTiff = t.boolean("hourly_geotiff", true);
        s.outputs.directory = t.string("directory", "");
        t.finish();
    }

    const std::vector<const toml::table*> sources = top.tables("sources");
    if (sources.empty() && !s.logistics)
        throw InputError(file.string(), "[[sources]]", "a scenario needs at least one source");
    for (size_t k = 0; k < sources.size(); ++k) {
        TableReader t(*sources[k], "sources[" + std::to_string(k) + "]", file.string());
        SourceSpec src;
        src.stack = t.string("stack");
        src.emissionRate_gs = t.number("emission_rate_gs");
        src.hourlyFactors = t.numbers("hourly_factors");
        src.note = t.string("note", "");
        if (src.emissionRate_gs < 0)
            throw InputError(file.string(), t.where("emission_rate_gs"),
                             "negative emission rate");
        if (!src.hourlyFactors.empty() && src.hourlyFactors.size() != 24)
            throw InputError(file.string(), t.where("hourly_factors"),
                             "expected 24 factors (local hours 0-23), found " +
                                 std::to_string(src.hourlyFactors.size()));
        for (double f : src.hourlyFactors)
            if (f < 0)
                throw InputError(file.string(), t.where("hourly_factors"), "negative factor");
        for (const SourceSpec& other : s.sources)
            if (other.stack == src.stack)
                throw InputError(file.string(), t.where("stack"),
                                 "stack '" + src.stack + "' is already listed as a source");
        t.finish();
        s.sources.push_back(std::move(src));
    }
    top.finish();

    log::get("scenario").info("scenario '{}' loaded: {} sources, {} hours from {}", s.name,
                              s.sources.size(), s.hourCount(),
                              formatIsoTime(s.start, parkTimeZone));
    return s;
}

} // namespace parktwin::scenario
