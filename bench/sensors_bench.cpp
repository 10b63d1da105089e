// The readings store: readings per second in with validation on, against plain SQLite inserts
// of the same rows into a one-row-per-reading table in the same process; and one day of 100
// stations × 6 parameters at 5-minute intervals read back, against plain SQLite stepping the
// same rows of that table.

#include "engine/core/log.h"
#include "engine/sensors/ingest.h"
#include "engine/sensors/reading_store.h"

#include <benchmark/benchmark.h>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <sqlite3.h>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace parktwin;
using namespace parktwin::sensors;

namespace {

constexpr int kStations = 100;
constexpr int kParameters = 6;
constexpr int kStepsPerDay = 24 * 12; // 5-minute intervals
constexpr const char* kNames[kParameters] = {"SO2", "NO2", "CO", "O3", "PM10", "PM2.5"};
constexpr std::size_t kBatch = 5000;

const UtcTime kDayStart = parseIsoTime("2024-01-15T00:00", UtcOffset{420});

/// One day of the network as a feed delivers it: local units, status 00 and a few 01.
std::vector<RawReading> networkDay() {
    std::vector<RawReading> rows;
    rows.reserve(std::size_t(kStations) * kParameters * kStepsPerDay);
    for (int step = 0; step < kStepsPerDay; ++step)
        for (int s = 0; s < kStations; ++s)
            for (int p = 0; p < kParameters; ++p) {
                RawReading r;
                r.station = "ST" + std::to_string(s);
                r.parameter = kNames[p];
                r.value = 10.0 + (step * 7 + s * 3 + p) % 90;
                r.unit = p == 2 ? "mg/m³" : "µg/m³";
                r.time = kDayStart + std::chrono::seconds(300 * (step + 1));
                r.period_s = 300;
                r.status =
                    (step + s) % 97 == 0 ? ReadingStatus::Calibrating : ReadingStatus::Measuring;
                rows.push_back(std::move(r));
            }
    return rows;
}

const std::vector<RawReading>& rawRows() {
    static const std::vector<RawReading> rows = networkDay();
    return rows;
}

const std::vector<Reading>& validatedRows() {
    static const std::vector<Reading> rows = [] {
        std::vector<Reading> out;
        ValidationCounts counts;
        for (const RawReading& r : rawRows())
            out.push_back(*validate(r, counts));
        return out;
    }();
    return rows;
}

fs::path freshFile(const char* name) {
    const fs::path file = fs::temp_directory_path() / name;
    for (const char* suffix : {"", "-wal", "-shm"})
        fs::remove(file.string() + suffix);
    return file;
}

/// Wall-clock and CPU seconds of the timed regions. The machine may be shared: the CPU time of
/// this thread is what the work costs, the wall time what it took here and now (CPU time
/// leaves out waiting for fsync, which the wall time includes).
struct Timer {
    double wall_s = 0, cpu_s = 0;
    std::chrono::steady_clock::time_point wall0;
    double cpu0 = 0;
    static double cpuNow() {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
    }
    void start() {
        wall0 = std::chrono::steady_clock::now();
        cpu0 = cpuNow();
    }
    void stop() {
        wall_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
        cpu_s += cpuNow() - cpu0;
    }
};

Timer gValidated, gPlain, gReadDay, gReadPlain;
double gRows = 0, gReadIterations = 0, gReadPlainIterations = 0;

void BM_IngestWithValidation(benchmark::State& state) {
    const auto& rows = rawRows();
    for (auto _ : state) {
        state.PauseTiming();
        const fs::path file = freshFile("parktwin_bench_ingest.sqlite");
        auto store = std::make_unique<ReadingStore>(file);
        state.ResumeTiming();
        gValidated.start();
        Ingest ingest(*store, "bench", kBatch);
        for (const RawReading& r : rows)
            ingest.add(r);
        ingest.flush();
        gValidated.stop();
        state.PauseTiming();
        store.reset();
        state.ResumeTiming();
    }
    gRows = double(rows.size()) * double(state.iterations());
    state.counters["readings_per_s"] = gRows / gValidated.wall_s;
}

/// The plain way to keep readings in SQLite: one row each, keyed (series, time).
constexpr const char* kPlainSchema = R"(
CREATE TABLE series (series_id INTEGER PRIMARY KEY, station TEXT NOT NULL,
  parameter TEXT NOT NULL, unit TEXT NOT NULL, UNIQUE (station, parameter));
CREATE TABLE readings (series_id INTEGER NOT NULL, time_utc INTEGER NOT NULL,
  value REAL NOT NULL, status INTEGER NOT NULL, period_s INTEGER NOT NULL,
  batch_id INTEGER NOT NULL, PRIMARY KEY (series_id, time_utc)) WITHOUT ROWID;
)";

