#include "engine/scenario/scenario.h"

#include <cctype>
#include <cmath>
#include <regex>
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

/// Checks a `hourly_factors` array: empty, or 24 factors none of them negative.
void checkHourlyFactors(const std::vector<double>& factors, const TableReader& t) {
    if (!factors.empty() && factors.size() != 24)
        throw InputError(t.file(), t.where("hourly_factors"),
                         "expected 24 factors (local hours 0-23), found " +
                             std::to_string(factors.size()));
    for (double f : factors)
        if (!(f >= 0) || !std::isfinite(f))
            throw InputError(t.file(), t.where("hourly_factors"), "negative factor");
}

/// A `[[line_sources]]` table.
LineSourceSpec readLineSource(TableReader& t) {
    LineSourceSpec line;
    line.road = t.string("road");
    line.id = t.string("id", line.road);
    line.width_m = t.number("width_m");
    line.releaseHeight_m = t.number("release_height_m");
    line.initialSigmaZ_m = t.number("initial_sigma_z_m");
    line.emissionRate_gsm = t.number("emission_rate_gsm");
    line.hourlyFactors = t.numbers("hourly_factors");
    line.note = t.string("note", "");
    if (!(line.width_m > 0.0) || line.width_m > 1000.0)
        throw InputError(t.file(), t.where("width_m"),
                         "expected an emitting width above 0 and at most 1000 m");
    if (!(line.releaseHeight_m >= 0.0) || line.releaseHeight_m > 500.0)
        throw InputError(t.file(), t.where("release_height_m"),
                         "expected a release height between 0 and 500 m");
    if (!(line.initialSigmaZ_m >= 0.0) || line.initialSigmaZ_m > 500.0)
        throw InputError(t.file(), t.where("initial_sigma_z_m"),
                         "expected an initial sigma-z between 0 and 500 m");
    if (!(line.emissionRate_gsm >= 0.0) || !std::isfinite(line.emissionRate_gsm))
        throw InputError(t.file(), t.where("emission_rate_gsm"), "negative emission rate");
    checkHourlyFactors(line.hourlyFactors, t);
    t.finish();
    return line;
}

// A position given as longitude/latitude or as easting/northing in the park CRS, or none.
SitePosition readPosition(TableReader& t, const std::string& file) {
    SitePosition p;
    const auto lon = t.optNumber("longitude");
    const auto lat = t.optNumber("latitude");
    const auto east = t.optNumber("easting_m");
    const auto north = t.optNumber("northing_m");
    if (lon.has_value() != lat.has_value())
        throw InputError(file, t.where(lon ? "longitude" : "latitude"),
                         "give both longitude and latitude");
    if (east.has_value() != north.has_value())
        throw InputError(file, t.where(east ? "easting_m" : "northing_m"),
                         "give both easting_m and northing_m");
    if (lon && east)
        throw InputError(file, t.where("longitude"),
                         "give either longitude/latitude or easting_m/northing_m, not both");
    if (lon) {
        if (std::abs(*lon) > 180 || std::abs(*lat) > 90)
            throw InputError(file, t.where("longitude"),
                             "not a longitude/latitude in degrees");
        p.lonLat = Vec2{*lon, *lat};
        p.where = t.where("longitude");
    } else if (east) {
        p.projected = Vec2{*east, *north};
        p.where = t.where("easting_m");
    }
    return p;
}

std::optional<double> positiveNumber(TableReader& t, const std::string& key,
                                     const std::string& file, const char* what) {
    auto v = t.optNumber(key);
    if (v && !(*v > 0 && std::isfinite(*v)))
        throw InputError(file, t.where(key), std::string("expected a positive ") + what);
    return v;
}

// Merges `over` into `into`, moving its nodes (toml++ keeps a node's source position when it
// is moved, not when it is copied, and messages must name the variant's own lines): tables
// key by key, the [[sources]] array by stack id (a listed stack's keys replace the
// baseline's, a new stack is appended), anything else replaced.
void mergeSources(toml::array& into, toml::array& over) {
    for (toml::node& node : over) {
        toml::table* src = node.as_table();
        if (!src) {
            into.push_back(std::move(node));
            continue;
        }
        const auto stack = (*src)["stack"].value<std::string>();
        toml::table* match = nullptr;
        for (toml::node& existing : into)
            if (toml::table* t = existing.as_table();
                t && stack && (*t)["stack"].value<std::string>() == stack)
                match = t;
        if (!match) {
            into.push_back(std::move(*src));
            continue;
        }
        for (auto&& [key, value] : *src)
            match->insert_or_assign(key, std::move(value));
    }
}

