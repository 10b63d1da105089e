#pragma once
// Source attribution for an incident: which of the park's sources explains the readings at the
// sensors, and at what emission rate. Each source's modelled concentration at each sensor and
// sample time, per unit emission (µg/m³ per g/s), is a column; the readings are the target; the
// rates (and a uniform background) are fitted by non-negative least squares.

#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "engine/core/met.h"
#include "engine/core/time.h"
#include "engine/dispersion/plume.h"
#include "engine/dispersion/puff.h"

namespace parktwin::sensors {

/// One reading used in the fit.
struct AttributionSample {
    std::size_t sensor = 0;  ///< index into the sensors' receptors
    UtcTime time;            ///< when the reading was taken (UTC)
    double observed_ugm3 = 0;
};

struct AttributionProblem {
    std::vector<std::string> sourceIds;
    std::vector<AttributionSample> samples;
    /// unitModel[s][k]: source s's modelled concentration for sample k at 1 g/s, µg/m³.
    std::vector<std::vector<double>> unitModel;
    bool fitBackground = true; ///< fit a constant background level beside the sources
};

struct SourceAttribution {
    std::string sourceId;
    double rate_gs = 0; ///< fitted emission rate
    /// Part of the fitted source signal (all samples, background excluded) that is this
    /// source's, 0..1. Sources are ranked by it.
    double share = 0;
    /// Drop in the fit's explained variance (R²) when this source is left out and the rest is
    /// refitted: how much the readings need this source, 0..1.
    double score = 0;
};

struct Attribution {
    std::vector<SourceAttribution> ranked; ///< largest share first
    double background_ugm3 = 0;
    double r2 = 0;            ///< coefficient of determination of the full fit
    std::size_t samples = 0;
};

/// Fits the rates and ranks the sources. Throws parktwin::Error when the problem is malformed
/// (sizes disagree, no samples, non-finite values).
Attribution attributeSources(const AttributionProblem& problem);

/// Unit-emission columns from the hourly plume model: for each source (its emission rate is
/// ignored and taken as 1 g/s) and sample, the concentration at the sample's sensor in the met
/// hour that holds the sample time. Samples in hours without met get 0 and are counted in
/// `samplesWithoutMet` when given.
std::vector<std::vector<double>>
plumeUnitContributions(std::span<const dispersion::PointSource> sources, const MetSeries& met,
                       std::span<const dispersion::Receptor> sensors,
                       std::span<const AttributionSample> samples,
                       const dispersion::PlumeOptions& options,
                       std::size_t* samplesWithoutMet = nullptr);

/// Unit-emission columns from the puff model, for incidents whose wind changes faster than
/// the plume's steady state allows: each release (its rate is ignored and taken as 1 g/s,
/// its start and stop are kept) is run through `met`, sampled at the sensors every `step`,
/// and each reading takes the value interpolated linearly in time between the two samples
/// around it. Throws parktwin::Error when a reading lies outside the meteorology.
std::vector<std::vector<double>>
puffUnitContributions(std::span<const dispersion::PuffRelease> releases,
                      std::span<const MetHour> met, std::span<const dispersion::Receptor> sensors,
                      std::span<const AttributionSample> samples,
                      const dispersion::PuffOptions& options,
                      std::chrono::seconds step = std::chrono::minutes(5));

} // namespace parktwin::sensors
