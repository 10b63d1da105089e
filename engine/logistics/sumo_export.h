#pragma once
// The road graph and a simulated day in SUMO's plain XML, so the same network and demand can
// be run microscopically (netconvert, then sumo) and compared.

#include <filesystem>
#include <string>

#include "engine/logistics/des.h"
#include "engine/logistics/road_graph.h"

namespace parktwin::logistics {

/// SUMO edge id of a link: its road's id, with a leading '-' when it runs against the road's
/// drawing (SUMO's own convention for the reverse direction of an OSM way).
std::string sumoEdgeId(const RoadGraph& graph, int link);

/// Writes `stem`.nod.xml (every node, unregulated) and `stem`.edg.xml (every link, one lane
/// per direction, its truck speed) into `dir`. Throws Error when a file cannot be written.
void writeSumoPlainNetwork(const RoadGraph& graph, const std::filesystem::path& dir,
                           const std::string& stem);

/// Writes the trucks of a finished simulation as a SUMO route file: one vehicle per truck,
/// departing at its arrival time at full speed on the route to its dock, stopping there
/// (off the lane, at the end of the link into the dock) for its service time, and driving on to its
/// exit. The vehicle type is a truck at `maxSpeed_ms` with SUMO's speed deviation and driver
/// imperfection set to 0.
void writeSumoRoutes(const Simulation& sim, const std::filesystem::path& file,
                     double maxSpeed_ms);

} // namespace parktwin::logistics
