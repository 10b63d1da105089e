#include "engine/scenario/results_store.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <vector>

#include <sqlite3.h>

#include "engine/core/error.h"
#include "engine/core/log.h"

namespace parktwin::scenario {
namespace {

/// A prepared statement that finalises itself.
class Statement {
public:
    Statement(sqlite3* db, const char* sql, const std::filesystem::path& file) : file_(file) {
        if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
            throw Error(file.string() + ": SQLite: " + sqlite3_errmsg(db));
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int k, double v) {
        sqlite3_bind_double(stmt_, k, v);
        return *this;
    }
    Statement& bind(int k, int v) {
        sqlite3_bind_int(stmt_, k, v);
        return *this;
    }
    Statement& bind(int k, const std::string& v) {
        sqlite3_bind_text(stmt_, k, v.c_str(), -1, SQLITE_TRANSIENT);
        return *this;
    }
    Statement& bindBlob(int k, const void* data, int bytes) {
        sqlite3_bind_blob(stmt_, k, data, bytes, SQLITE_TRANSIENT);
        return *this;
    }
    /// Steps once; true while a row is available.
    bool step() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW)
            return true;
        if (rc != SQLITE_DONE)
            throw Error(file_.string() + ": SQLite: " + sqlite3_errmsg(sqlite3_db_handle(stmt_)));
        return false;
    }
    void run() {
        step();
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
    sqlite3_stmt* get() { return stmt_; }

private:
    sqlite3_stmt* stmt_ = nullptr;
    const std::filesystem::path& file_;
};

constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS run_metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
  stack_id TEXT PRIMARY KEY, x_m REAL, y_m REAL, base_elevation_m REAL, height_m REAL,
  diameter_m REAL, exit_velocity_ms REAL, exit_temperature_k REAL, emission_rate_gs REAL);
CREATE TABLE IF NOT EXISTS hours (
  hour_index INTEGER PRIMARY KEY, start_utc TEXT NOT NULL, met_missing INTEGER NOT NULL,
  calm INTEGER NOT NULL, wind_speed_ms REAL, wind_from_deg REAL, temperature_k REAL,
  stability TEXT, mixing_height_m REAL, max_ugm3 REAL, max_x_m REAL, max_y_m REAL);
CREATE TABLE IF NOT EXISTS grids (
  name TEXT NOT NULL, hour_index INTEGER NOT NULL, x0_m REAL, y0_m REAL, dx_m REAL, dy_m REAL,
  nx INTEGER, ny INTEGER, units TEXT, data BLOB NOT NULL, PRIMARY KEY (name, hour_index));
CREATE TABLE IF NOT EXISTS traffic_hours (
  hour_index INTEGER PRIMARY KEY, start_utc TEXT NOT NULL, road_g REAL, idling_g REAL,
  traffic_max_ugm3 REAL, traffic_at_hour_max_ugm3 REAL);
)";

} // namespace

ResultsStore::ResultsStore(const std::filesystem::path& file) : file_(file) {
    if (sqlite3_open(file.string().c_str(), &db_) != SQLITE_OK) {
        const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw Error(file.string() + ": cannot open results store: " + why);
    }
    sqlite3_busy_timeout(db_, 5000);
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    exec(kSchema);
}

ResultsStore::~ResultsStore() { sqlite3_close(db_); }

void ResultsStore::exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string why = message ? message : "unknown error";
        sqlite3_free(message);
        throw Error(file_.string() + ": SQLite: " + why);
    }
}

