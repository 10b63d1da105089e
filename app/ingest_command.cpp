// parktwin ingest: station files from a watched drop folder, or CSV history, into the
// readings store.

#include "app/commands.h"
#include "app/ranking_park.h"
#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/sensors/alarms.h"
#include "engine/sensors/csv_history.h"
#include "engine/sensors/drop_folder.h"
#include "engine/sensors/incident_ranker.h"
#include "engine/sensors/ingest.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

namespace parktwin::app {
namespace {

std::atomic<bool> gStop{false};

extern "C" void requestStop(int) {
    gStop = true;
}

UtcTime wallClock() {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

/// The alarms on the committed batches of a file ingest, and the ranking of the sources of
/// the incidents they open, grow or close: asked for with --park or --thresholds.
class IncidentWatch {
public:
    IncidentWatch(const IngestArgs& args, UtcOffset offset) {
        sensors::AlarmConfig config;
        config.reportingInterval = std::chrono::seconds(args.interval_s);
        config.emissionFactor = args.emissionFactor;
        config.localOffset = offset;
        store_ = std::make_unique<sensors::AlarmStore>(args.db);
        alarms_ = std::make_unique<sensors::AlarmEngine>(
            readThresholds(args.thresholds.empty() ? bundledThresholds() : args.thresholds),
            config, *store_);
        // An incident is ranked as it opens and closes; a growing one at most hourly, and
        // whatever is queued when the input ends is ranked before the command returns.
        ranker_ = std::make_unique<sensors::IncidentRanker>(
            args.db, rankerOptions(args.park, args.metStation, args.leadInHours, 3600));
        alarms_->setIncidentListener([this](std::int64_t id, sensors::IncidentChange change) {
            ranker_->request(id, change);
        });
        ranker_->requestUnranked();
    }

    sensors::CommittedBatchListener listener() {
        return [this](const std::vector<sensors::Reading>& batch) {
            alarms_->onReadings(batch, wallClock());
        };
    }

    /// Silent-station alarms, for a watched folder.
    void tick() { alarms_->tick(wallClock()); }

    /// Ranks what is queued and logs what the alarms did.
    void finish() {
        ranker_->stop();
        const sensors::AlarmStats& a = alarms_->stats();
        log::get("alarms").info("alarms saw {} values ({} flagged, {} without a limit, {} "
                                "late); {} incident ranking(s) stored",
                                a.readings, a.flagged, a.withoutLimit, a.late,
                                ranker_->written());
    }

private:
    std::unique_ptr<sensors::AlarmStore> store_;
    std::unique_ptr<sensors::AlarmEngine> alarms_;
    std::unique_ptr<sensors::IncidentRanker> ranker_;
};

void printTotals(const sensors::IngestTotals& t, int processed, int rejected, bool watch,
                 bool asJson) {
    if (asJson) {
        nlohmann::json refused = nlohmann::json::object();
        for (int i = 0; i < sensors::kRefusalReasonCount; ++i)
            refused[sensors::refusalReasonName(static_cast<sensors::RefusalReason>(i))] =
                t.validation.refused[i];
        nlohmann::json j = {{"batches", t.batches},
                            {"inserted", t.inserted},
                            {"repeats", t.repeats},
                            {"conflicts", t.conflicts},
                            {"unit_mismatches", t.unitMismatches},
                            {"accepted", t.validation.accepted},
                            {"flagged", t.validation.flagged},
                            {"refused", refused}};
        if (watch) {
            j["files_processed"] = processed;
            j["files_rejected"] = rejected;
        }
        std::printf("%s\n", j.dump(2).c_str());
        return;
    }
    if (watch)
        std::printf("%d files processed, %d rejected\n", processed, rejected);
    std::printf("%ld readings stored in %ld batches (%ld already there, %ld conflicting, %ld in "
                "another unit than their series); %s\n",
                t.inserted, t.batches, t.repeats, t.conflicts, t.unitMismatches,
                t.validation.summary().c_str());
}

int ingestCsv(const IngestArgs& args, sensors::ReadingStore& store, UtcOffset offset,
              IncidentWatch* watch) {
    sensors::IngestTotals sum;
    for (const auto& file : args.csv) {
        const sensors::CsvHistory history =
            sensors::readCsvHistory(file, sensors::CsvSource{offset, args.station});
        sensors::Ingest ingest(store, file.filename().string(), std::size_t(args.batchSize));
        if (watch)
            ingest.setCommittedBatchListener(watch->listener());
        for (const sensors::RawReading& r : history.readings)
            ingest.add(r);
        ingest.flush();
        log::get("ingest").info("{}: {}", file.string(), ingest.totals().validation.summary());
        sum += ingest.totals();
    }
    if (watch)
        watch->finish();
    printTotals(sum, 0, 0, false, args.json);
    return 0;
}

int watchFolder(const IngestArgs& args, sensors::ReadingStore& store, UtcOffset offset,
                IncidentWatch* watch) {
    sensors::DropFolder folder(args.watch, offset);
    sensors::IngestTotals sum;
    int processed = 0, rejected = 0;
    if (!args.once) {
        std::signal(SIGINT, requestStop);
        std::signal(SIGTERM, requestStop);
        log::get("ingest").info("watching {} every {} s (Ctrl-C stops)", args.watch.string(),
                                args.pollSeconds);
    }
    // An upload in progress keeps changing the file: wait until it has been still for a
    // poll interval before reading it, except with --once, which takes what is there.
    const auto settle = args.once
                            ? std::chrono::seconds(0)
                            : std::chrono::seconds(std::max(1L, std::lround(args.pollSeconds)));
    const sensors::CommittedBatchListener onCommitted =
        watch ? watch->listener() : sensors::CommittedBatchListener{};
    do {
        const sensors::DropScanResult r = folder.scanOnce(store, sum, settle, onCommitted);
        processed += r.processed;
        rejected += r.rejected;
        if (watch && !args.once)
            watch->tick();
        for (auto waited = std::chrono::milliseconds(0);
             !args.once && !gStop && waited < std::chrono::duration<double>(args.pollSeconds);
             waited += std::chrono::milliseconds(100))
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } while (!args.once && !gStop);
    if (watch)
        watch->finish();
    printTotals(sum, processed, rejected, true, args.json);
    return 0;
}

} // namespace

int ingestCommand(const IngestArgs& args) {
    const UtcOffset offset = parseUtcOffset(args.utcOffset);
    sensors::ReadingStore store(args.db);
    std::unique_ptr<IncidentWatch> watch;
    if (!args.park.empty() || !args.thresholds.empty())
        watch = std::make_unique<IncidentWatch>(args, offset);
    if (!args.watch.empty())
        return watchFolder(args, store, offset, watch.get());
    return ingestCsv(args, store, offset, watch.get());
}

} // namespace parktwin::app
