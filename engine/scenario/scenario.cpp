#include "engine/scenario/scenario.h"

#include <cmath>
#include <set>

#include <toml++/toml.h>

#include "engine/core/error.h"
#include "engine/core/log.h"

namespace parktwin::scenario {
namespace {

namespace fs = std::filesystem;

/// Reads typed values out of one TOML table and refuses keys it was not asked about.
class TableReader {
public:
    TableReader(const toml::table& table, std::string path, const fs::path& file)
        : table_(table), path_(std::move(path)), file_(file) {}

    std::string where(const std::string& key) const {
        const std::string full = path_.empty() ? key : path_ + "." + key;
        const toml::node* node = table_.get(key);
        if (node && node->source().begin.line > 0)
            return "line " + std::to_string(node->source().begin.line) + ", key '" + full + "'";
        return "key '" + full + "'";
    }

    bool has(const std::string& key) {
        seen_.insert(key);
        return table_.contains(key);
    }

    std::string string(const std::string& key, std::optional<std::string> fallback = {}) {
        seen_.insert(key);
        const toml::node* node = table_.get(key);
        if (!node) {
            if (fallback)
                return *fallback;
            throw InputError(file_.string(), where(key), "required key is missing");
        }
        if (auto v = node->value<std::string>())
            return *v;
        throw InputError(file_.string(), where(key), "expected a string");
    }

    double number(const std::string& key, std::optional<double> fallback = {}) {
        seen_.insert(key);
        const toml::node* node = table_.get(key);
        if (!node) {
            if (fallback)
                return *fallback;
            throw InputError(file_.string(), where(key), "required key is missing");
        }
        if (auto v = node->value<double>(); v && std::isfinite(*v))
            return *v;
        throw InputError(file_.string(), where(key), "expected a finite number");
    }

    bool boolean(const std::string& key, bool fallback) {
        seen_.insert(key);
        const toml::node* node = table_.get(key);
        if (!node)
            return fallback;
        if (auto v = node->value<bool>())
            return *v;
        throw InputError(file_.string(), where(key), "expected true or false");
    }

    std::vector<double> numbers(const std::string& key) {
        seen_.insert(key);
        std::vector<double> out;
        const toml::node* node = table_.get(key);
        if (!node)
            return out;
        const toml::array* array = node->as_array();
        if (!array)
            throw InputError(file_.string(), where(key), "expected an array of numbers");
        for (const toml::node& item : *array) {
            auto v = item.value<double>();
            if (!v || !std::isfinite(*v))
                throw InputError(file_.string(), where(key), "expected an array of numbers");
            out.push_back(*v);
        }
        return out;
    }

    const toml::table& table(const std::string& key) {
        seen_.insert(key);
        const toml::node* node = table_.get(key);
        if (!node)
            throw InputError(file_.string(), "[" + fullName(key) + "]", "required table is missing");
        if (!node->is_table())
            throw InputError(file_.string(), where(key), "expected a table");
        return *node->as_table();
    }

    /// Refuses any key that was never asked for: a typo must not be silently ignored.
    void finish() const {
        for (const auto& [key, node] : table_) {
            const std::string name(key.str());
            if (!seen_.count(name))
                throw InputError(file_.string(), where(name), "unknown key");
        }
    }

    std::string fullName(const std::string& key) const {
        return path_.empty() ? key : path_ + "." + key;
    }

private:
    const toml::table& table_;
    std::string path_;
    const fs::path& file_;
    std::set<std::string> seen_;
};

toml::table parseToml(const fs::path& file) {
    if (!fs::exists(file))
        throw InputError(file.string(), "", "file not found");
    try {
        return toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw InputError(file.string(), "line " + std::to_string(e.source().begin.line),
                         std::string(e.description()));
    }
}

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
    const toml::table root = parseToml(file);
    TableReader top(root, "", file);
    TableReader info(top.table("scenario"), "scenario", file);
    return resolve(file.parent_path(), info.string("park"));
}

Scenario loadScenario(const fs::path& file, UtcOffset parkTimeZone) {
    const toml::table root = parseToml(file);
    const fs::path base = file.parent_path();
    Scenario s;
    s.file = file;

    TableReader top(root, "", file);
    {
        TableReader t(top.table("scenario"), "scenario", file);
        s.name = t.string("name");
        s.title = t.string("title", s.name);
        s.park = resolve(base, t.string("park"));
        s.pollutant = t.string("pollutant", std::string("SO2"));
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
    {
        TableReader t(top.table("met"), "met", file);
        s.met.format = t.string("format");
        if (s.met.format != "prsa-csv" && s.met.format != "parktwin-csv")
            throw InputError(file.string(), t.where("format"),
                             "expected \"prsa-csv\" or \"parktwin-csv\", found \"" +
                                 s.met.format + "\"");
        s.met.file = resolve(base, t.string("file"));
        s.met.station = t.string("station", s.met.file.filename().string());
        s.met.latitude_deg = t.number("latitude", 0.0);
        s.met.longitude_deg = t.number("longitude", 0.0);
        s.met.anemometerHeight_m = t.number("anemometer_height_m", 10.0);
        s.met.note = t.string("note", std::string());
        try {
            s.met.utcOffset = parseUtcOffset(t.string("utc_offset", std::string("Z")));
        } catch (const Error& e) {
            throw InputError(file.string(), t.where("utc_offset"), e.what());
        }
        if (std::abs(s.met.latitude_deg) > 90 || std::abs(s.met.longitude_deg) > 180)
            throw InputError(file.string(), t.where("latitude"),
                             "station position is not a longitude/latitude in degrees");
        t.finish();
    }
    if (top.has("dispersion")) {
        TableReader t(top.table("dispersion"), "dispersion", file);
        const std::string landUse = t.string("land_use", std::string("rural"));
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
        TableReader t(top.table("receptors"), "receptors", file);
        s.receptors.spacing_m = t.number("spacing_m", 100.0);
        s.receptors.flagpole_m = t.number("flagpole_m", 0.0);
        s.receptors.margin_m = t.number("margin_m", -1.0);
        if (s.receptors.spacing_m < 1.0)
            throw InputError(file.string(), t.where("spacing_m"), "spacing below 1 m");
        if (s.receptors.flagpole_m < 0.0)
            throw InputError(file.string(), t.where("flagpole_m"), "negative flagpole height");
        t.finish();
    }
    if (top.has("outputs")) {
        TableReader t(top.table("outputs"), "outputs", file);
        s.outputs.hourlyGeoTiff = t.boolean("hourly_geotiff", true);
        s.outputs.directory = t.string("directory", std::string());
        t.finish();
    }

    top.has("sources");
    const toml::array* sources = root["sources"].as_array();
    if (!sources || sources->empty())
        throw InputError(file.string(), "[[sources]]", "a scenario needs at least one source");
    for (size_t k = 0; k < sources->size(); ++k) {
        const toml::table* table = (*sources)[k].as_table();
        const std::string path = "sources[" + std::to_string(k) + "]";
        if (!table)
            throw InputError(file.string(), path, "expected a table");
        TableReader t(*table, path, file);
        SourceSpec src;
        src.stack = t.string("stack");
        src.emissionRate_gs = t.number("emission_rate_gs");
        src.hourlyFactors = t.numbers("hourly_factors");
        src.note = t.string("note", std::string());
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
        t.finish();
        s.sources.push_back(std::move(src));
    }
    top.finish();

    log::get("scenario").info("scenario '{}' loaded: {} sources, {} hours from {}", s.name,
                              s.sources.size(), s.hourCount(), formatIsoTime(s.start, parkTimeZone));
    return s;
}

} // namespace parktwin::scenario
