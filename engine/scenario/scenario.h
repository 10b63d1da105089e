#pragma once
// The scenario file (TOML): which park, which hours, which met, which sources emit what, the
// background and the places to check, what to write, and variants that change any of it.

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/park.h"
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

/// A position as a scenario may write it: longitude/latitude (WGS 84) or easting/northing in
/// the park's CRS. `local` is filled by resolvePositions before a run.
struct SitePosition {
    std::optional<Vec2> lonLat;    ///< degrees, x = longitude
    std::optional<Vec2> projected; ///< metres in the park CRS
    std::optional<Vec2> local;     ///< metres in the park's local frame
    std::string where;             ///< "line N, key '...'" for messages
};

/// One stack's emission: a base rate and an optional profile by hour of local day. The stack's
/// own parameters may be overridden here (a taller stack), and a stack the park lacks (a new
/// source) needs a position and all four parameters.
struct SourceSpec {
    std::string stack;             ///< stack id in the park model, or a new id
    double emissionRate_gs = 0;    ///< base rate, grams per second
    std::vector<double> hourlyFactors; ///< 24 factors by local hour (0..23), or empty for 1
    std::string note;
    std::optional<double> height_m;          ///< release height above its base
    std::optional<double> diameter_m;
    std::optional<double> exitVelocity_ms;
    std::optional<double> exitTemperature_K;
    SitePosition position;                   ///< for a new stack; empty for a park stack
    std::string where;                       ///< "line N, key 'sources[k].stack'"

    /// Rate in g/s during the local hour of day `localHour` (0..23).
    double rateAt(int localHour) const {
        return hourlyFactors.empty() ? emissionRate_gs : emissionRate_gs * hourlyFactors[localHour];
    }
};

/// A road that emits along its length (traffic), modelled as the string of adjacent volume
/// sources ISC guidance prescribes (dispersion::lineAsVolumes).
struct LineSourceSpec {
    std::string id;                ///< name in results; the road id unless given
    std::string road;              ///< road id in the park model; its centreline is used
    double width_m = 0;            ///< road plus the turbulent zone of the traffic
    double releaseHeight_m = 0;    ///< centre of the volumes above ground
    double initialSigmaZ_m = 0;
    double emissionRate_gsm = 0;   ///< base rate, grams per second per metre of road
    std::vector<double> hourlyFactors; ///< 24 factors by local hour (0..23), or empty for 1
    std::string note;

    /// Rate in g/s per metre during the local hour of day `localHour` (0..23).
    double rateAt(int localHour) const {
        return hourlyFactors.empty() ? emissionRate_gsm
                                     : emissionRate_gsm * hourlyFactors[localHour];
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
    bool geopackage = true;    ///< results.gpkg with receptors, contours, layers, rasters
    bool report = true;        ///< report.html with maps, wind rose and tables
    std::vector<double> contourLevels_ugm3; ///< drawn besides the limits
};

/// Concentration already in the air without the modelled sources, added to the modelled values
/// before any comparison with a limit: a constant, or an hourly series from a monitor record.
struct BackgroundSpec {
    std::optional<double> constant_ugm3;
    std::filesystem::path file; ///< hourly CSV; empty for a constant or no background
    std::string column;         ///< the value column, µg/m³
    std::string timeColumn;     ///< ISO 8601 stamps; empty: year, month, day, hour columns
    UtcOffset utcOffset{0};     ///< zone of the file's stamps (start of their hour)
    std::string note;

    bool present() const { return constant_ugm3.has_value() || !file.empty(); }
};

/// NO2 from modelled NOx (NOx as NO2), for comparison with the NO2 limits. "full" is the US
/// EPA's Tier 1 (all NOx taken as NO2); "arm" is Tier 2, the Ambient Ratio Method with the
/// default ratios of 0.80 for 1-hour values (EPA, "Additional Clarification Regarding
/// Application of Appendix W Modeling Guidance for the 1-hour NO2 NAAQS", memorandum of
/// 1 March 2011) and 0.75 for annual means (40 CFR 51 Appendix W, 2005, section 5.2.4).
struct No2Spec {
    std::string method;        ///< "", "full" or "arm"
    double hourlyRatio = 1.0;  ///< NO2/NOx applied to each hour
    double annualRatio = 1.0;  ///< NO2/NOx applied to the annual mean

    bool active() const { return !method.empty(); }
};

/// A sensitive receptor written in the scenario rather than taken from a park layer.
struct SiteSpec {
    std::string id;
    std::string name;
    std::string kind = "residential";
    SitePosition position;
};

/// How averages are formed and ranked for the comparison with the limits.
struct ComplianceSpec {
    /// Share of valid hours an 8-hour, 24-hour or annual mean needs to count.
    double completeness = 0.75;
    /// Rank of the value compared with the limit, per period ("1h", "8h", "24h"); 1 = the
    /// highest. QCVN 05:2023 states its values as maxima, so every rank defaults to 1.
    std::map<std::string, int> ranks = {{"1h", 1}, {"8h", 1}, {"24h", 1}};
    std::filesystem::path thresholds; ///< limits CSV; empty: the bundled QCVN table
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
    std::vector<LineSourceSpec> lineSources;
    OutputSpec outputs;
    BackgroundSpec background;
    No2Spec no2;
    std::vector<SiteSpec> sites;     ///< sensitive receptors listed in the scenario
    bool parkSites = true;           ///< also use the park's sensitive layers
    ComplianceSpec compliance;
    std::string variantOf;           ///< the baseline's name when this is a variant
    std::string variantNote;
    std::vector<Scenario> variants;  ///< [[variants]], each a complete scenario
    /// Truck logistics; a scenario with it may leave out [met] and [[sources]].
    std::optional<logistics::LogisticsSpec> logistics;

    /// True when the scenario computes dispersion (it has stack or line sources).
    bool hasDispersion() const { return !sources.empty() || !lineSources.empty(); }

    /// Number of whole hours in [start, end).
    int hourCount() const;

    /// The pollutant compared with the limits: NO2 when NOx is converted, else the modelled one.
    std::string compliancePollutant() const { return no2.active() ? "NO2" : pollutant; }
};

/// Converts longitude/latitude (degrees) to easting/northing in the park CRS.
using LonLatToProjected = std::function<Vec2(Vec2 lonLat)>;

/// Fills the local position of every new source and listed site of the scenario and of its
/// variants. Throws InputError naming the scenario line when a position cannot be converted.
void resolvePositions(Scenario& scenario, const LocalFrame& frame,
                      const LonLatToProjected& toProjected);

/// The sensitive sites of a run: the park's (when the scenario keeps them) and the scenario's,
/// in that order, those outside `extent` left out with a log line.
std::vector<SensitiveSite> sensitiveSites(const Scenario& scenario, const ParkModel& park,
                                          const Box2& extent);

/// Reads and checks a scenario file. Times without an offset are local at `parkTimeZone`
/// (the park manifest's zone, passed in because the scenario only names the park). Unknown
/// keys, missing required keys and wrong types are InputErrors naming the file and the key.
/// Each [[variants]] table is merged over the scenario (tables key by key, [[sources]] by
/// stack id, other values replaced) and read like a scenario of its own, into `variants`.
Scenario loadScenario(const std::filesystem::path& file, UtcOffset parkTimeZone);

/// Reads only the park manifest path of a scenario, so the caller can load the park (and its
/// time zone) before the rest of the scenario is interpreted.
std::filesystem::path scenarioParkPath(const std::filesystem::path& file);

} // namespace parktwin::scenario
