#pragma once
// The park as incident rankings need it (stacks, sensors, where the sun is), from the path a
// user gives: a park manifest, a folder holding park.toml, or a scenario naming its park.

#include <filesystem>
#include <string>

#include "engine/sensors/incident_ranker.h"

namespace parktwin::app {

/// The park manifest behind `path`: the path itself when it is a manifest, `path/park.toml`
/// for a folder, the scenario's park for a scenario file. Throws InputError naming the path
/// when none can be found.
std::filesystem::path parkManifestOf(const std::filesystem::path& path);

/// Loads the park behind `path` (see parkManifestOf) and the longitude and latitude of its
/// centre; throws InputError naming the file when the park cannot be loaded.
sensors::RankingPark loadRankingPark(const std::filesystem::path& path);

/// How an ingest ranks its incidents' sources: over the park behind `park` (none when empty,
/// which is logged: incidents are then stored with the reason they have no ranking), with
/// the wind of `metStation` (every station when empty), `leadInHours` of readings before each
/// incident, and a growing incident ranked again at most every `rankInterval_s`.
sensors::RankerOptions rankerOptions(const std::filesystem::path& park,
                                     const std::string& metStation, double leadInHours,
                                     double rankInterval_s);

} // namespace parktwin::app
