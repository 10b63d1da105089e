#pragma once
// The park's road layers as a truck road network: OSM highway lines (and the closed highway
// ways GDAL files under multipolygons), their barriers and motorway junctions.

#include "engine/core/park.h"
#include "engine/logistics/road_graph.h"
#include "gis/park_manifest.h"

namespace parktwin::gis {

struct RoadNetworkData {
    std::vector<logistics::RoadLine> roads;
    std::vector<logistics::RoadPoint> points;
};

/// Reads every `roads` layer of the manifest into the park's local frame (`park` supplies the
/// frame, as loadPark built it). For OSM files read through their `lines` layer it also reads
/// (a) closed highway ways, which GDAL's OSM driver files under `multipolygons` although OSM
/// treats a closed highway without area=yes as a ring road, and (b) the `points` layer's
/// barriers and motorway junctions. Tags read: highway (or the layer's class attribute),
/// oneway, maxspeed, lanes, access/vehicle/motor_vehicle/goods/hgv, barrier, name.
/// Throws InputError naming the file and feature when a layer cannot be read.
RoadNetworkData readRoadNetwork(const ParkManifest& manifest, const ParkModel& park);

} // namespace parktwin::gis