/// The reference: the same (already normalised) rows, one prepared INSERT each with the
/// series id known in advance, in transactions of the same size, into that plain table with
/// the same pragmas: what SQLite itself costs.
void BM_PlainInserts(benchmark::State& state) {
    const auto& rows = validatedRows();
    long failures = 0;
    for (auto _ : state) {
        state.PauseTiming();
        const fs::path file = freshFile("parktwin_bench_plain.sqlite");
        sqlite3* db = nullptr;
        sqlite3_open_v2(file.string().c_str(), &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
        sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536",
                     nullptr, nullptr, nullptr);
        sqlite3_exec(db, kPlainSchema, nullptr, nullptr, nullptr);
        sqlite3_stmt* insert = nullptr;
        // The series rows exist already, as they do in a running store.
        sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
        for (int s = 0; s < kStations; ++s)
            for (int p = 0; p < kParameters; ++p) {
                const std::string sql = "INSERT INTO series VALUES (" +
                                        std::to_string(s * kParameters + p + 1) + ", 'ST" +
                                        std::to_string(s) + "', '" + kNames[p] + "', 'ug/m3')";
                sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
            }
        sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
        if (sqlite3_prepare_v2(db, "INSERT INTO readings VALUES (?1, ?2, ?3, ?4, ?5, 1)", -1,
                               &insert, nullptr) != SQLITE_OK)
            std::fprintf(stderr, "cannot prepare: %s\n", sqlite3_errmsg(db));
        state.ResumeTiming();
        gPlain.start();
        for (std::size_t first = 0; first < rows.size(); first += kBatch) {
            sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
            for (std::size_t k = first; k < std::min(rows.size(), first + kBatch); ++k) {
                // Rows are station-major within a step: row k is series k % 600.
                const Reading& r = rows[k];
                sqlite3_bind_int64(insert, 1, std::int64_t(k % (kStations * kParameters)) + 1);
                sqlite3_bind_int64(insert, 2, toEpochSeconds(r.time));
                sqlite3_bind_double(insert, 3, r.value);
                sqlite3_bind_int(insert, 4, int(r.status));
                sqlite3_bind_int(insert, 5, r.period_s);
                if (sqlite3_step(insert) != SQLITE_DONE)
                    ++failures;
                sqlite3_reset(insert);
            }
            sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
        }
        gPlain.stop();
        state.PauseTiming();
        sqlite3_finalize(insert);
        sqlite3_close(db);
        state.ResumeTiming();
    }
    if (failures > 0)
        state.SkipWithError("plain inserts failed");
    state.counters["readings_per_s"] =
        double(rows.size()) * double(state.iterations()) / gPlain.wall_s;
}

void BM_ReadBackOneDay(benchmark::State& state) {
    const fs::path file = freshFile("parktwin_bench_read.sqlite");
    ReadingStore store(file);
    const auto& rows = validatedRows();
    for (std::size_t first = 0; first < rows.size(); first += kBatch)
        store.writeBatch(std::span(rows).subspan(first, std::min(kBatch, rows.size() - first)),
                         "bench");
    const UtcTime dayEnd = kDayStart + std::chrono::hours(24) + std::chrono::seconds(1);
    std::size_t read = 0;
    for (auto _ : state) {
        gReadDay.start();
        read = 0;
        for (int s = 0; s < kStations; ++s)
            for (const char* p : kNames)
                read += store.readings("ST" + std::to_string(s), p, kDayStart, dayEnd).size();
        gReadDay.stop();
        benchmark::DoNotOptimize(read);
    }
    if (read != rows.size())
        state.SkipWithError("read back a different number of readings than stored");
    gReadIterations = double(state.iterations());
    state.counters["readings"] = double(read);
    state.counters["ms_per_day"] = gReadDay.wall_s / gReadIterations * 1e3;
}

