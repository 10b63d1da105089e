#pragma once
// What the viewer draws: a park as the engine holds it, concentration grids over it, and the
// things that move or change with time (sensor readings, trucks, incidents), each a list that
// the feature producing it fills in.

#include "engine/core/met.h"
#include "engine/core/park.h"
#include "engine/core/raster.h"
#include "engine/core/thresholds.h"
#include "engine/core/time.h"
#include "engine/dispersion/plume.h"
#include "engine/logistics/emissions.h"
#include "engine/scenario/compliance.h"
#include "engine/scenario/scenario.h"

#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace parktwin::viewer {

/// A value at an instant (a reading, or a modelled value for the hour starting then).
struct TimedValue {
    UtcTime time;
    double value = 0;
};

/// A monitoring point drawn as a marker coloured by its latest reading against its limit.
struct SensorMarker {
    std::string id;
    std::string name;
    Vec2 position;              ///< local frame, metres
    double height_m = 3;        ///< inlet above ground
    std::string parameter;      ///< the parameter shown, e.g. "SO2"
    std::string unit = "µg/m³"; ///< unit of readings, modelled values and limit
    double limit = std::numeric_limits<double>::quiet_NaN(); ///< NaN: no limit known
    std::vector<TimedValue> readings; ///< measured, ascending time
    std::vector<TimedValue> modelled; ///< the model at the sensor, one per hour, ascending
};

/// Where a truck is at a series of instants; drawn moving linearly between samples and
/// hidden outside [first, last].
struct TruckTrack {
    std::string id;
    struct Sample {
        UtcTime time;
        Vec2 position; ///< local frame, metres
    };
    std::vector<Sample> samples; ///< ascending time
};

/// An exceedance or alarm to list and jump to.
struct Incident {
    std::string id;
    UtcTime start;
    UtcTime end;
    std::string sensorId; ///< SensorMarker::id it concerns; may be empty
    std::string parameter;
    double peak = 0;  ///< highest value during the incident, in the sensor's unit
    double limit = 0; ///< the limit it exceeded
    std::string description;
    /// The park's sources ranked by attribution, best first; empty when not ranked.
    struct Source {
        int rank = 0;
        std::string id;
        double rate_gs = 0; ///< fitted emission rate
        double share = 0;   ///< of the fitted source signal, 0..1
        double score = 0;   ///< drop in R² without it
    };
    std::vector<Source> sources;
    std::string ranking; ///< how the ranking was made (fit, window), or why there is none
    bool inPeriod = true; ///< overlaps the period shown: choosing it moves the timeline there
};

/// A what-if run on the same receptor grid as the baseline: its grids replace the baseline's
/// when chosen.
struct Variant {
    std::string name;               ///< e.g. "sinter stack at 120 m"
    std::vector<RasterGrid> hourly; ///< µg/m³, one per hour of ViewContent::hours
    RasterGrid periodMax;           ///< may be empty
    /// Its point sources as modelled and their hourly factors (see ViewContent::sources);
    /// empty: the baseline's.
    std::vector<dispersion::PointSource> sources;
    std::vector<std::vector<double>> sourceFactors;
};

/// Everything one viewer session shows. The viewer never owns the park; it must outlive the
/// session. Grids are ground-level concentrations in µg/m³ on the park-local frame.
struct ViewContent {
    const ParkModel* park = nullptr;
    std::string pollutant;          ///< e.g. "SO2", shown in the panel
    std::vector<UtcTime> hours;     ///< start of each hour in `hourly`, UTC
    std::vector<RasterGrid> hourly; ///< one grid per hour; may be empty
    RasterGrid periodMax;           ///< cell-wise maximum over the period; may be empty
    double limit_ugm3 = std::numeric_limits<double>::quiet_NaN(); ///< limit to mark, or NaN
    std::vector<MetHour> met; ///< meteorology of `hours`, same order; may be empty
    dispersion::LandUse landUse = dispersion::LandUse::Rural; ///< for the plume rise drawn

    std::vector<SensorMarker> sensors;
    std::vector<TruckTrack> trucks;
    std::vector<Incident> incidents;
    std::vector<Variant> variants;

    /// The scenario behind the baseline and its met, for what-if runs from the viewer; the
    /// What-if panel offers no runs when either is null. Both must outlive the session.
    const scenario::Scenario* scenario = nullptr;
    const MetSeries* metSeries = nullptr;
    /// The trucks' hourly exhaust dispersed with the baseline (RunOptions::traffic), dispersed
    /// again by what-if runs; null when the baseline has none. Must outlive the session.
    const std::vector<logistics::HourlySources>* traffic = nullptr;
    /// Limits by averaging period (QCVN 05:2023) for the figures at the sensors; none when null.
    const ThresholdTable* thresholds = nullptr;
    /// What the sensors measure of the modelled pollutant when it differs: NO2 of modelled NOx,
    /// taken by the NO2/NOx ratios of short periods and of the annual mean. Empty: the
    /// pollutant itself.
    std::string measured;
    double measuredHourlyRatio = 1.0;
    double measuredAnnualRatio = 1.0;