void mergeTable(toml::table& into, toml::table& over) {
    for (auto&& [key, value] : over) {
        toml::node* existing = into.get(key);
        if (existing && existing->is_table() && value.is_table()) {
            mergeTable(*existing->as_table(), *value.as_table());
        } else if (existing && key.str() == "sources" && existing->is_array() &&
                   value.is_array()) {
            mergeSources(*existing->as_array(), *value.as_array());
        } else {
            into.insert_or_assign(key, std::move(value));
        }
    }
}

Scenario interpret(const toml::table& root, const fs::path& file, UtcOffset parkTimeZone);

std::vector<Scenario> readVariants(const toml::table& root, const fs::path& file,
                                   UtcOffset parkTimeZone, const Scenario& baseline) {
    std::vector<Scenario> variants;
    const toml::array* list = root["variants"].as_array();
    if (!list)
        return variants;
    std::set<std::string> names;
    for (size_t k = 0; k < list->size(); ++k) {
        const std::string path = "variants[" + std::to_string(k) + "]";
        const toml::table* v = (*list)[k].as_table();
        if (!v)
            throw InputError(file.string(), path, "expected a [[variants]] table");
        TableReader t(*v, path, file.string());
        const std::string name = t.string("name");
        // The name becomes a folder name.
        if (!std::regex_match(name, std::regex("[A-Za-z0-9_-]+")))
            throw InputError(file.string(), t.where("name"),
                             "expected letters, digits, '_' or '-' (a folder name), found \"" +
                                 name + "\"");
        if (!names.insert(name).second || name == baseline.name)
            throw InputError(file.string(), t.where("name"),
                             "variant name '" + name + "' is used twice");
        if (v->contains("variants"))
            throw InputError(file.string(), t.where("variants"), "variants cannot be nested");

        // Fresh parses to move nodes out of, so that every value keeps its line.
        toml::table merged = tomlin::parseFile(file);
        merged.erase("variants");
        toml::table source = tomlin::parseFile(file);
        toml::table& overrides = *source["variants"].as_array()->get(k)->as_table();
        for (const char* own : {"name", "title", "note"})
            overrides.erase(own);
        mergeTable(merged, overrides);
        Scenario variant = interpret(merged, file, parkTimeZone);
        variant.name = name;
        variant.title = t.string("title", baseline.title + ": " + name);
        variant.variantNote = t.string("note", "");
        variant.variantOf = baseline.name;
        variants.push_back(std::move(variant));
    }
    return variants;
}

} // namespace

void resolvePositions(Scenario& s, const LocalFrame& frame,
                      const LonLatToProjected& toProjected) {
    auto resolveOne = [&](SitePosition& p) {
        if (p.projected)
            p.local = frame.toLocal(p.projected->x, p.projected->y);
        else if (p.lonLat) {
            Vec2 en;
            try {
                en = toProjected(*p.lonLat);
            } catch (const Error& e) {
                throw InputError(s.file.string(), p.where, e.what());
            }
            p.local = frame.toLocal(en.x, en.y);
        }
    };
    for (SourceSpec& src : s.sources)
        resolveOne(src.position);
    for (SiteSpec& site : s.sites)
        resolveOne(site.position);
    for (Scenario& v : s.variants)
        resolvePositions(v, frame, toProjected);
}

