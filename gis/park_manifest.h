#pragma once
// The park manifest (park.toml): which files make up a park and how to read them.
// Parsed in exactly one place, with unknown keys refused so that a misspelt key never
// silently falls back to a default.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/time.h"

namespace parktwin::gis {

enum class LayerRole { Boundary, Area, Buildings, Roads, Stacks, Sensors, Sensitive };

/// Name of a role as written in the manifest ("boundary", "area", ...).
const char* roleName(LayerRole role);

/// One [[layers]] table. Attribute names are looked up first among the layer's fields, then
/// among the OSM tags in an `other_tags` field.
struct LayerSpec {
    std::string name;            ///< manifest name of the layer (defaults to the role)
    LayerRole role = LayerRole::Area;
    std::filesystem::path file;  ///< absolute (resolved against the manifest's folder)
    std::string ogrLayer;        ///< OGR layer name; empty = the first layer
    std::string where;           ///< OGR SQL attribute filter; empty = all features
    std::string crs;             ///< CRS for files that carry none; empty = the file's own
    std::string idAttribute;     ///< empty = "id", "osm_id", "osm_way_id", then the FID
    std::string nameAttribute = "name";
    std::string statusAttribute = "status"; ///< value "planned" marks a planned feature
    std::string noteAttribute = "note";

    // boundary and area
    std::string kind;            ///< Area::kind; defaults to "boundary" / "industrial"
    bool dissolve = false;       ///< union every feature into one area
    std::string areaName;        ///< name of the dissolved area

    // buildings (heightAttribute also serves stacks and sensors)
    std::string heightAttribute;        ///< default "height" (buildings, sensors), "height_m"
    std::string levelsAttribute = "building:levels";
    double storeyHeight_m = 3.0;
    double defaultHeight_m = 9.0;
    std::string useAttribute = "building";

    // roads
    std::string classAttribute = "highway";
    std::string onewayAttribute = "oneway";

    // stacks
    std::string diameterAttribute = "diameter_m";
    std::string exitVelocityAttribute = "exit_velocity_ms";
    std::string exitTemperatureAttribute = "exit_temperature_K";

    // sensors
    std::string parametersAttribute = "parameters";
    double sensorHeight_m = 3.0;

    // sensitive sites (points, or areas taken at a point inside them)
    std::string kindAttribute = "fclass"; ///< kind of site; Geofabrik's class by default
};

struct TerrainSpec {
    std::filesystem::path file;           ///< empty for a flat park
    double spacing_m = 90.0;
    std::optional<double> flatElevation_m; ///< set for a flat park
};

struct ParkManifest {
    std::filesystem::path path; ///< the manifest file itself
    std::string name;
    UtcOffset timeZone{0};
    std::string crs = "auto";   ///< "auto" = UTM zone of the boundary's centroid
    double extentMargin_m = 1000.0;
    TerrainSpec terrain;
    std::vector<LayerSpec> layers;
    std::vector<std::string> attributions;
};

/// Reads and checks a park.toml. Returns the manifest with every path made absolute.
/// Throws InputError naming the manifest and the key (or line) that is wrong or unknown.
ParkManifest readManifest(const std::filesystem::path& manifest);

/// Parses a UTC offset such as "+07:00", "-0330" or "Z"; returns minutes east of UTC.
/// Throws InputError naming `file` and `key` when the text is not an offset.
UtcOffset parseUtcOffset(const std::string& text, const std::string& file,
                         const std::string& key);

} // namespace parktwin::gis