/// The reference for the read: the same rows stepped with plain SQLite calls into bare
/// vectors, series by series, from the plain one-row-per-reading table BM_PlainInserts wrote:
/// what reading them costs when SQLite keeps each reading as a row.
void BM_ReadBackPlainSqlite(benchmark::State& state) {
    const fs::path file = fs::temp_directory_path() / "parktwin_bench_plain.sqlite";
    sqlite3* db = nullptr;
    sqlite3_stmt* range = nullptr;
    if (!fs::exists(file) ||
        sqlite3_open_v2(file.string().c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT time_utc, value, status, period_s FROM readings "
                           "WHERE series_id = ?1 AND time_utc >= ?2 AND time_utc < ?3",
                           -1, &range, nullptr) != SQLITE_OK) {
        state.SkipWithError("run BM_PlainInserts first: it writes the table read here");
        sqlite3_close(db);
        return;
    }
    sqlite3_exec(db, "PRAGMA cache_size=-65536", nullptr, nullptr, nullptr);
    const std::int64_t from = toEpochSeconds(kDayStart);
    const std::int64_t to = from + 24 * 3600 + 1;
    std::vector<std::int64_t> times;
    std::vector<double> values;
    std::vector<int> flags;
    for (auto _ : state) {
        gReadPlain.start();
        times.clear();
        values.clear();
        flags.clear();
        for (int id = 1; id <= kStations * kParameters; ++id) {
            sqlite3_bind_int(range, 1, id);
            sqlite3_bind_int64(range, 2, from);
            sqlite3_bind_int64(range, 3, to);
            while (sqlite3_step(range) == SQLITE_ROW) {
                times.push_back(sqlite3_column_int64(range, 0));
                values.push_back(sqlite3_column_double(range, 1));
                flags.push_back(sqlite3_column_int(range, 2) + sqlite3_column_int(range, 3));
            }
            sqlite3_reset(range);
        }
        gReadPlain.stop();
        benchmark::DoNotOptimize(values.data());
    }
    sqlite3_finalize(range);
    sqlite3_close(db);
    if (values.size() != rawRows().size())
        state.SkipWithError("read back a different number of readings than stored");
    gReadPlainIterations = double(state.iterations());
}

BENCHMARK(BM_IngestWithValidation)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();
BENCHMARK(BM_PlainInserts)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();
BENCHMARK(BM_ReadBackOneDay)->Unit(benchmark::kMillisecond)->Iterations(20)->UseRealTime();
BENCHMARK(BM_ReadBackPlainSqlite)->Unit(benchmark::kMillisecond)->Iterations(20)->UseRealTime();

} // namespace

int main(int argc, char** argv) {
    log::setLevel(log::Level::Warn); // one info line per committed batch is too many here
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    const std::size_t n = rawRows().size();
    std::printf("\n%zu readings (%d stations x %d parameters x %d five-minute steps)\n", n,
                kStations, kParameters, kStepsPerDay);
    if (gValidated.wall_s > 0 && gPlain.wall_s > 0) {
        std::printf("ingest with validation: %.0f readings/s wall, %.0f per CPU second "
                    "(target >= 200000/s)\n",
                    gRows / gValidated.wall_s, gRows / gValidated.cpu_s);
        std::printf("plain inserts:          %.0f readings/s wall, %.0f per CPU second\n",
                    gRows / gPlain.wall_s, gRows / gPlain.cpu_s);
        std::printf("ratio validated / plain: %.2f wall, %.2f CPU\n",
                    gPlain.wall_s / gValidated.wall_s, gPlain.cpu_s / gValidated.cpu_s);
    }
    if (gReadIterations > 0)
        std::printf("one day read back (600 series): %.1f ms wall, %.1f ms CPU (target < 50 ms)\n",
                    gReadDay.wall_s / gReadIterations * 1e3,
                    gReadDay.cpu_s / gReadIterations * 1e3);
    if (gReadIterations > 0 && gReadPlainIterations > 0)
        std::printf("plain SQLite read of the same rows: %.1f ms wall, %.1f ms CPU; ratio "
                    "store / plain %.2f wall, %.2f CPU\n",
                    gReadPlain.wall_s / gReadPlainIterations * 1e3,
                    gReadPlain.cpu_s / gReadPlainIterations * 1e3,
                    (gReadDay.wall_s / gReadIterations) /
                        (gReadPlain.wall_s / gReadPlainIterations),
                    (gReadDay.cpu_s / gReadIterations) / (gReadPlain.cpu_s / gReadPlainIterations));
    return 0;
}
