#include "gis/park_manifest.h"

#include <cctype>
#include <set>

#include <toml++/toml.h>

#include "engine/core/error.h"

namespace parktwin::gis {
namespace {

namespace fs = std::filesystem;

const std::set<std::string> kTopKeys = {"name",   "time_zone",       "crs",
                                        "terrain", "extent_margin_m", "layers",
                                        "attributions"};
const std::set<std::string> kTerrainKeys = {"file", "spacing_m", "flat_elevation_m"};

// Keys every layer may carry, then the keys each role adds.
const std::set<std::string> kCommonLayerKeys = {
    "name", "role", "file", "layer", "where", "crs", "id_attribute", "name_attribute",
    "status_attribute", "note_attribute"};

const std::set<std::string>& roleKeys(LayerRole role) {
    static const std::set<std::string> area = {"kind", "dissolve", "area_name"};
    static const std::set<std::string> buildings = {"height_attribute", "levels_attribute",
                                                    "storey_height_m", "default_height_m",
                                                    "use_attribute"};
    static const std::set<std::string> roads = {"class_attribute", "oneway_attribute"};
    static const std::set<std::string> stacks = {"height_attribute", "diameter_attribute",
                                                 "exit_velocity_attribute",
                                                 "exit_temperature_attribute"};
    static const std::set<std::string> sensors = {"height_attribute", "parameters_attribute",
                                                  "default_height_m"};
    switch (role) {
    case LayerRole::Boundary:
    case LayerRole::Area:
        return area;
    case LayerRole::Buildings:
        return buildings;
    case LayerRole::Roads:
        return roads;
    case LayerRole::Stacks:
        return stacks;
    case LayerRole::Sensors:
        return sensors;
    }
    return area;
}

std::string listKeys(const std::set<std::string>& a, const std::set<std::string>& b = {}) {
    std::set<std::string> all = a;
    all.insert(b.begin(), b.end());
    std::string out;
    for (const auto& k : all)
        out += (out.empty() ? "" : ", ") + k;
    return out;
}

std::string lineOf(const toml::node& node) {
    const auto& src = node.source();
    return "line " + std::to_string(src.begin.line);
}

class Reader {
public:
    explicit Reader(std::string file) : file_(std::move(file)) {}

    void refuseUnknown(const toml::table& table, const std::string& where,
                       const std::set<std::string>& allowed,
                       const std::set<std::string>& more = {}) const {
        for (const auto& [key, node] : table) {
            const std::string k(key.str());
            if (!allowed.count(k) && !more.count(k))
                throw InputError(file_, where + k + " (" + lineOf(node) + ")",
                                 "unknown key; expected one of: " + listKeys(allowed, more));
        }
    }

    std::optional<std::string> text(const toml::table& t, const std::string& where,
                                     const char* key) const {
        const toml::node* node = t.get(key);
        if (!node)
            return std::nullopt;
        if (const auto* s = node->as_string())
            return s->get();
        throw InputError(file_, where + key + " (" + lineOf(*node) + ")",
                         "expected a string, found " + typeName(*node));
    }

    std::optional<double> number(const toml::table& t, const std::string& where,
                                 const char* key) const {
        const toml::node* node = t.get(key);
        if (!node)
            return std::nullopt;
        if (const auto* d = node->as_floating_point())
            return d->get();
        if (const auto* i = node->as_integer())
            return static_cast<double>(i->get());
        throw InputError(file_, where + key + " (" + lineOf(*node) + ")",
                         "expected a number, found " + typeName(*node));
    }

    std::optional<bool> boolean(const toml::table& t, const std::string& where,
                                const char* key) const {
        const toml::node* node = t.get(key);
        if (!node)
            return std::nullopt;
        if (const auto* b = node->as_boolean())
            return b->get();
        throw InputError(file_, where + key + " (" + lineOf(*node) + ")",
                         "expected true or false, found " + typeName(*node));
    }

