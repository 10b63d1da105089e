#include "gis/road_reader.h"

#include <algorithm>
#include <cstdlib>
#include <iterator>

#include <ogr_geometry.h>

#include "engine/core/log.h"
#include "gis/feature_reader.h"
#include "gis/gdal_env.h"
#include "gis/spatial_ref.h"

namespace parktwin::gis {
namespace {

using logistics::RoadLine;
using logistics::RoadPoint;
using logistics::TruckAccess;

bool isOsmFile(const LayerSpec& spec) {
    const std::string name = spec.file.filename().string();
    auto endsWith = [&](const std::string& tail) {
        return name.size() >= tail.size() && name.compare(name.size() - tail.size(),
                                                          tail.size(), tail) == 0;
    };
    return endsWith(".osm") || endsWith(".pbf") || endsWith(".osm.bz2");
}

void appendLine(const OGRLineString& line, const LocalFrame& frame, std::vector<Vec2>& out) {
    for (int k = 0; k < line.getNumPoints(); ++k)
        out.push_back(frame.toLocal(line.getX(k), line.getY(k)));
}

// The lines of a geometry: line strings as they are, polygon rings as closed lines.
std::vector<std::vector<Vec2>> linesOf(const OGRGeometry& g, const LocalFrame& frame) {
    std::vector<std::vector<Vec2>> lines;
    switch (wkbFlatten(g.getGeometryType())) {
    case wkbLineString:
    case wkbLinearRing:
        lines.emplace_back();
        appendLine(*g.toLineString(), frame, lines.back());
        break;
    case wkbPolygon:
        if (const OGRLinearRing* ring = g.toPolygon()->getExteriorRing()) {
            lines.emplace_back();
            appendLine(*ring, frame, lines.back());
        }
        break;
    case wkbMultiLineString:
    case wkbMultiPolygon:
    case wkbGeometryCollection:
        for (const OGRGeometry* member : *g.toGeometryCollection())
            for (auto& line : linesOf(*member, frame))
                lines.push_back(std::move(line));
        break;
    default:
        break;
    }
    return lines;
}

RoadLine roadFrom(const LayerSpec& spec, const Feature& f, std::vector<Vec2> line,
                  const std::string& id) {
    RoadLine r;
    r.id = id;
    r.name = f.attribute(spec.nameAttribute).value_or("");
    r.highway = f.attribute(spec.classAttribute).value_or("");
    r.line = std::move(line);
    r.oneway = logistics::parseOneWay(f.attribute(spec.onewayAttribute).value_or(""));
    // A roundabout is one-way in its drawing direction (OSM wiki, Tag:junction=roundabout).
    if (f.attribute("junction").value_or("") == "roundabout" && r.oneway == logistics::OneWay::No)
        r.oneway = logistics::OneWay::Forward;
    if (auto speed = f.attribute("maxspeed"))
        r.maxspeed_kmh = logistics::parseMaxspeed_kmh(*speed);
    if (auto lanes = f.attribute("lanes"))
        r.lanes = std::max(0, std::atoi(lanes->c_str()));
    r.access = logistics::truckAccess(f.attributes, TruckAccess::Yes);
    return r;
}

void addRoads(const LayerSpec& spec, const LayerFeatures& read, const LocalFrame& frame,
              std::vector<RoadLine>& roads) {
    for (const Feature& f : read.features) {
        auto lines = linesOf(*f.geometry, frame);
        for (size_t k = 0; k < lines.size(); ++k) {
            const std::string id = lines.size() > 1 ? f.id + "#" + std::to_string(k + 1) : f.id;
            roads.push_back(roadFrom(spec, f, std::move(lines[k]), id));
        }
    }
}

// GDAL's OSM driver files a closed way under multipolygons when it has area=yes (a paved
// yard drawn as an area: not a road) or a key of osmconf.ini's closed_ways_are_polygons list
// (a fuel station's forecourt loop tagged amenity=fuel: a road). The driver drops the area
// tag, so the second kind is told apart by the presence of one of those keys.
bool closedWayIsRoad(const Feature& f) {
    static const char* const polygonKeys[] = {
        "aeroway", "amenity", "boundary", "building", "craft",    "geological", "historic",
        "landuse", "leisure", "military", "natural", "office",   "place",      "shop",
        "sport",   "tourism"};
    return std::any_of(std::begin(polygonKeys), std::end(polygonKeys),
                       [&](const char* key) { return f.attribute(key).has_value(); });
}

void addClosedHighways(const LayerSpec& roadsSpec, const OGRSpatialReference& target,
                       const LocalFrame& frame, std::vector<RoadLine>& roads) {
    LayerSpec spec = roadsSpec;
    spec.ogrLayer = "multipolygons";
    spec.where = "osm_way_id IS NOT NULL AND other_tags LIKE '%\"" + roadsSpec.classAttribute +
                 "\"=>%'";
    LayerFeatures read = readFeatures(spec, target);
    std::erase_if(read.features, [&](const Feature& f) {
        return !f.attribute(spec.classAttribute) || !closedWayIsRoad(f);
    });
    addRoads(spec, read, frame, roads);
    log::get("gis").info("{}: {} closed highway ways read from multipolygons",
                         spec.file.string(), read.features.size());
}

void addPoints(const LayerSpec& roadsSpec, const OGRSpatialReference& target,
               const LocalFrame& frame, std::vector<RoadPoint>& points) {
    LayerSpec spec = roadsSpec;
    spec.ogrLayer = "points";
    spec.where = "barrier IS NOT NULL OR highway = 'motorway_junction'";
    const LayerFeatures read = readFeatures(spec, target);
    for (const Feature& f : read.features) {
        const OGRPoint* p = wkbFlatten(f.geometry->getGeometryType()) == wkbPoint
                                ? f.geometry->toPoint()
                                : nullptr;
        if (!p)
            continue;
        RoadPoint pt;
        pt.id = f.id;
        pt.name = f.attribute("name").value_or("");
        pt.position = frame.toLocal(p->getX(), p->getY());
        if (auto barrier = f.attribute("barrier")) {
            pt.barrier = true;
            pt.kind = *barrier;
            pt.access = logistics::truckAccess(f.attributes,
                                               logistics::barrierDefaultAccess(*barrier));
        } else {
            pt.kind = "motorway_junction";
        }
        points.push_back(std::move(pt));
    }
}

} // namespace

RoadNetworkData readRoadNetwork(const ParkManifest& manifest, const ParkModel& park) {
    ensureGdal();
    const OGRSpatialReference target = parseCrs(park.frame.crs, manifest.path.string(), "crs");
    RoadNetworkData data;
    for (const LayerSpec& spec : manifest.layers) {
        if (spec.role != LayerRole::Roads)
            continue;
        addRoads(spec, readFeatures(spec, target), park.frame, data.roads);
        if (isOsmFile(spec) && spec.ogrLayer == "lines") {
            addClosedHighways(spec, target, park.frame, data.roads);
            addPoints(spec, target, park.frame, data.points);
        }
    }
    return data;
}

} // namespace parktwin::gis
