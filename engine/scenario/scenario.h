#pragma once
// The scenario file (TOML): which park, which hours, which met, which sources emit what, and
// what to write. Later sections (incidents, logistics demand, variants) are added beside these.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/time.h"
#include "engine/dispersion/plume.h"
#include "engine/logistics/logistics_spec.h"

namespace parktwin::scenario {

/// Where the hourly meteorology comes from.
struct MetSpec {
    /// "prsa-csv" (Beijing PRSA station file), "parktwin-csv" or "isc-ascii" (PCRAMMET)
    std::string format;
    std::filesystem::path file;
    std::string station;           ///< human-readable station name, for reports
    double latitude_deg = 0;       ///< station position, used for the sun's elevation
    double longitude_deg = 0;
    UtcOffset utcOffset{0};        ///< zone of the file's local times
    double anemometerHeight_m = 10;
    std::string note;              ///< why this station stands in for the park
};

/// One stack's emission: a base rate and an optional profile by hour of local day.
struct SourceSpec {
    std::string stack;             ///< stack id in the park model
    double emissionRate_gs = 0;    ///< base rate, grams per second
    std::vector<double> hourlyFactors; ///< 24 factors by local hour (0..23), or empty for 1
    std::string note;

    /// Rate in g/s during the local hour of day `localHour` (0..23).
    double rateAt(int localHour) const {
        return hourlyFactors.empty() ? emissionRate_gs : emissionRate_gs * hourlyFactors[localHour];
    }
};

struct ReceptorSpec {
    double spacing_m = 100;
    double flagpole_m = 0;
    double margin_m = -1; ///< extent beyond the park boundary; negative: the park's own extent
};

struct OutputSpec {
    bool hourlyGeoTiff = true;
    std::string directory; ///< default output folder, relative to the scenario file
};

struct Scenario {
    std::filesystem::path file; ///< the TOML it came from
    std::string name;           ///< short identifier, used in file names
    std::string title;
    std::filesystem::path park; ///< park manifest, resolved against the scenario's folder
    std::string startText;      ///< as written, for reports
    std::string endText;
    UtcTime start;              ///< first hour's start, UTC
    UtcTime end;                ///< end of the last hour (exclusive), UTC
    std::string pollutant = "SO2";
    MetSpec met;
    dispersion::PlumeOptions plume;
    ReceptorSpec receptors;
    std::vector<SourceSpec> sources;
    OutputSpec outputs;
    /// Truck logistics; a scenario with it may leave out [met] and [[sources]].
    std::optional<logistics::LogisticsSpec> logistics;

    /// True when the scenario computes dispersion (it has sources).
    bool hasDispersion() const { return !sources.empty(); }

    /// Number of whole hours in [start, end).
    int hourCount() const;
};

/// Reads and checks a scenario file. Times without an offset are local at `parkTimeZone`
/// (the park manifest's zone, passed in because the scenario only names the park). Unknown
/// keys, missing required keys and wrong types are InputErrors naming the file and the key.
Scenario loadScenario(const std::filesystem::path& file, UtcOffset parkTimeZone);

/// Reads only the park manifest path of a scenario, so the caller can load the park (and its
/// time zone) before the rest of the scenario is interpreted.
std::filesystem::path scenarioParkPath(const std::filesystem::path& file);

} // namespace parktwin::scenario