    std::string required(const toml::table& t, const std::string& where,
                         const char* key) const {
        auto value = text(t, where, key);
        if (!value || value->empty())
            throw InputError(file_, where + key, "required key is missing");
        return *value;
    }

    static std::string typeName(const toml::node& node) {
        switch (node.type()) {
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
        case toml::node_type::floating_point:
            return "a number";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::table:
            return "a table";
        default:
            return "a date or time";
        }
    }

    const std::string& file() const { return file_; }

private:
    std::string file_;
};

LayerRole parseRole(const std::string& text, const std::string& file, const std::string& where) {
    if (text == "boundary")
        return LayerRole::Boundary;
    if (text == "area")
        return LayerRole::Area;
    if (text == "buildings")
        return LayerRole::Buildings;
    if (text == "roads")
        return LayerRole::Roads;
    if (text == "stacks")
        return LayerRole::Stacks;
    if (text == "sensors")
        return LayerRole::Sensors;
    throw InputError(file, where + "role",
                     "expected boundary, area, buildings, roads, stacks or sensors, found \"" +
                         text + "\"");
}

LayerSpec readLayer(const Reader& r, const toml::table& t, const std::string& where,
                    const fs::path& folder) {
    LayerSpec spec;
    spec.role = parseRole(r.required(t, where, "role"), r.file(), where);
    r.refuseUnknown(t, where, kCommonLayerKeys, roleKeys(spec.role));

    spec.name = r.text(t, where, "name").value_or(roleName(spec.role));
    spec.file = folder / r.required(t, where, "file");
    spec.ogrLayer = r.text(t, where, "layer").value_or("");
    spec.where = r.text(t, where, "where").value_or("");
    spec.crs = r.text(t, where, "crs").value_or("");
    spec.idAttribute = r.text(t, where, "id_attribute").value_or("");
    spec.nameAttribute = r.text(t, where, "name_attribute").value_or(spec.nameAttribute);
    spec.statusAttribute = r.text(t, where, "status_attribute").value_or(spec.statusAttribute);
    spec.noteAttribute = r.text(t, where, "note_attribute").value_or(spec.noteAttribute);

    const bool boundary = spec.role == LayerRole::Boundary;
    spec.kind = r.text(t, where, "kind").value_or(boundary ? "boundary" : "industrial");
    spec.dissolve = r.boolean(t, where, "dissolve").value_or(false);
    spec.areaName = r.text(t, where, "area_name").value_or("");

    const bool stacks = spec.role == LayerRole::Stacks;
    spec.heightAttribute =
        r.text(t, where, "height_attribute").value_or(stacks ? "height_m" : "height");
    spec.levelsAttribute = r.text(t, where, "levels_attribute").value_or(spec.levelsAttribute);
    spec.storeyHeight_m = r.number(t, where, "storey_height_m").value_or(spec.storeyHeight_m);
    spec.useAttribute = r.text(t, where, "use_attribute").value_or(spec.useAttribute);
    if (spec.role == LayerRole::Sensors)
        spec.sensorHeight_m = r.number(t, where, "default_height_m").value_or(3.0);
    else
        spec.defaultHeight_m =
            r.number(t, where, "default_height_m").value_or(spec.defaultHeight_m);

    spec.classAttribute = r.text(t, where, "class_attribute").value_or(spec.classAttribute);
    spec.onewayAttribute = r.text(t, where, "oneway_attribute").value_or(spec.onewayAttribute);

    spec.diameterAttribute =
        r.text(t, where, "diameter_attribute").value_or(spec.diameterAttribute);
    spec.exitVelocityAttribute =
        r.text(t, where, "exit_velocity_attribute").value_or(spec.exitVelocityAttribute);
    spec.exitTemperatureAttribute =
        r.text(t, where, "exit_temperature_attribute").value_or(spec.exitTemperatureAttribute);
    spec.parametersAttribute =
        r.text(t, where, "parameters_attribute").value_or(spec.parametersAttribute);

    if (spec.storeyHeight_m <= 0 || spec.defaultHeight_m <= 0 || spec.sensorHeight_m < 0)
        throw InputError(r.file(), where + "storey_height_m/default_height_m",
                         "heights must be positive");
    return spec;
}

} // namespace

const char* roleName(LayerRole role) {
    switch (role) {
    case LayerRole::Boundary:
        return "boundary";
    case LayerRole::Area:
        return "area";
    case LayerRole::Buildings:
        return "buildings";
    case LayerRole::Roads:
        return "roads";
    case LayerRole::Stacks:
        return "stacks";
    case LayerRole::Sensors:
        return "sensors";
    }
    return "area";
}

UtcOffset parseUtcOffset(const std::string& text, const std::string& file,
                         const std::string& key) {
    try {
        return parktwin::parseUtcOffset(text);
    } catch (const Error& e) {
        throw InputError(file, key, e.what());
    }
}

ParkManifest readManifest(const fs::path& manifestPath) {
    const std::string file = manifestPath.string();
    if (!fs::exists(manifestPath))
        throw InputError(file, "", "park manifest not found");

    toml::table root;
    try {
        root = toml::parse_file(file);
    } catch (const toml::parse_error& e) {
        throw InputError(file, "line " + std::to_string(e.source().begin.line),
                         std::string(e.description()));
    }

    Reader r(file);
    r.refuseUnknown(root, "", kTopKeys);
    const fs::path folder = fs::absolute(manifestPath).parent_path();

    ParkManifest m;
    m.path = fs::absolute(manifestPath);
    m.name = r.required(root, "", "name");
    m.timeZone = parseUtcOffset(r.text(root, "", "time_zone").value_or("Z"), file, "time_zone");
    m.crs = r.text(root, "", "crs").value_or("auto");
    m.extentMargin_m = r.number(root, "", "extent_margin_m").value_or(m.extentMargin_m);
    if (m.extentMargin_m < 0)
        throw InputError(file, "extent_margin_m", "expected a margin >= 0 m");

    const toml::table* terrain = root["terrain"].as_table();
    if (!terrain)
        throw InputError(file, "terrain",
                         "required table missing: give file + spacing_m or flat_elevation_m");
    r.refuseUnknown(*terrain, "terrain.", kTerrainKeys);
    m.terrain.flatElevation_m = r.number(*terrain, "terrain.", "flat_elevation_m");
    if (auto dem = r.text(*terrain, "terrain.", "file"))
        m.terrain.file = folder / *dem;
    m.terrain.spacing_m = r.number(*terrain, "terrain.", "spacing_m").value_or(90.0);
    if (m.terrain.file.empty() == !m.terrain.flatElevation_m.has_value())
        throw InputError(file, "terrain", "give either file (a DEM) or flat_elevation_m");
    if (m.terrain.spacing_m <= 0)
        throw InputError(file, "terrain.spacing_m", "expected a spacing > 0 m");

    if (const toml::array* credits = root["attributions"].as_array()) {
        for (const auto& node : *credits) {
            if (!node.is_string())
                throw InputError(file, "attributions (" + lineOf(node) + ")",
                                 "expected strings");
            m.attributions.push_back(node.as_string()->get());
        }
    }

    const toml::array* layers = root["layers"].as_array();
    if (!layers || layers->empty())
        throw InputError(file, "layers", "expected at least one [[layers]] table");
    int index = 0;
    for (const auto& node : *layers) {
        const std::string where = "layers[" + std::to_string(index++) + "].";
        const toml::table* t = node.as_table();
        if (!t)
            throw InputError(file, where, "expected a [[layers]] table");
        m.layers.push_back(readLayer(r, *t, where, folder));
    }

    int boundaries = 0;
    for (const auto& l : m.layers)
        boundaries += l.role == LayerRole::Boundary;
    if (boundaries == 0)
        throw InputError(file, "layers", "expected a layer with role = \"boundary\"");
    return m;
}

} // namespace parktwin::gis
