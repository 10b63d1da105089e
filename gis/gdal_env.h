#pragma once
// Process-wide GDAL set-up: drivers registered once, GDAL's own messages routed to the "gis"
// logger, and the last failure kept so that readers can put it into an InputError.

#include <string>

namespace parktwin::gis {

/// Registers every GDAL/OGR driver (once per process) and installs the message handler.
/// Safe to call from any reader before it touches GDAL; returns nothing.
void ensureGdal();

/// The most recent CE_Failure/CE_Fatal message GDAL raised on this thread since the last
/// call, then clears it; empty when there was none.
std::string takeGdalError();

/// Forgets any failure message left on this thread, so that the next takeGdalError() only
/// reports what a following GDAL call raised.
void clearGdalError();

} // namespace parktwin::gis
