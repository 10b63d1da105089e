#pragma once
// The tracks the viewer's trucks follow, recorded from a truck simulation.

#include "engine/core/time.h"
#include "engine/logistics/des.h"
#include "viewer/view_content.h"

#include <vector>

namespace parktwin::viewer {

/// Runs a copy of `sim` (as set up, or from a saved state) to its end and records each truck
/// every `step_s` seconds of simulated time from its arrival until it leaves the park: its
/// point on the road while it drives; while it waits at its gate, its place in the gate's line
/// (the k-th waiting truck in order of arrival k truck spacings outside the gate, on the
/// straight line opposite the first road from the gate into the park); while it checks in, the
/// gate, one 3.5 m lane across that line per truck checking in before it; its place in the
/// dock's queue (Simulation::trucksQueued) while it waits there; the dock's node while it is
/// served; and otherwise (held behind a queue) the point it last drove to. A gate with no road
/// from it keeps its trucks on its node. Simulated time zero is `start`. Tracks are indexed as
/// the simulation's trucks and named "truck-<n>" from 1. Throws Error unless step_s is
/// positive.
std::vector<TruckTrack> recordTruckTracks(logistics::Simulation sim, UtcTime start,
                                          double step_s = 10);

} // namespace parktwin::viewer
