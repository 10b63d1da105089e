#pragma once
// The park model: everything the engine knows about one industrial park, in its local frame.
// gis/ builds it from files; engine/ models run on it; viewer/ draws it.

#include <optional>
#include <string>
#include <vector>

#include "engine/core/geometry.h"
#include "engine/core/raster.h"
#include "engine/core/time.h"

namespace parktwin {

/// The park-local metric frame: a projected CRS plus a double-precision origin at the park
/// centre. Local (x, y) = (easting - originEasting, northing - originNorthing).
struct LocalFrame {
    std::string crs;           ///< the projected CRS as PROJ knows it, e.g. "EPSG:32648"
    std::string crsName;       ///< human-readable name, e.g. "WGS 84 / UTM zone 48N"
    double originEasting = 0;  ///< metres in `crs`
    double originNorthing = 0; ///< metres in `crs`

    Vec2 toLocal(double easting, double northing) const {
        return {easting - originEasting, northing - originNorthing};
    }
    Vec2 toProjected(Vec2 local) const {
        return {local.x + originEasting, local.y + originNorthing};
    }
};

/// Where a building's height came from, in the order the manifest's rule tries them.
enum class HeightSource { HeightAttribute, Levels, Default, Planned };

/// A named area: the park boundary, an industrial plot, the province.
struct Area {
    std::string id;    ///< feature id in its layer (OSM id where there is one)
    std::string name;  ///< may be empty; UTF-8
    std::string kind;  ///< "industrial", "boundary", "province", ...
    std::string layer; ///< manifest name of the layer it came from
    std::vector<Polygon> parts;
};

struct Building {
    std::string id;
    std::string name;
    std::string use; ///< "industrial", "office", "warehouse", ...; free text from the layer
    Polygon footprint;
    double height_m = 0;        ///< roof above base
    double baseElevation_m = 0; ///< ground height under the footprint centroid, DEM datum
    HeightSource heightSource = HeightSource::Default;
    bool planned = false;
    std::string note; ///< assumptions written beside a planned feature
};

struct Road {
    std::string id;
    std::string name;
    std::string roadClass; ///< OSM highway value or the planned class
    std::vector<Vec2> line;
    bool oneway = false;
    bool planned = false;
    std::string note;
};

/// A stack (point source). Emission rates belong to the scenario, not to the park.
struct Stack {
    std::string id;
    std::string name;
    Vec2 position;
    double baseElevation_m = 0;   ///< ground height at the stack, DEM datum
    double height_m = 0;          ///< release height above its base
    double diameter_m = 0;        ///< inside diameter at the top
    double exitVelocity_ms = 0;   ///< gas exit velocity
    double exitTemperature_K = 0; ///< gas exit temperature
    bool planned = false;
    std::string note;
};

struct Sensor {
    std::string id;
    std::string name;
    Vec2 position;
    double height_m = 3; ///< inlet above ground
    std::vector<std::string> parameters;
};

/// A place where people are most exposed to the air: a school, a hospital, a residential area.
/// Concentrations are computed at it beside the receptor grid and compared with the limits.
struct SensitiveSite {
    std::string id;
    std::string name;
    std::string kind;  ///< "school", "hospital", "residential", ...; from the layer or scenario
    std::string layer; ///< manifest layer it came from, or "scenario"
    Vec2 position;     ///< the point, or a point inside the area, local frame
};

/// Counts gathered while importing, for the report and the log.
struct ImportStats {
    int buildingsWithHeight = 0;
    int buildingsWithLevels = 0;
    int buildingsWithDefault = 0;
    int skippedFeatures = 0; ///< broken or unusable geometries, each logged with its id
};

struct ParkModel {
    std::string name;
    std::string sourceFile; ///< the manifest it came from
    LocalFrame frame;
    UtcOffset timeZone{420};
    Box2 extent; ///< the modelling extent in the local frame (park boundary plus margin)

    std::vector<Area> boundary; ///< the park's own polygons
    std::vector<Area> areas;    ///< context areas: other plots, the province
    std::vector<Building> buildings;
    std::vector<Road> roads;
    std::vector<Stack> stacks;
    std::vector<Sensor> sensors;
    std::vector<SensitiveSite> sensitiveSites;
    TerrainGrid terrain;
    ImportStats stats;
    std::vector<std::string> attributions; ///< data credits the licences ask for

    const Stack* findStack(const std::string& id) const {
        for (const Stack& s : stacks)
            if (s.id == id)
                return &s;
        return nullptr;
    }
};

} // namespace parktwin
