#pragma once
// The tracks the viewer's trucks follow, recorded from a truck simulation.

#include "engine/core/time.h"
#include "engine/logistics/des.h"
#include "viewer/view_content.h"

#include <vector>

namespace parktwin::viewer {

/// Runs a copy of `sim` (as set up, or from a saved state) to its end and records each truck
/// every `step_s` seconds of simulated time from its arrival until it leaves the park: its
/// point on the road while it drives, its gate's node while it queues or checks in there, its
/// place in the dock's queue (Simulation::trucksQueued) while it waits there, the dock's node
/// while it is served, and otherwise (held behind a queue) the point it last drove to. Simulated time zero is `start`. Tracks are indexed as the
/// simulation's trucks and named "truck-<n>" from 1. Throws Error unless step_s is positive.
std::vector<TruckTrack> recordTruckTracks(logistics::Simulation sim, UtcTime start,
                                          double step_s = 10);

} // namespace parktwin::viewer
