#pragma once
// Runs a scenario's hours through the dispersion engine and accumulates the results.

#include <functional>
#include <optional>
#include <vector>

#include "engine/core/met.h"
#include "engine/core/park.h"
#include "engine/core/raster.h"
#include "engine/dispersion/volume_area.h"
#include "engine/logistics/emissions.h"
#include "engine/scenario/scenario.h"

namespace parktwin::scenario {

struct HourResult {
    UtcTime start;
    MetHour met;
    bool metMissing = false; ///< the met series had no usable record for this hour
    double max_ugm3 = 0;     ///< highest ground-level concentration this hour; NaN without met
    Vec2 maxAt;              ///< where, local frame
    double trafficAtMax_ugm3 = 0; ///< the hour-varying traffic sources' part of max_ugm3
};

/// What the hour-varying traffic sources of RunOptions::traffic released and gave.
struct TrafficResult {
    std::vector<double> roadGrams; ///< per hour of the run: grams released along road links
    std::vector<double> idleGrams; ///< per hour: grams released idling at gates and docks
    std::vector<double> hourMax_ugm3; ///< per hour: traffic alone, highest over the grid
    double outsideGrams = 0;       ///< grams of source hours outside the run's period
    int links = 0;                 ///< distinct road links, each a string of volume sources
    int linkVolumes = 0;           ///< volume sources standing for those links
    RasterGrid periodMax;          ///< traffic alone: highest 1-hour value at each receptor
    RasterGrid periodMean;         ///< traffic alone: mean over the hours with met
    double max_ugm3 = 0;           ///< traffic alone: highest 1-hour value anywhere
    int maxHour = -1;
    Vec2 maxAt;
    /// The scenario's own sources (stacks and line sources) without the traffic: highest
    /// 1-hour value anywhere, for comparison with max_ugm3.
    double othersMax_ugm3 = 0;

    /// Grams released inside the run's period, roads and idling together.
    double totalGrams() const;
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
    std::optional<TrafficResult> traffic; ///< present when RunOptions::traffic was given
};

struct RunOptions {
    bool keepHourly = true;
    int threads = 0; ///< 0: one per core
    /// Called after each hour with (hours done, hours in all); from worker threads, serialised.
    std::function<void(int, int)> progress;
    /// Sources whose rates change from hour to hour (a truck simulation's traffic on road
    /// links and idling at gates and docks, logistics::hourlySources), their `hour` counted
    /// from the scenario's start; each is dispersed in its hour beside the scenario's own
    /// sources. Lines with the same id must be the same road: each becomes its string of
    /// volume sources once and only the rate changes. Base elevations come from the terrain.
    /// Hours outside the period are not dispersed (TrafficResult::outsideGrams). Nothing
    /// given: no traffic part in the result.
    std::optional<std::vector<logistics::HourlySources>> traffic;
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
/// take no part in the period grids; calm hours give zero. Throws Error when two traffic
/// lines share an id but not a centreline, or a traffic source is invalid.
RunResult runScenario(const Scenario& scenario, const ParkModel& park, const MetSeries& met,
                      const RunOptions& options = {});

} // namespace parktwin::scenario
