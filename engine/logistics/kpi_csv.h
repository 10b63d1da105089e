#pragma once
// The KPIs of a logistics run as CSV files beside the results store.

#include <filesystem>

#include "engine/core/time.h"
#include "engine/logistics/des.h"

namespace parktwin::logistics {

/// Writes logistics_kpis.csv (key,value), logistics_throughput.csv (hour_start_utc,trucks),
/// logistics_queues.csv (time_utc,place,trucks,length_m,spill_back_m) and
/// logistics_docks.csv into `dir`. Throws Error naming the file when it cannot be written.
void writeKpiCsv(const Simulation& sim, UtcTime start, const std::filesystem::path& dir);

} // namespace parktwin::logistics
