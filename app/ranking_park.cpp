#include "app/ranking_park.h"

#include <cmath>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/core/toml_reader.h"
#include "engine/scenario/scenario.h"
#include "gis/park_loader.h"
#include "gis/spatial_ref.h"

namespace parktwin::app {

std::filesystem::path parkManifestOf(const std::filesystem::path& path) {
    namespace fs = std::filesystem;
    if (fs::is_directory(path)) {
        const fs::path manifest = path / "park.toml";
        if (!fs::is_regular_file(manifest))
            throw InputError(path.string(), "", "a park folder must hold park.toml");
        return manifest;
    }
    // A scenario has a [scenario] table naming its park; a manifest has none.
    const toml::table root = tomlin::parseFile(path);
    if (root.contains("scenario"))
        return scenario::scenarioParkPath(path);
    return path;
}

sensors::RankingPark loadRankingPark(const std::filesystem::path& path) {
    const std::filesystem::path manifest = parkManifestOf(path);
    const ParkModel park = gis::loadPark(manifest);

    // The sun's elevation, for the stability of each hour, at the park centre.
    const OGRSpatialReference local = gis::parseCrs(park.frame.crs, manifest.string(), "crs");
    auto toWgs84 = gis::makeTransform(local, gis::wgs84(), manifest.string());
    const Vec2 centre = park.frame.toProjected({0, 0});
    double lon = centre.x, lat = centre.y;
    if (!toWgs84->Transform(1, &lon, &lat))
        throw InputError(manifest.string(), "crs",
                         "cannot transform the park centre to longitude/latitude");

    sensors::RankingPark out = sensors::rankingPark(park, lat, lon);
    log::get("attribution")
        .info("incidents will be ranked over the {} stack(s) of {} at its {} sensor(s)",
              out.stacks.size(), park.name, out.sensors.size());
    if (out.stacks.empty() || out.sensors.empty())
        log::get("attribution")
            .warn("{}: the park has {} stack(s) and {} sensor(s); incidents will be stored "
                  "without a ranking",
                  manifest.string(), out.stacks.size(), out.sensors.size());
    return out;
}

sensors::RankerOptions rankerOptions(const std::filesystem::path& park,
                                     const std::string& metStation, double leadInHours,
                                     double rankInterval_s) {
    sensors::RankerOptions options;
    if (!park.empty())
        options.park = loadRankingPark(park);
    else
        log::get("attribution")
            .warn("no --park: incidents are stored without a ranking of their sources");
    options.ranking.metStation = metStation;
    options.ranking.leadIn = std::chrono::seconds(std::llround(leadInHours * 3600.0));
    options.minInterval = std::chrono::milliseconds(std::llround(rankInterval_s * 1000.0));
    return options;
}

} // namespace parktwin::app
