#pragma once
// Ranking an incident's likely sources from the readings store: the park's stacks at unit
// emission through the hourly plume model with the wind recorded in the store, against the
// readings of the incident's parameter at every park sensor, fitted by non-negative least
// squares with a uniform background (see attribution.h).

#include <chrono>
#include <string>
#include <vector>

#include "engine/core/met.h"
#include "engine/core/park.h"
#include "engine/dispersion/plume.h"
#include "engine/sensors/alarm_store.h"
#include "engine/sensors/reading_store.h"

namespace parktwin::sensors {

/// What the ranking needs of the park: its stacks, its sensors and where the sun is.
struct RankingPark {
    std::vector<dispersion::PointSource> stacks; ///< emission rates are ignored
    std::vector<std::string> sensorIds;          ///< station ids in the store, as in the park
    std::vector<dispersion::Receptor> sensors;   ///< same order as sensorIds
    double latitude_deg = 0;                     ///< of the park centre, for the sun
    double longitude_deg = 0;
};

/// The stacks (with their building wake from the park's buildings) and sensors (at their inlet
/// height above the terrain) of `park`, whose centre lies at the given latitude and longitude.
RankingPark rankingPark(const ParkModel& park, double latitude_deg, double longitude_deg);

struct RankingOptions {
    /// Readings before the incident's start that join the fit: the contrast between before
    /// and during tells the sources apart from the background.
    std::chrono::seconds leadIn = std::chrono::hours(3);
    /// A longer incident is ranked on its last this-many hours.
    std::chrono::seconds maxWindow = std::chrono::hours(48);
    /// Station whose WS, WD and TEMP readings give the wind; empty: the mean of every station
    /// that reports WS and WD.
    std::string metStation;
    double anemometerHeight_m = 10;
    /// Air temperature when none is recorded in the window (plume rise only).
    double fallbackTemperature_K = 298.15;
    dispersion::PlumeOptions plume;
};

/// Hourly meteorology from the met readings of the store for the clock hours that hold
/// readings stamped in [from, to): wind speed (WS, m/s) as the mean of the hour's values,
/// direction (WD, degrees from) as the direction of the mean unit vector, temperature (TEMP,
/// °C) as the mean, else the nearest hour's, else `fallbackTemperature_K`. Stability by
/// Turner's method from the sun's elevation at the middle of the hour and the wind speed;
/// mixing height by SCREEN3's rule. Hours without both WS and WD are left out; a zero mean
/// speed is a calm hour. `note` (when given) says what was assumed.
MetSeries metFromReadings(const ReadingStore& store, UtcTime from, UtcTime to,
                          double latitude_deg, double longitude_deg,
                          const RankingOptions& options, std::string* note = nullptr);

/// Ranks the park's stacks for `incident` over its window (start minus the lead-in to its end,
/// or to the latest reading of its parameter while it is open). Never throws for missing data:
/// without a park (`park` null), stacks, sensors, wind or readings, the ranking comes back
/// with `ranked` false and the reason. `trigger` is recorded as given; computedAt is now.
IncidentRanking rankIncident(const ReadingStore& store, const IncidentRecord& incident,
                             const RankingPark* park, const RankingOptions& options,
                             const std::string& trigger);

} // namespace parktwin::sensors
