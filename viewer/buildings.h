#pragma once
// Buildings extruded from their footprints, and roads draped on the ground.

#include "engine/core/park.h"

#include <osg/Node>
#include <osg/Vec4>
#include <osg/ref_ptr>
#include <string>
#include <vector>

namespace parktwin::viewer {

/// Wall and roof colour of a building by its use; planned buildings get a lighter, bluish
/// tint so a planner tells proposals from what stands.
osg::Vec4 buildingColour(const std::string& use, bool planned);

/// Lit buildings: walls from the lowest ground under the footprint to baseElevation_m +
/// height_m, and flat roofs (concave footprints and holes tessellated).
osg::ref_ptr<osg::Node> buildBuildings(const std::vector<Building>& buildings,
                                       const TerrainGrid& terrain);

/// Roads as unlit lines `lift_m` above the ground; planned roads in orange.
osg::ref_ptr<osg::Node> buildRoads(const std::vector<Road>& roads, const TerrainGrid& terrain,
                                   double lift_m);

} // namespace parktwin::viewer
