#pragma once
// Comparison of a run with the ambient limits of QCVN 05:2023/BTNMT: averages per period
// (1 hour, 8 hours, 24 hours, year), the regulation's ranked value, the margin and the
// exceedances, at each sensitive site and over the grid, for the modelled concentration, the
// background and their sum.
//
// Rules used (QCVN 05:2023 gives each limit as a maximum not to be exceeded by the average of
// its period; it states no allowed number of exceedances, so the value compared is the
// highest unless the scenario sets another rank):
// - 1 hour: every hour with a value is an average.
// - 8 hours: running means over the 8 hours ending at each hour, the window wholly inside the
//   run; exceedances count running means.
// - 24 hours: calendar days in the park's local time.
// - year: calendar years in the park's local time (8,760 or 8,784 hours).
// - A mean counts when at least `completeness` of its hours (default 75%: 6 of 8, 18 of 24,
//   6,570 of 8,760) have a value, the share EU Directive 2008/50/EC, Annex XI, asks of 8- and
//   24-hour means (it asks 90% of a year; [compliance] completeness sets another share); the
//   mean is that of the hours with a value.
// - Total = modelled + background, hour by hour, before any average is formed, so a limit is
//   compared with what a monitor would see. An hour missing either part has no total.
// - An exceedance is an average strictly above the limit; margin = limit - ranked value.

#include <optional>
#include <string>
#include <vector>

#include "engine/core/raster.h"
#include "engine/core/thresholds.h"
#include "engine/core/time.h"
#include "engine/scenario/scenario.h"

namespace parktwin::scenario {

/// One averaging period of the regulation.
enum class Period { Hour1, Hour8, Hour24, Year };

/// "1h", "8h", "24h", "year": the names the thresholds table uses.
const char* periodName(Period p);

/// Every period, shortest first.
inline constexpr Period kPeriods[] = {Period::Hour1, Period::Hour8, Period::Hour24, Period::Year};

/// The hours each average of a period covers, for a run of `hours` hours from `start`.
struct Window {
    int first = 0;      ///< first hour index inside the run
    int last = 0;       ///< one past the last hour index inside the run
    int nominal = 1;    ///< hours the period has (8, 24, 8,760 ...), for completeness
    UtcTime start;      ///< start of the averaging period, UTC
};

/// The averaging windows of `period` over a run; days and years follow `zone`.
std::vector<Window> windows(Period period, UtcTime start, int hours, UtcOffset zone);

/// What one series gives for one period.
struct PeriodStats {
    int averages = 0;      ///< complete averages formed
    int incomplete = 0;    ///< averages left out for lack of hours
    double highest = std::numeric_limits<double>::quiet_NaN();
    UtcTime highestStart{}; ///< start of the window with the highest average
    int rank = 1;
    double ranked = std::numeric_limits<double>::quiet_NaN(); ///< rank-th highest; NaN if fewer
    int exceedances = 0;   ///< complete averages above the limit (0 without a limit)
};

/// Averages of `hourly` over `wins` (NaN where a window is incomplete) with `completeness`
/// the share of a window's nominal hours that must have a value.
std::vector<double> averages(const std::vector<double>& hourly, const std::vector<Window>& wins,
                             double completeness);

/// Statistics of the averages: the highest, the rank-th highest and the number above `limit`
/// (no limit: none counted).
PeriodStats statistics(const std::vector<double>& averages, const std::vector<Window>& wins,
                       int rank, std::optional<double> limit_ugm3);

enum class Component { Modelled, Background, Total };
const char* componentName(Component c);

/// One line of the compliance table.
struct ComplianceRow {
    std::string pollutant;
    Period period = Period::Hour1;
    std::string locationId;   ///< site id, "grid" for the grid maximum, "background"
    std::string locationName;
    std::string locationKind; ///< "school", "hospital", "residential", "grid", "background"
    Vec2 at;                  ///< where (local frame); the grid cell of the maximum
    Component component = Component::Total;
    std::optional<double> limit_ugm3;
    std::string limitGrade;   ///< how well the limit was verified (thresholds table grade)
    PeriodStats stats;

    /// limit - ranked value; NaN without a limit or a ranked value.
    double margin_ugm3() const;
};

/// The ranked value of one period and component at every grid cell, for maps and exports.
struct PeriodGrid {
    Period period = Period::Hour1;
    Component component = Component::Modelled;
    int rank = 1;
    RasterGrid values; ///< µg/m³; NaN where no complete average exists (year: see below)
    bool complete = true; ///< year grids hold the mean of the run even when incomplete
};

struct ComplianceResult {
    std::string pollutant;
    std::vector<ComplianceRow> rows;
    std::vector<PeriodGrid> grids;
    std::vector<std::string> notes; ///< periods without a limit, conversions, completeness
};

/// Hourly inputs of the comparison.
struct ComplianceInput {
    std::string pollutant;      ///< compared with the table, e.g. "SO2" or "NO2"
    UtcTime start;
    int hours = 0;
    UtcOffset zone{0};
    const std::vector<RasterGrid>* gridHourly = nullptr; ///< hour-major grids, or null
    std::vector<SensitiveSite> sites;
    const std::vector<std::vector<double>>* siteHourly = nullptr; ///< [site][hour]
    std::vector<double> background; ///< per hour, or empty for none
    double hourlyScale = 1.0; ///< multiplies modelled hours (NO2/NOx for short periods)
    double annualScale = 1.0; ///< multiplies modelled hours for the annual mean
    ComplianceSpec spec;
    const ThresholdTable* limits = nullptr;
};

/// Compares every period that has a limit for the pollutant (and writes grids of every
/// period). Throws Error when the inputs disagree in size.
ComplianceResult evaluateCompliance(const ComplianceInput& input);

} // namespace parktwin::scenario