void ResultsStore::putGrid(const std::string& name, int hourIndex, const RasterGrid& grid) {
    std::vector<float> data(grid.values.begin(), grid.values.end());
    Statement st(db_,
                 "INSERT OR REPLACE INTO grids VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                 file_);
    st.bind(1, name).bind(2, hourIndex).bind(3, grid.x0).bind(4, grid.y0).bind(5, grid.dx);
    st.bind(6, grid.dy).bind(7, grid.nx).bind(8, grid.ny).bind(9, std::string("ug/m3"));
    st.bindBlob(10, data.data(), static_cast<int>(data.size() * sizeof(float)));
    st.run();
}

void ResultsStore::writeRun(const Scenario& scenario, const ParkModel& park,
                            const MetSeries& met, const RunResult& result) {
    exec("BEGIN IMMEDIATE");
    try {
        exec("DELETE FROM run_metadata; DELETE FROM sources; DELETE FROM hours; "
             "DELETE FROM grids; DELETE FROM traffic_hours;");
        const UtcOffset zone = park.timeZone;
        const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        std::map<std::string, std::string> meta = {
            {"scenario_name", scenario.name},
            {"scenario_title", scenario.title},
            {"scenario_file", scenario.file.string()},
            {"park_name", park.name},
            {"park_manifest", park.sourceFile},
            {"crs", park.frame.crs},
            {"origin_easting_m", std::to_string(park.frame.originEasting)},
            {"origin_northing_m", std::to_string(park.frame.originNorthing)},
            {"pollutant", scenario.pollutant},
            {"units", "ug/m3"},
            {"start_utc", formatIsoTime(scenario.start, UtcOffset{0})},
            {"end_utc", formatIsoTime(scenario.end, UtcOffset{0})},
            {"start_local", formatIsoTime(scenario.start, zone)},
            {"met_source", met.source},
            {"met_station", scenario.met.station},
            {"stability_method", met.stabilityMethod},
            {"mixing_height_method", met.mixingMethod},
            {"calm_hours", std::to_string(result.calmHours)},
            {"missing_met_hours", std::to_string(result.missingHours)},
            {"overall_max_ugm3", std::to_string(result.overallMax_ugm3)},
            {"overall_max_hour_index", std::to_string(result.overallMaxHour)},
            {"created_utc", formatIsoTime(now, UtcOffset{0})},
        };
        if (const auto& t = result.traffic) {
            meta["traffic_total_g"] = std::to_string(t->totalGrams());
            meta["traffic_outside_period_g"] = std::to_string(t->outsideGrams);
            meta["traffic_max_ugm3"] = std::to_string(t->max_ugm3);
            meta["traffic_max_hour_index"] = std::to_string(t->maxHour);
            meta["without_traffic_max_ugm3"] = std::to_string(t->othersMax_ugm3);
            if (result.overallMaxHour >= 0)
                meta["traffic_at_overall_max_ugm3"] =
                    std::to_string(result.hours[result.overallMaxHour].trafficAtMax_ugm3);
        }
        {
            Statement st(db_, "INSERT INTO run_metadata VALUES (?1, ?2)", file_);
            for (const auto& [key, value] : meta) {
                st.bind(1, key).bind(2, value);
                st.run();
            }
        }
        {
            Statement st(db_, "INSERT INTO sources VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)", file_);
            for (const dispersion::PointSource& s : result.sources) {
                st.bind(1, s.id).bind(2, s.position.x).bind(3, s.position.y);
                st.bind(4, s.baseElevation_m).bind(5, s.height_m).bind(6, s.diameter_m);
                st.bind(7, s.exitVelocity_ms).bind(8, s.exitTemperature_K);
                st.bind(9, s.emissionRate_gs);
                st.run();
            }
        }
        {
            Statement st(db_, "INSERT INTO hours VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
                         file_);
            for (size_t h = 0; h < result.hours.size(); ++h) {
                const HourResult& r = result.hours[h];
                st.bind(1, int(h)).bind(2, formatIsoTime(r.start, UtcOffset{0}));
                st.bind(3, int(r.metMissing)).bind(4, int(r.met.calm));
                st.bind(5, r.met.windSpeed_ms).bind(6, r.met.windFromDir_deg);
                st.bind(7, r.met.temperature_K);
                st.bind(8, std::string(1, stabilityLetter(r.met.stability)));
                st.bind(9, r.met.mixingHeight_m).bind(10, r.max_ugm3);
                st.bind(11, r.maxAt.x).bind(12, r.maxAt.y);
                st.run();
            }
        }
        if (const auto& t = result.traffic) {
            Statement st(db_, "INSERT INTO traffic_hours VALUES (?1,?2,?3,?4,?5,?6)", file_);
            for (size_t h = 0; h < result.hours.size(); ++h) {
                st.bind(1, int(h)).bind(2, formatIsoTime(result.hours[h].start, UtcOffset{0}));
                st.bind(3, t->roadGrams[h]).bind(4, t->idleGrams[h]);
                st.bind(5, t->hourMax_ugm3[h]).bind(6, result.hours[h].trafficAtMax_ugm3);
                st.run();
            }
            putGrid("traffic_period_max", -1, t->periodMax);
            putGrid("traffic_period_mean", -1, t->periodMean);
        }
        putGrid("period_max", -1, result.periodMax);
        putGrid("period_mean", -1, result.periodMean);
        for (size_t h = 0; h < result.hourly.size(); ++h)
            putGrid("hourly", int(h), result.hourly[h]);
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    log::get("store").info("results stored in {} ({} hours)", file_.string(),
                           result.hours.size());
}

std::optional<std::string> ResultsStore::metadata(const std::string& key) const {
    Statement st(db_, "SELECT value FROM run_metadata WHERE key = ?1", file_);
    st.bind(1, key);
    if (!st.step())
        return std::nullopt;
    return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0)));
}