    /// The point sources as modelled (base emission rates, building wakes), each one's 24
    /// factors by local hour of day (empty: 1 all day), and the plume options: the vertical
    /// slice along the plume is computed from them. No slice without sources.
    std::vector<dispersion::PointSource> sources;
    std::vector<std::vector<double>> sourceFactors;
    dispersion::PlumeOptions plumeOptions;
};

/// The point sources of the baseline (variant = GridChoice::Baseline) or of a variant at
/// their rates for the hour starting at `hour` (local hour of day in the park's zone).
std::vector<dispersion::PointSource> sourcesAt(const ViewContent& content, int variant,
                                               UtcTime hour);

/// Which concentration grid to show: the period maximum or one hour of `hourly`, of the
/// baseline or of a variant.
struct GridChoice {
    static constexpr int PeriodMax = -1;
    static constexpr int Baseline = -1;
    int hour = PeriodMax;   ///< index into ViewContent::hourly, or PeriodMax
    int variant = Baseline; ///< index into ViewContent::variants, or Baseline
    bool change = false;    ///< show the variant minus the baseline instead of the variant
};

/// How the averages of one regulatory period at a sensor compare with its limit.
struct PeriodFigure {
    scenario::Period period = scenario::Period::Hour1;
    double limit_ugm3 = 0;
    int exceedances = 0; ///< complete averages above the limit (hours, 8-hour means, days)
    int averages = 0;    ///< complete averages formed
    double highest_ugm3 = std::numeric_limits<double>::quiet_NaN(); ///< NaN when none formed
};

/// How a run compares with the limit: its highest value and, per sensor, the hours whose
/// modelled value at the sensor exceeds the limit, and the averages of each period of the
/// regulation that exceed that period's limit.
struct RunFigures {
    double max_ugm3 = 0;
    Vec2 maxAt;                               ///< where the highest hourly value is
    std::vector<int> hoursOverLimitAtSensors; ///< same order as ViewContent::sensors
    /// Per sensor (same order), one entry per period the thresholds give a limit for.
    std::vector<std::vector<PeriodFigure>> sensorPeriods;
};

/// Figures of the baseline (variant = GridChoice::Baseline) or of a variant; the grids are
/// sampled bilinearly at the sensors, and compared with each sensor's limit and, with
/// content.thresholds, with the limits of each averaging period of QCVN 05:2023 for
/// content.pollutant (scenario::evaluateCompliance's averages, windows and completeness; the
/// scenario's compliance settings when content.scenario is set). The hourly grids are taken
/// as consecutive hours from content.hours.front().
RunFigures runFigures(const ViewContent& content, int variant);

/// The variant of `choice` minus the baseline at the same hour (or of the period maxima),
/// µg/m³, compared at single precision (the precision of the results store, so a cell the
/// variant leaves unchanged is exactly zero however the baseline was obtained). Empty when
/// the choice names no variant, either grid is missing or their layouts differ.
RasterGrid changeGrid(const ViewContent& content, GridChoice choice);

/// The largest magnitude of change of a variant against the baseline over its hours and its
/// period maximum, µg/m³; 0 when there is none.
double largestChange(const ViewContent& content, int variant);

/// The grid a choice designates; nullptr when there is none (or it is empty).
const RasterGrid* chosenGrid(const ViewContent& content, GridChoice choice);

/// The replay window: from the first hour's start to the end of the last hour, and of the
/// truck tracks and readings when they reach further; nullopt when nothing is timed.
std::optional<std::pair<UtcTime, UtcTime>> timeWindow(const ViewContent& content);

/// Index of the hour of `content.hours` containing instant t (start <= t < start + 1 h);
/// -1 when t lies in none.
int hourAt(const ViewContent& content, double t_s);

/// The last value at or before t; nullopt when there is none.
std::optional<TimedValue> latestAt(const std::vector<TimedValue>& series, double t_s);

/// Where a truck is at t, interpolated linearly between its samples; nullopt outside them.
std::optional<Vec2> truckPositionAt(const TruckTrack& track, double t_s);

/// Seconds since the epoch of a UTC instant, as the timeline counts.
inline double toSeconds(UtcTime t) { return double(t.time_since_epoch().count()); }

/// Sensor markers for the park's sensors, showing `parameter` (no readings yet) with
/// `limit` in µg/m³.
std::vector<SensorMarker> sensorMarkers(const ParkModel& park, const std::string& parameter,
                                        double limit_ugm3);

/// Fills each marker's modelled series from the hourly grids, sampled bilinearly at its
/// position and multiplied by `factor` (the NO2/NOx ratio when the sensors measure NO2 of
/// modelled NOx); hours whose grid does not cover it are left out. Replaces what was there.
void sampleModelledAtSensors(ViewContent& content, double factor = 1.0);

} // namespace parktwin::viewer
