// Ingest into the store: the drop folder (processed, rejected with a reason, paths that climb
// out refused), idempotent re-ingest, and acknowledged batches surviving SIGKILL.

#include "engine/core/error.h"
#include "engine/sensors/drop_folder.h"
#include "engine/sensors/ingest.h"
#include "test_paths.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <gtest/gtest.h>
#include <poll.h>
#include <random>
#include <sqlite3.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace parktwin;
using namespace parktwin::sensors;

namespace {

constexpr UtcOffset kVietnam{420};

void write(const fs::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
}

std::string slurp(const fs::path& file) {
    std::ifstream in(file);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

const char* kGoodFile = "SO2\t45.2\tµg/m³\t20240115103000\t00\r\n"
                        "NO2\t-999\tµg/m³\t20240115103000\t00\r\n"
                        "PM2,5\t18.5\tµg/m³\t20240115103000\t01\r\n";

} // namespace

TEST(DropFolder, ProcessesGoodFilesAndRejectsBrokenOnesWithAReason) {
    const fs::path dir = test::scratchDir();
    const fs::path drop = dir / "drop";
    fs::create_directories(drop);
    write(drop / "TNG_GTTN_KK01_20240115103000.txt", kGoodFile);
    write(drop / "TNG_GTTN_KK01_20240115103500.txt", "SO2\t45.2\tug/m3\t2024011510"); // cut short
    write(drop / "KK02_20240115103000.txt", "SO2\t1\t\xB5g/m3\t20240115103000\t00\r\n");
    write(drop / ".KK03_20240115103000.txt.part", "SO2\t1"); // still uploading

    ReadingStore store(dir / "readings.sqlite");
    DropFolder folder(drop, kVietnam);
    IngestTotals totals;
    const DropScanResult r = folder.scanOnce(store, totals);
    EXPECT_EQ(r.processed, 1);
    EXPECT_EQ(r.rejected, 2);
    EXPECT_EQ(totals.inserted, 2);
    EXPECT_EQ(totals.validation.flagged, 1);
    EXPECT_EQ(totals.validation.refusedFor(RefusalReason::MissingMarker), 1);

    EXPECT_TRUE(fs::exists(drop / "processed/TNG_GTTN_KK01_20240115103000.txt"));
    EXPECT_TRUE(fs::exists(drop / "rejected/TNG_GTTN_KK01_20240115103500.txt"));
    EXPECT_NE(slurp(drop / "rejected/TNG_GTTN_KK01_20240115103500.txt.reason")
                  .find("line 1: the file ends without a line end"),
              std::string::npos);
    EXPECT_NE(slurp(drop / "rejected/KK02_20240115103000.txt.reason").find("not UTF-8"),
              std::string::npos);
    EXPECT_TRUE(fs::exists(drop / ".KK03_20240115103000.txt.part"));

    const auto stored = store.latestAt(parseIsoTime("2024-01-15T10:30+07:00", kVietnam));
    ASSERT_EQ(stored.size(), 2u);
    EXPECT_EQ(stored[0].station, "TNG_GTTN_KK01");
    EXPECT_EQ(stored[0].parameter, "PM2.5");
    EXPECT_EQ(stored[0].status, ReadingStatus::Calibrating);

    // The same transmission dropped again stores nothing twice and keeps both copies.
    write(drop / "TNG_GTTN_KK01_20240115103000.txt", kGoodFile);
    IngestTotals again;
    EXPECT_EQ(folder.scanOnce(store, again).processed, 1);
    EXPECT_EQ(again.inserted, 0);
    EXPECT_EQ(again.repeats, 2);
    EXPECT_EQ(store.readingCount(), 2);
    EXPECT_TRUE(fs::exists(drop / "processed/TNG_GTTN_KK01_20240115103000.txt.1"));
}

TEST(DropFolder, PathsThatClimbOutOfTheFolderAreRefused) {
    const fs::path dir = test::scratchDir();
    const fs::path drop = dir / "drop";
    fs::create_directories(drop);
    write(dir / "KK09_20240115103000.txt", kGoodFile); // outside the drop folder
    fs::create_symlink(dir / "KK09_20240115103000.txt", drop / "KK09_20240115103000.txt");

    ASSERT_EQ(::mkfifo((drop / "KK11_20240115103000.txt").c_str(), 0600), 0);
    EXPECT_THROW(entryInside(drop, "../KK09_20240115103000.txt"), InputError);
    EXPECT_THROW(entryInside(drop, ".."), InputError);
    EXPECT_THROW(entryInside(drop, "sub/KK09.txt"), InputError);
    EXPECT_THROW(entryInside(drop, "KK09_20240115103000.txt"), InputError); // the link
    EXPECT_EQ(entryInside(drop, "KK10.txt"), drop / "KK10.txt");

    ReadingStore store(dir / "readings.sqlite");
    DropFolder folder(drop, kVietnam);
    IngestTotals totals;
    const DropScanResult r = folder.scanOnce(store, totals);
    EXPECT_EQ(r.rejected, 2); // the link and the FIFO, which would block a reader
    EXPECT_EQ(store.readingCount(), 0);
    EXPECT_NE(slurp(drop / "rejected/KK11_20240115103000.txt.reason").find("not a regular file"),
              std::string::npos);
    // The link itself went to rejected/; the file it pointed to is untouched.
    EXPECT_TRUE(fs::is_symlink(drop / "rejected/KK09_20240115103000.txt"));
    EXPECT_EQ(slurp(dir / "KK09_20240115103000.txt"), kGoodFile);
    EXPECT_NE(slurp(drop / "rejected/KK09_20240115103000.txt.reason").find("symbolic link"),
              std::string::npos);
}

TEST(DropFolder, AFolderThatIsNotThereIsAClearError) {
    const fs::path dir = test::scratchDir();
    EXPECT_THROW(DropFolder(dir / "absent", kVietnam), Error);
}

namespace {

// A long, deterministic stream: reading i is station S<i % 100>, parameter <(i / 100) % 6>,
// at 5-minute steps every 600 readings, with value i, so a reading proves its own index.
constexpr const char* kParameters[] = {"SO2", "NO2", "CO", "O3", "PM10", "PM2.5"};

RawReading streamReading(long i) {
    RawReading r;
    r.station = "S" + std::to_string(i % 100);
    r.parameter = kParameters[(i / 100) % 6];
    r.value = double(i);
    r.unit = "ug/m3";
    r.time =
        parseIsoTime("2024-01-01T00:00Z", UtcOffset{0}) + std::chrono::seconds(300 * (i / 600));
    r.period_s = 300;
    return r;
}

/// The child: ingests the stream from `start` in batches, and after each commit writes
/// "<batch id> <first index> <last index>" to `fd`. Runs until killed.
[[noreturn]] void ingestUntilKilled(const fs::path& db, long start, int fd) {
    try {
        ReadingStore store(db);
        constexpr long kBatch = 500;
        for (long first = start;; first += kBatch) {
            std::vector<Reading> batch;
            ValidationCounts counts;
            for (long i = first; i < first + kBatch; ++i)
                batch.push_back(*validate(streamReading(i), counts));
            const BatchAck ack = store.writeBatch(batch, "stream");
            char line[96];
            const int n =
                std::snprintf(line, sizeof line, "%lld %ld %ld\n",
                              static_cast<long long>(ack.batchId), first, first + kBatch - 1);
            if (::write(fd, line, n) != n)
                ::_exit(3);
        }
    } catch (...) {
        ::_exit(2);
    }
}

std::string queryText(sqlite3* db, const char* sql) {
    sqlite3_stmt* s = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return out;
}

} // namespace

TEST(IngestCrash, EveryLoggedBatchSurvivesSigkillMidStream) {
    const fs::path db = test::scratchDir() / "readings.sqlite";
    std::mt19937 random(20240115);
    std::uniform_int_distribution<long> batchesBeforeKill(1, 12);
    std::uniform_int_distribution<int> extraDelay_us(0, 30000);
    long acknowledged = -1; // highest stream index in a logged batch
    int kills = 0;

    for (int round = 0; round < 12; ++round) {
        int fds[2];
        ASSERT_EQ(::pipe(fds), 0);
        // Resume a little before the last acknowledged reading, as a feed that redelivers.
        const long start = std::max(0L, acknowledged + 1 - 700);
        const pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            ::close(fds[0]);
            ingestUntilKilled(db, start, fds[1]);
        }
        ::close(fds[1]);
        ::fcntl(fds[0], F_SETFL, O_NONBLOCK);

        // Let the child commit a random number of batches, then kill it a random time later:
        // the kill lands anywhere in the next batches, inside a transaction or between them.
        // Counting commits rather than waiting a fixed time keeps the test independent of the
        // machine's speed.
        std::string logged;
        const long wantBatches = batchesBeforeKill(random);
        char buf[4096];
        bool childGone = false; // the pipe closed: the child died on its own
        while (!childGone && std::count(logged.begin(), logged.end(), '\n') < wantBatches) {
            pollfd p{fds[0], POLLIN, 0};
            ::poll(&p, 1, 100);
            ssize_t n = 0;
            while ((n = ::read(fds[0], buf, sizeof buf)) > 0)
                logged.append(buf, std::size_t(n));
            childGone = n == 0;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(extraDelay_us(random)));
        ASSERT_EQ(::kill(child, SIGKILL), 0);
        int status = 0;
        ::waitpid(child, &status, 0);
        ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
            << "round " << round << ": the ingest ended by itself (status " << status << ")";
        ++kills;
        // Lines written before the kill are still in the pipe: they were logged too.
        ::fcntl(fds[0], F_SETFL, 0);
        for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
            logged.append(buf, std::size_t(n));
        ::close(fds[0]);

        std::istringstream lines(logged);
        long long batchId = 0;
        long first = 0, last = 0;
        int batchesThisRound = 0;
        std::vector<std::pair<long long, long>> batchLast;
        while (lines >> batchId >> first >> last) {
            acknowledged = std::max(acknowledged, last);
            batchLast.emplace_back(batchId, last);
            ++batchesThisRound;
        }
        ASSERT_GE(batchesThisRound, wantBatches) << "round " << round;

        // The database opens cleanly and holds every reading of every logged batch.
        sqlite3* raw = nullptr;
        ASSERT_EQ(sqlite3_open(db.string().c_str(), &raw), SQLITE_OK);
        EXPECT_EQ(queryText(raw, "PRAGMA integrity_check"), "ok") << "round " << round;
        sqlite3_close(raw);

        ReadingStore store(db);
        // Reading i has value i: every index up to the highest acknowledged one is there.
        std::vector<bool> seen(std::size_t(acknowledged + 1), false);
        for (int s = 0; s < 100; ++s)
            for (const char* p : kParameters)
                for (const Reading& r : store.readings(streamReading(s).station, p,
                                                       fromEpochSeconds(0),
                                                       fromEpochSeconds(std::int64_t(1) << 40)))
                    if (r.value >= 0 && r.value <= double(acknowledged))
                        seen[std::size_t(r.value)] = true;
        EXPECT_EQ(std::count(seen.begin(), seen.end(), false), 0)
            << "round " << round << ": readings of logged batches are missing";
        // Each logged batch has its row in the store's batch log, with its last key.
        const auto log = store.batchLog();
        for (const auto& [id, lastIndex] : batchLast) {
            ASSERT_LE(id, static_cast<long long>(log.size()));
            const BatchLogEntry& entry = log[std::size_t(id - 1)];
            ASSERT_EQ(entry.batchId, id);
            const RawReading expected = streamReading(lastIndex);
            EXPECT_EQ(entry.lastStation, expected.station);
            EXPECT_EQ(entry.lastParameter, expected.parameter);
            EXPECT_EQ(entry.lastTime, expected.time);
        }
        // A spot check of values: reading i has value i under its own key.
        const RawReading probe = streamReading(acknowledged / 2);
        const auto rows = store.readings(probe.station, probe.parameter, probe.time,
                                         probe.time + std::chrono::seconds(1));
        ASSERT_EQ(rows.size(), 1u);
        EXPECT_DOUBLE_EQ(rows[0].value, *probe.value);
    }
    EXPECT_GE(kills, 10);
}