std::vector<SensitiveSite> sensitiveSites(const Scenario& scenario, const ParkModel& park,
                                          const Box2& extent) {
    std::vector<SensitiveSite> all;
    if (scenario.parkSites)
        all = park.sensitiveSites;
    for (const SiteSpec& spec : scenario.sites) {
        if (!spec.position.local)
            throw InputError(scenario.file.string(), spec.position.where,
                             "the position of site '" + spec.id + "' was not resolved");
        all.push_back({spec.id, spec.name, spec.kind, "scenario", *spec.position.local});
    }
    std::vector<SensitiveSite> inside;
    for (SensitiveSite& site : all) {
        if (site.position.x < extent.min.x || site.position.x > extent.max.x ||
            site.position.y < extent.min.y || site.position.y > extent.max.y) {
            log::get("scenario").debug("sensitive site {} ({}) lies outside the receptor grid",
                                       site.id, site.name);
            continue;
        }
        inside.push_back(std::move(site));
    }
    if (inside.size() < all.size())
        log::get("scenario").info("{} of {} sensitive sites lie inside the receptor grid; the "
                                  "others are left out",
                                  inside.size(), all.size());
    return inside;
}

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
    Scenario s = interpret(root, file, parkTimeZone);
    s.variants = readVariants(root, file, parkTimeZone, s);
    log::get("scenario").info(
        "scenario '{}' loaded: {} sources, {} line sources, {} hours from {}, {} variants",
        s.name, s.sources.size(), s.lineSources.size(), s.hourCount(),
        formatIsoTime(s.start, parkTimeZone), s.variants.size());
    return s;
}

namespace {

Scenario interpret(const toml::table& root, const fs::path& file, UtcOffset parkTimeZone) {
    const fs::path base = file.parent_path();
    Scenario s;
    s.file = file;

    TableReader top(root, "", file.string());
    top.has("variants"); // read by readVariants
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
        s.outputs.geopackage = t.boolean("geopackage", true);
        s.outputs.report = t.boolean("report", true);
        s.outputs.contourLevels_ugm3 = t.numbers("contour_levels");
        for (double level : s.outputs.contourLevels_ugm3)
            if (!(level > 0 && std::isfinite(level)))
                throw InputError(file.string(), t.where("contour_levels"),
                                 "expected positive concentrations in ug/m3");
        t.finish();
    }
    if (top.has("background")) {
        TableReader t(top.table("background"), "background", file.string());
        s.background.constant_ugm3 = t.optNumber("value_ugm3");
        if (auto f = t.optString("file"))
            s.background.file = resolve(base, *f);
        if (s.background.constant_ugm3 && !s.background.file.empty())
            throw InputError(file.string(), t.where("file"),
                             "give either value_ugm3 or file, not both");
        if (!s.background.present())
            throw InputError(file.string(), t.where("value_ugm3"),
                             "expected value_ugm3 (a constant) or file (an hourly series)");
        if (s.background.constant_ugm3 &&
            !(*s.background.constant_ugm3 >= 0 && std::isfinite(*s.background.constant_ugm3)))
            throw InputError(file.string(), t.where("value_ugm3"),
                             "expected a concentration >= 0 ug/m3");
        if (!s.background.file.empty()) {
            s.background.column = t.string("column");
            s.background.timeColumn = t.string("time_column", "");
            try {
                // Required, as for the met: a silent default would shift the series by hours.
                s.background.utcOffset = parseUtcOffset(t.string("utc_offset"));
            } catch (const Error& e) {
                throw InputError(file.string(), t.where("utc_offset"), e.what());
            }
        }
        s.background.note = t.string("note", "");
        t.finish();
    }
    if (top.has("no2")) {
        TableReader t(top.table("no2"), "no2", file.string());
        s.no2.method = t.string("method");
        if (s.no2.method == "full") {
            s.no2.hourlyRatio = s.no2.annualRatio = 1.0;
        } else if (s.no2.method == "arm") {
            s.no2.hourlyRatio = t.number("hourly_ratio", 0.80);
            s.no2.annualRatio = t.number("annual_ratio", 0.75);
        } else {
            throw InputError(file.string(), t.where("method"),
                             "expected \"full\" (Tier 1) or \"arm\" (Tier 2 ambient ratio), "
                             "found \"" + s.no2.method + "\"");
        }
        for (const char* key : {"hourly_ratio", "annual_ratio"})
            if (auto r = t.optNumber(key); r && !(*r > 0 && *r <= 1))
                throw InputError(file.string(), t.where(key),
                                 "expected an NO2/NOx ratio above 0 and at most 1");
        if (s.pollutant != "NOX")
            throw InputError(file.string(), t.where("method"),
                             "NO2 is derived from modelled NOx: set [scenario] pollutant = "
                             "\"NOx\" (found \"" + s.pollutant + "\")");
        t.finish();
    }
    if (top.has("compliance")) {
        TableReader t(top.table("compliance"), "compliance", file.string());
        s.compliance.completeness = t.number("completeness", 0.75);
        if (!(s.compliance.completeness > 0 && s.compliance.completeness <= 1))
            throw InputError(file.string(), t.where("completeness"),
                             "expected a share of hours above 0 and at most 1");
        for (const auto& [key, period] : std::vector<std::pair<std::string, std::string>>{
                 {"rank_1h", "1h"}, {"rank_8h", "8h"}, {"rank_24h", "24h"}}) {
            if (auto r = t.optNumber(key)) {
                if (!(*r >= 1 && *r == std::floor(*r) && *r <= 1000))
                    throw InputError(file.string(), t.where(key),
                                     "expected a whole rank from 1 (the highest) to 1000");
                s.compliance.ranks[period] = static_cast<int>(*r);
            }
        }
        if (auto f = t.optString("thresholds"))
            s.compliance.thresholds = resolve(base, *f);
        t.finish();
    }
    if (top.has("sensitive")) {
        TableReader t(top.table("sensitive"), "sensitive", file.string());
        s.parkSites = t.boolean("park_layers", true);
        t.finish();
    }
    const std::vector<const toml::table*> sites = top.tables("sensitive_receptors");
    for (size_t k = 0; k < sites.size(); ++k) {
        TableReader t(*sites[k], "sensitive_receptors[" + std::to_string(k) + "]",
                      file.string());
        SiteSpec site;
        site.id = t.string("id");
        site.name = t.string("name", site.id);
        site.kind = t.string("kind", site.kind);
        site.position = readPosition(t, file.string());
        if (!site.position.lonLat && !site.position.projected)
            throw InputError(file.string(), t.where("id"),
                             "expected longitude/latitude or easting_m/northing_m");
        for (const SiteSpec& other : s.sites)
            if (other.id == site.id)
                throw InputError(file.string(), t.where("id"),
                                 "site '" + site.id + "' is listed twice");
        t.finish();
        s.sites.push_back(std::move(site));
    }

