#pragma once
// One SQLite file per run: run metadata, the met used, hourly results, result grids.
// Later parts of ParkTwin add their own tables (KPIs, alarms) to the same file.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/raster.h"
#include "engine/logistics/des.h"
#include "engine/logistics/emissions.h"
#include "engine/scenario/runner.h"

struct sqlite3;

namespace parktwin::scenario {

class ResultsStore {
public:
    /// Opens (creating if needed) the store at `file` in WAL mode and creates missing tables.
    /// Throws Error naming the file when SQLite cannot open or write it.
    explicit ResultsStore(const std::filesystem::path& file);
    ~ResultsStore();
    ResultsStore(const ResultsStore&) = delete;
    ResultsStore& operator=(const ResultsStore&) = delete;

    /// Writes a whole run (metadata, sources, hours, the period grids and, when kept, the
    /// hourly grids) in one transaction: either all of it is stored or none. A run with traffic
    /// sources adds the grams released per hour and the traffic's own hourly maxima
    /// (traffic_hours), its period grids ("traffic_period_max", "traffic_period_mean") and
    /// traffic_* metadata.
    void writeRun(const Scenario& scenario, const ParkModel& park, const MetSeries& met,
                  const RunResult& result);

    /// Writes a logistics run in one transaction, replacing an earlier one: KPIs
    /// (logistics_kpis), trucks leaving per hour (logistics_throughput), the queue time series
    /// (logistics_queues), docks (logistics_docks), trucks (logistics_trucks) and hourly link
    /// traffic (logistics_link_hours). Times are UTC from `start`, the run's time zero.
    void writeLogistics(const logistics::Simulation& sim, UtcTime start);

    /// Writes the trucks' hourly emission sources of one pollutant (logistics_sources: one row
    /// per source and hour, the line's vertices as "x y, x y, ..." in the local frame), in one
    /// transaction, replacing that pollutant's earlier rows.
    void writeLogisticsSources(const std::string& pollutant,
                               const std::vector<logistics::HourlySources>& hours, UtcTime start);

    /// A logistics KPI by key ("arrived", "mean_turnaround_s", ...), if stored.
    std::optional<double> logisticsKpi(const std::string& key) const;

    /// The value of a metadata key, if present.
    std::optional<std::string> metadata(const std::string& key) const;

    /// A stored grid by name ("period_max", "period_mean", "hourly") and hour index (-1 for
    /// period grids); nullopt when absent.
    std::optional<RasterGrid> grid(const std::string& name, int hourIndex = -1) const;

    /// Number of stored hour rows.
    int hourCount() const;

    /// The stored hours in order: start, met and maximum. The anemometer height is not
    /// stored; hours read back carry MetHour's default.
    std::vector<HourResult> hours() const;

    const std::filesystem::path& file() const { return file_; }

private:
    void exec(const std::string& sql);
    void putGrid(const std::string& name, int hourIndex, const RasterGrid& grid);

    std::filesystem::path file_;
    sqlite3* db_ = nullptr;
};

} // namespace parktwin::scenario
