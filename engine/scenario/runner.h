#pragma once
// Runs a scenario's hours through the dispersion engine and accumulates the results.

#include <functional>
#include <vector>

#include "engine/core/met.h"
#include "engine/core/park.h"
#include "engine/core/raster.h"
#include "engine/dispersion/volume_area.h"
#include "engine/scenario/scenario.h"

namespace parktwin::scenario {

struct HourResult {
    UtcTime start;
    MetHour met;
    bool metMissing = false; ///< the met series had no usable record for this hour
    double max_ugm3 = 0;     ///< highest ground-level concentration this hour; NaN without met
    Vec2 maxAt;              ///< where, local frame
};

struct RunResult {
    RasterGrid grid;               ///< receptor layout (values unused)
    std::vector<RasterGrid> hourly; ///< µg/m³ per hour; empty unless RunOptions::keepHourly
    RasterGrid periodMax;          ///< highest 1-hour value at each receptor, µg/m³
    RasterGrid periodMean;         ///< mean over the hours with met (calms count as zero)
    std::vector<HourResult> hours;
    std::vector<dispersion::PointSource> sources; ///< as modelled, base emission rates
    /// The line sources' volumes as modelled, base emission rates, in scenario order.
    std::vector<dispersion::VolumeSource> lineVolumes;
    std::vector<SensitiveSite> sites;              ///< sensitive receptors inside the grid
    /// µg/m³ at each site (outer index) for each hour (inner); NaN for hours without met.
    std::vector<std::vector<double>> siteHourly;
    double overallMax_ugm3 = 0;
    int overallMaxHour = -1;
    Vec2 overallMaxAt;
    int calmHours = 0;
    int missingHours = 0;
};

struct RunOptions {
    bool keepHourly = true;
    int threads = 0; ///< 0: one per core
    /// Called after each hour with (hours done, hours in all); from worker threads, serialised.
    std::function<void(int, int)> progress;
};

/// Most receptors a grid may hold (a 2,000 x 2,000 lattice; 32 MB per stored hour).
constexpr int kMaxReceptors = 4'000'000;

/// Receptor grid over the modelling extent at the scenario's spacing; values hold the
/// terrain elevation of each receptor, metres. Throws InputError naming the scenario's
/// receptors.spacing_m when the grid would exceed kMaxReceptors.
RasterGrid receptorGrid(const Scenario& scenario, const ParkModel& park);

/// Runs every hour of the scenario. Hours the met series lacks are counted as missing: their
/// grids are NaN (nodata) and they take no part in the period grids; calm hours give zero.
/// Throws InputError when a source names an unknown stack or a line source an unknown road.
/// The scenario's sources as modelled: park stacks with the scenario's overrides (height,
/// diameter, exit velocity and temperature) and new stacks placed where the scenario says.
/// Throws InputError naming the scenario line when a source names an unknown stack without
/// giving a position and all four parameters.
std::vector<dispersion::PointSource> modelledSources(const Scenario& scenario,
                                                     const ParkModel& park);

/// Runs every hour of the scenario over the receptor grid and, beside it, the sensitive sites.
/// Hours the met series lacks are counted as missing: their grids are NaN (nodata) and they
/// take no part in the period grids; calm hours give zero.
RunResult runScenario(const Scenario& scenario, const ParkModel& park, const MetSeries& met,
                      const RunOptions& options = {});

} // namespace parktwin::scenario
