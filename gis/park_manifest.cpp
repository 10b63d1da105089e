#include "gis/park_manifest.h"

#include <cctype>
#include <set>

#include "engine/core/error.h"
#include "engine/core/toml_reader.h"

namespace parktwin::gis {
namespace {

namespace fs = std::filesystem;
using tomlin::TableReader;

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
    static const std::set<std::string> sensitive = {"kind", "kind_attribute"};
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
    case LayerRole::Sensitive:
        return sensitive;
    }
    return area;
}

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
    if (text == "sensitive")
        return LayerRole::Sensitive;
    throw InputError(file, where,
                     "expected boundary, area, buildings, roads, stacks, sensors or sensitive, "
                     "found \"" + text + "\"");
}

LayerSpec readLayer(TableReader& r, const fs::path& folder) {
    LayerSpec spec;
    spec.role = parseRole(r.string("role"), r.file(), r.where("role"));
    std::set<std::string> allowed = kCommonLayerKeys;
    allowed.insert(roleKeys(spec.role).begin(), roleKeys(spec.role).end());
    r.refuseUnknown(allowed);

    spec.name = r.string("name", roleName(spec.role));
    spec.file = folder / r.string("file");
    spec.ogrLayer = r.string("layer", "");
    spec.where = r.string("where", "");
    spec.crs = r.string("crs", "");
    spec.idAttribute = r.string("id_attribute", "");
    spec.nameAttribute = r.string("name_attribute", spec.nameAttribute);
    spec.statusAttribute = r.string("status_attribute", spec.statusAttribute);
    spec.noteAttribute = r.string("note_attribute", spec.noteAttribute);

    const bool boundary = spec.role == LayerRole::Boundary;
    spec.kind = r.string("kind", boundary                             ? "boundary"
                                 : spec.role == LayerRole::Sensitive ? ""
                                                                     : "industrial");
    spec.kindAttribute = r.string("kind_attribute", spec.kindAttribute);
    spec.dissolve = r.boolean("dissolve", false);
    spec.areaName = r.string("area_name", "");

    const bool stacks = spec.role == LayerRole::Stacks;
    spec.heightAttribute = r.string("height_attribute", stacks ? "height_m" : "height");
    spec.levelsAttribute = r.string("levels_attribute", spec.levelsAttribute);
    spec.storeyHeight_m = r.number("storey_height_m", spec.storeyHeight_m);
    spec.useAttribute = r.string("use_attribute", spec.useAttribute);
    if (spec.role == LayerRole::Sensors)
        spec.sensorHeight_m = r.number("default_height_m", 3.0);
    else
        spec.defaultHeight_m = r.number("default_height_m", spec.defaultHeight_m);

    spec.classAttribute = r.string("class_attribute", spec.classAttribute);
    spec.onewayAttribute = r.string("oneway_attribute", spec.onewayAttribute);

    spec.diameterAttribute = r.string("diameter_attribute", spec.diameterAttribute);
    spec.exitVelocityAttribute = r.string("exit_velocity_attribute", spec.exitVelocityAttribute);
    spec.exitTemperatureAttribute =
        r.string("exit_temperature_attribute", spec.exitTemperatureAttribute);
    spec.parametersAttribute = r.string("parameters_attribute", spec.parametersAttribute);

    if (spec.storeyHeight_m <= 0 || spec.defaultHeight_m <= 0 || spec.sensorHeight_m < 0)
        throw InputError(r.file(), r.path() + ".storey_height_m/default_height_m",
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
    case LayerRole::Sensitive:
        return "sensitive";
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
    const toml::table root = tomlin::parseFile(manifestPath);

    TableReader r(root, "", file);
    r.refuseUnknown(kTopKeys);
    const fs::path folder = fs::absolute(manifestPath).parent_path();

    ParkManifest m;
    m.path = fs::absolute(manifestPath);
    m.name = r.string("name");
    m.timeZone = parseUtcOffset(r.string("time_zone", "Z"), file, r.where("time_zone"));
    m.crs = r.string("crs", "auto");
    m.extentMargin_m = r.number("extent_margin_m", m.extentMargin_m);
    if (m.extentMargin_m < 0)
        throw InputError(file, r.where("extent_margin_m"), "expected a margin >= 0 m");
    m.attributions = r.strings("attributions");

    if (!r.has("terrain"))
        throw InputError(file, "[terrain]",
                         "required table missing: give file + spacing_m or flat_elevation_m");
    TableReader terrain(r.table("terrain"), "terrain", file);
    terrain.refuseUnknown(kTerrainKeys);
    m.terrain.flatElevation_m = terrain.optNumber("flat_elevation_m");
    if (auto dem = terrain.optString("file"))
        m.terrain.file = folder / *dem;
    m.terrain.spacing_m = terrain.number("spacing_m", 90.0);
    if (m.terrain.file.empty() == !m.terrain.flatElevation_m.has_value())
        throw InputError(file, "[terrain]", "give either file (a DEM) or flat_elevation_m");
    if (m.terrain.spacing_m <= 0)
        throw InputError(file, terrain.where("spacing_m"), "expected a spacing > 0 m");

    const std::vector<const toml::table*> layers = r.tables("layers");
    if (layers.empty())
        throw InputError(file, "layers", "expected at least one [[layers]] table");
    for (size_t k = 0; k < layers.size(); ++k) {
        TableReader layer(*layers[k], "layers[" + std::to_string(k) + "]", file);
        m.layers.push_back(readLayer(layer, folder));
    }

    int boundaries = 0;
    for (const auto& l : m.layers)
        boundaries += l.role == LayerRole::Boundary;
    if (boundaries == 0)
        throw InputError(file, "layers", "expected a layer with role = \"boundary\"");
    return m;
}

} // namespace parktwin::gis
