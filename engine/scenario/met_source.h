#pragma once
// Reads the hourly meteorology a scenario names, for the scenario's period.

#include "engine/core/met.h"
#include "engine/scenario/scenario.h"

namespace parktwin::scenario {

/// The met hours of the scenario's period from the file its [met] table names, in the format
/// it declares. Throws InputError naming the file and line of bad records.
MetSeries loadMet(const Scenario& scenario);

} // namespace parktwin::scenario
