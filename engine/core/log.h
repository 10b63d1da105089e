#pragma once
// One logger for the whole program; every message carries a component tag such as
// "[dispersion]" or "[gis]".

#include <spdlog/spdlog.h>

namespace parktwin::log {

enum class Level { Debug, Info, Warn, Error, Quiet };

/// Sets the level of every component logger.
void setLevel(Level level);

/// The logger of a component; created on first use, shared afterwards.
spdlog::logger& get(const char* component);

} // namespace parktwin::log
