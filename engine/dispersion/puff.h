#pragma once
// Gaussian puff model for transient releases (an incident that starts and stops), carried by
// a wind that changes with each meteorological sample, after the puff formulation of INPUFF
// (Petersen and Lavdas 1986, EPA-600/8-86/024) with the sigma curves of the ISC3 plume model.

#include <chrono>
#include <span>
#include <string>
#include <vector>

#include "engine/core/geometry.h"
#include "engine/core/met.h"
#include "engine/core/park.h"
#include "engine/core/time.h"
#include "engine/dispersion/plume.h"

namespace parktwin::dispersion {

/// A release at a constant rate between two instants.
struct PuffRelease {
    std::string id;
    Vec2 position; ///< local frame, metres
    double baseElevation_m = 0;
    double releaseHeight_m = 0; ///< above the base; puffs travel at this height
    double initialSigmaY_m = 0; ///< initial spread of each puff (0 for a point release)
    double initialSigmaZ_m = 0;
    double emissionRate_gs = 0;
    UtcTime start;
    UtcTime stop; ///< after start
};

struct PuffOptions {
    LandUse landUse = LandUse::Rural;
    bool terrain = true;               ///< ISC simple terrain, as the plume model applies it
    double decayCoefficient_per_s = 0; ///< first-order loss of puff mass
    /// A puff leaves the source every this many seconds. Puffs must overlap along the wind
    /// (spacing u dt below the along-wind sigma at the receptors of interest) for the series
    /// of puffs to look like a continuous plume.
    double releaseInterval_s = 10;
};

/// Concentrations sampled at fixed instants: value(t, r) in µg/m³.
struct PuffSamples {
    std::vector<UtcTime> times;
    std::size_t receptorCount = 0;
    std::vector<double> values_ugm3; ///< times.size() x receptorCount, one row per time

    double value(std::size_t time, std::size_t receptor) const {
        return values_ugm3[time * receptorCount + receptor];
    }
};

/// The park's sensors as receptors, in the park's order: each at its inlet height above the
/// terrain under it, so a puff run samples what the monitors would have measured.
std::vector<Receptor> sensorReceptors(const ParkModel& park);

/// Runs the releases through the meteorology and samples instantaneous concentrations at the
/// receptors at `first`, first + every, ... up to `last`.
///
/// `met` holds samples in strictly increasing time: each is valid from its `start` until the
/// next one's start, the last for one hour. They may be an hour apart or closer. The model
/// starts at met.front().start, so every release must start on or after it, and `last` must
/// lie within the last sample. Calm samples (zero wind) hold the puffs still.
/// Throws Error for samples out of order, non-finite or negative values, a release that
/// stops before it starts, or sample times outside the meteorology.
PuffSamples runPuffModel(std::span<const PuffRelease> releases, std::span<const MetHour> met,
                         std::span<const Receptor> receptors, UtcTime first, UtcTime last,
                         std::chrono::seconds every, const PuffOptions& options);

} // namespace parktwin::dispersion