std::optional<RasterGrid> ResultsStore::grid(const std::string& name, int hourIndex) const {
    Statement st(db_,
                 "SELECT x0_m, y0_m, dx_m, dy_m, nx, ny, data FROM grids "
                 "WHERE name = ?1 AND hour_index = ?2",
                 file_);
    st.bind(1, name).bind(2, hourIndex);
    if (!st.step())
        return std::nullopt;
    sqlite3_stmt* s = st.get();
    RasterGrid g(sqlite3_column_double(s, 0), sqlite3_column_double(s, 1),
                 sqlite3_column_double(s, 2), sqlite3_column_double(s, 3),
                 sqlite3_column_int(s, 4), sqlite3_column_int(s, 5));
    const int bytes = sqlite3_column_bytes(s, 6);
    if (bytes != static_cast<int>(g.size() * sizeof(float)))
        throw Error(file_.string() + ": grid '" + name + "' has " + std::to_string(bytes) +
                    " bytes, expected " + std::to_string(g.size() * sizeof(float)));
    std::vector<float> data(g.size());
    std::memcpy(data.data(), sqlite3_column_blob(s, 6), bytes);
    std::copy(data.begin(), data.end(), g.values.begin());
    return g;
}

int ResultsStore::hourCount() const {
    Statement st(db_, "SELECT COUNT(*) FROM hours", file_);
    st.step();
    return sqlite3_column_int(st.get(), 0);
}

std::vector<HourResult> ResultsStore::hours() const {
    Statement st(db_,
                 "SELECT start_utc, met_missing, calm, wind_speed_ms, wind_from_deg, "
                 "temperature_k, stability, mixing_height_m, max_ugm3, max_x_m, max_y_m "
                 "FROM hours ORDER BY hour_index",
                 file_);
    sqlite3_stmt* s = st.get();
    auto text = [&](int column) {
        const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(s, column));
        return std::string(t ? t : "");
    };
    std::vector<HourResult> out;
    while (st.step()) {
        HourResult h;
        h.start = parseIsoTime(text(0), UtcOffset{0});
        h.met.start = h.start;
        h.metMissing = sqlite3_column_int(s, 1) != 0;
        h.met.calm = sqlite3_column_int(s, 2) != 0;
        h.met.windSpeed_ms = sqlite3_column_double(s, 3);
        h.met.windFromDir_deg = sqlite3_column_double(s, 4);
        h.met.temperature_K = sqlite3_column_double(s, 5);
        const std::string stability = text(6);
        if (stability.size() != 1 || stability[0] < 'A' || stability[0] > 'F')
            throw Error(file_.string() + ": hour " + std::to_string(out.size()) +
                        " has stability '" + stability + "', expected one of A-F");
        h.met.stability = static_cast<Stability>(stability[0] - 'A' + 1);
        h.met.mixingHeight_m = sqlite3_column_double(s, 7);
        h.max_ugm3 = sqlite3_column_type(s, 8) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 8);
        h.maxAt = {sqlite3_column_double(s, 9), sqlite3_column_double(s, 10)};
        out.push_back(h);
    }
    return out;
}

