#pragma once
// From a scenario's [logistics] section to a simulation set-up on the park's road graph.

#include "engine/core/park.h"
#include "engine/logistics/des.h"
#include "engine/logistics/logistics_spec.h"

namespace parktwin::logistics {

/// Places gates and docks on the graph and fills in the demand. `arrivals_s` is the length of
/// the scenario period, `dayStart_s` its start in seconds after local midnight. Throws
/// InputError naming the scenario file and the gate or dock whose reference is not found.
SimConfig buildSimConfig(const LogisticsSpec& spec, const ParkModel& park,
                         const RoadGraph& graph, double arrivals_s, double dayStart_s);

} // namespace parktwin::logistics