    const std::vector<const toml::table*> sources = top.tables("sources");
    const std::vector<const toml::table*> lines = top.tables("line_sources");
    if (sources.empty() && lines.empty() && !s.logistics)
        throw InputError(file.string(), "[[sources]]",
                         "a scenario needs at least one source ([[sources]], "
                         "[[line_sources]] or a [logistics] section)");
    for (size_t k = 0; k < sources.size(); ++k) {
        TableReader t(*sources[k], "sources[" + std::to_string(k) + "]", file.string());
        SourceSpec src;
        src.stack = t.string("stack");
        src.emissionRate_gs = t.number("emission_rate_gs");
        src.hourlyFactors = t.numbers("hourly_factors");
        src.note = t.string("note", "");
        src.where = t.where("stack");
        src.height_m = positiveNumber(t, "height_m", file.string(), "stack height in m");
        src.diameter_m = positiveNumber(t, "diameter_m", file.string(), "diameter in m");
        src.exitVelocity_ms =
            positiveNumber(t, "exit_velocity_ms", file.string(), "exit velocity in m/s");
        src.exitTemperature_K =
            positiveNumber(t, "exit_temperature_K", file.string(), "exit temperature in K");
        src.position = readPosition(t, file.string());
        if (!(src.emissionRate_gs >= 0 && std::isfinite(src.emissionRate_gs)))
            throw InputError(file.string(), t.where("emission_rate_gs"),
                             "expected a finite emission rate >= 0 g/s");
        if (src.emissionRate_gs < 0)
            throw InputError(file.string(), t.where("emission_rate_gs"),
                             "negative emission rate");
        checkHourlyFactors(src.hourlyFactors, t);
        for (const SourceSpec& other : s.sources)
            if (other.stack == src.stack)
                throw InputError(file.string(), t.where("stack"),
                                 "stack '" + src.stack + "' is already listed as a source");
        t.finish();
        s.sources.push_back(std::move(src));
    }
    for (size_t k = 0; k < lines.size(); ++k) {
        TableReader t(*lines[k], "line_sources[" + std::to_string(k) + "]", file.string());
        LineSourceSpec line = readLineSource(t);
        for (const LineSourceSpec& other : s.lineSources)
            if (other.id == line.id)
                throw InputError(file.string(), t.where("id"),
                                 "line source '" + line.id + "' is already listed");
        s.lineSources.push_back(std::move(line));
    }
    top.finish();
    return s;
}

} // namespace

} // namespace parktwin::scenario