namespace {

constexpr const char* kLogisticsSchema = R"(
CREATE TABLE IF NOT EXISTS logistics_kpis (key TEXT PRIMARY KEY, value REAL);
CREATE TABLE IF NOT EXISTS logistics_throughput (
  hour_index INTEGER PRIMARY KEY, start_utc TEXT NOT NULL, trucks INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS logistics_queues (
  time_utc TEXT NOT NULL, place TEXT NOT NULL, trucks INTEGER NOT NULL, length_m REAL,
  spill_back_m REAL, PRIMARY KEY (time_utc, place));
CREATE TABLE IF NOT EXISTS logistics_docks (
  dock_id TEXT PRIMARY KEY, served INTEGER, utilisation REAL, mean_wait_s REAL,
  max_queue INTEGER);
CREATE TABLE IF NOT EXISTS logistics_trucks (
  truck INTEGER PRIMARY KEY, gate_id TEXT, dock_id TEXT, arrive_utc TEXT, service_start_utc TEXT,
  leave_utc TEXT, turnaround_s REAL, wait_s REAL, blocked_s REAL, distance_m REAL);
CREATE TABLE IF NOT EXISTS logistics_link_hours (
  link INTEGER NOT NULL, road_id TEXT, hour_index INTEGER NOT NULL, trucks INTEGER,
  mean_speed_ms REAL, PRIMARY KEY (link, hour_index));
)";

std::string utcAt(UtcTime start, double t_s) {
    if (std::isnan(t_s))
        return {};
    return formatIsoTime(start + std::chrono::seconds(std::llround(t_s)), UtcOffset{0});
}

} // namespace

void ResultsStore::writeLogistics(const logistics::Simulation& sim, UtcTime start) {
    exec(kLogisticsSchema);
    exec("BEGIN IMMEDIATE");
    try {
        exec("DELETE FROM logistics_kpis; DELETE FROM logistics_throughput; "
             "DELETE FROM logistics_queues; DELETE FROM logistics_docks; "
             "DELETE FROM logistics_trucks; DELETE FROM logistics_link_hours;");
        const logistics::SimKpis k = sim.kpis();
        const std::map<std::string, double> kpis = {
            {"arrived", k.arrived},
            {"completed", k.completed},
            {"end_s", k.end_s},
            {"mean_turnaround_s", k.meanTurnaround_s},
            {"mean_wait_s", k.meanWait_s},
            {"mean_gate_wait_s", k.meanGateWait_s},
            {"mean_dock_wait_s", k.meanDockWait_s},
            {"vehicle_km", k.vehicleKm},
            {"idle_hours", k.idleHours},
            {"little_l", k.littleL},
            {"little_lambda_w", k.littleLambdaW}};
        Statement kpi(db_, "INSERT INTO logistics_kpis VALUES (?1, ?2)", file_);
        for (const auto& [key, value] : kpis)
            kpi.bind(1, key).bind(2, value).run();

        Statement hour(db_, "INSERT INTO logistics_throughput VALUES (?1, ?2, ?3)", file_);
        for (size_t h = 0; h < k.throughputPerHour.size(); ++h)
            hour.bind(1, static_cast<int>(h))
                .bind(2, utcAt(start, h * 3600.0))
                .bind(3, k.throughputPerHour[h])
                .run();

        Statement queue(db_, "INSERT OR REPLACE INTO logistics_queues VALUES (?1, ?2, ?3, ?4, ?5)",
                        file_);
        for (const logistics::QueueSample& q : sim.queueSeries())
            if (q.time_s <= k.end_s)
                queue.bind(1, utcAt(start, q.time_s)).bind(2, q.place).bind(3, q.trucks)
                    .bind(4, q.length_m).bind(5, q.spillBack_m).run();

        Statement dock(db_, "INSERT INTO logistics_docks VALUES (?1, ?2, ?3, ?4, ?5)", file_);
        for (const logistics::DockKpi& d : k.docks)
            dock.bind(1, d.id).bind(2, d.served).bind(3, d.utilisation).bind(4, d.meanWait_s)
                .bind(5, d.maxQueue).run();

        const auto& config = sim.config();
        Statement truck(db_,
                        "INSERT INTO logistics_trucks VALUES "
                        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                        file_);
        for (size_t i = 0; i < sim.trucks().size(); ++i) {
            const logistics::TruckRecord& t = sim.trucks()[i];
            const double wait_s = (t.checkInStart_s - t.arrive_s) + (t.serviceStart_s - t.atDock_s);
            truck.bind(1, static_cast<int>(i)).bind(2, config.gates[t.gate].id)
                .bind(3, config.docks[t.dock].id).bind(4, utcAt(start, t.arrive_s))
                .bind(5, utcAt(start, t.serviceStart_s)).bind(6, utcAt(start, t.leave_s))
                .bind(7, t.leave_s - t.arrive_s).bind(8, wait_s).bind(9, t.blocked_s)
                .bind(10, t.distance_m).run();
        }

        Statement link(db_, "INSERT INTO logistics_link_hours VALUES (?1, ?2, ?3, ?4, ?5)", file_);
        const auto& graph = sim.graph();
        for (const logistics::LinkHour& h : sim.linkHours()) {
            const auto& l = graph.links()[h.link];
            link.bind(1, h.link).bind(2, graph.roads()[l.road].id).bind(3, h.hour)
                .bind(4, h.trucks).bind(5, h.trucks * l.length_m / h.travel_s).run();
        }
        exec("COMMIT");
    } catch (...) {
        exec("ROLLBACK");
        throw;
    }
}

