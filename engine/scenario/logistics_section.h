#pragma once
// Reading the [logistics] section of a scenario file.

#include "engine/core/toml_reader.h"
#include "engine/logistics/logistics_spec.h"

namespace parktwin::scenario {

/// Reads [logistics] with its [[logistics.gates]] and [[logistics.docks]]. Throws InputError
/// naming the file and key for unknown keys, wrong types and impossible values.
logistics::LogisticsSpec readLogisticsSection(tomlin::TableReader& section);

} // namespace parktwin::scenario
