#pragma once
// Files in, park model out: reads a park manifest (park.toml) and every layer it names.

#include <filesystem>

#include "engine/core/park.h"

namespace parktwin::gis {

/// Loads the park described by the manifest at `manifest` (paths inside it are relative to
/// its folder). Returns the park in its local frame (metres from the centre of the boundary's
/// bounding box, in the manifest's projected CRS), with terrain, buildings, roads, stacks,
/// sensors, areas, import counts and attributions. Throws InputError naming the file and the
/// key or feature when any input is missing, unreadable or inconsistent.
ParkModel loadPark(const std::filesystem::path& manifest);

} // namespace parktwin::gis