void ResultsStore::writeLogisticsSources(const std::string& pollutant,
                                         const std::vector<logistics::HourlySources>& hours,
                                         UtcTime start) {
    exec("CREATE TABLE IF NOT EXISTS logistics_sources (pollutant TEXT NOT NULL, "
         "hour_index INTEGER NOT NULL, start_utc TEXT NOT NULL, kind TEXT NOT NULL, "
         "source_id TEXT NOT NULL, rate REAL, rate_units TEXT, base_elevation_m REAL, "
         "release_height_m REAL, sigma_y0_m REAL, sigma_z0_m REAL, width_m REAL, x_m REAL, "
         "y_m REAL, vertices TEXT, PRIMARY KEY (pollutant, hour_index, source_id))");
    exec("BEGIN IMMEDIATE");
    try {
        Statement clear(db_, "DELETE FROM logistics_sources WHERE pollutant = ?1", file_);
        clear.bind(1, pollutant).run();
        Statement row(db_,
                      "INSERT INTO logistics_sources VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                      "?10, ?11, ?12, ?13, ?14, ?15)",
                      file_);
        for (const logistics::HourlySources& h : hours) {
            const std::string hourStart = utcAt(start, h.hour * 3600.0);
            for (const auto& line : h.lines) {
                std::string vertices;
                for (Vec2 p : line.centreline)
                    vertices += (vertices.empty() ? "" : ", ") + std::to_string(p.x) + " " +
                                std::to_string(p.y);
                row.bind(1, pollutant)
                    .bind(2, h.hour)
                    .bind(3, hourStart)
                    .bind(4, std::string("line"))
                    .bind(5, line.id)
                    .bind(6, line.emissionRate_gsm)
                    .bind(7, std::string("g/s/m"))
                    .bind(8, line.baseElevation_m)
                    .bind(9, line.releaseHeight_m)
                    .bind(10, 0.0)
                    .bind(11, line.initialSigmaZ_m)
                    .bind(12, line.width_m)
                    .bind(13, line.centreline.front().x)
                    .bind(14, line.centreline.front().y)
                    .bind(15, vertices)
                    .run();
            }
            for (const auto& v : h.volumes)
                row.bind(1, pollutant).bind(2, h.hour).bind(3, hourStart)
                    .bind(4, std::string("volume")).bind(5, v.id).bind(6, v.emissionRate_gs)
                    .bind(7, std::string("g/s")).bind(8, v.baseElevation_m)
                    .bind(9, v.releaseHeight_m).bind(10, v.initialSigmaY_m)
                    .bind(11, v.initialSigmaZ_m).bind(12, 0.0).bind(13, v.position.x)
                    .bind(14, v.position.y).bind(15, std::string()).run();
        }
        exec("COMMIT");
    } catch (...) {
        exec("ROLLBACK");
        throw;
    }
}

std::optional<double> ResultsStore::logisticsKpi(const std::string& key) const {
    Statement st(db_, "SELECT value FROM logistics_kpis WHERE key = ?1", file_);
    st.bind(1, key);
    if (!st.step())
        return std::nullopt;
    return sqlite3_column_double(st.get(), 0);
}

} // namespace parktwin::scenario
