// parktwin ingest: station files from a watched drop folder, or CSV history, into the
// readings store.

#include "app/commands.h"
#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/sensors/csv_history.h"
#include "engine/sensors/drop_folder.h"
#include "engine/sensors/ingest.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <thread>

namespace parktwin::app {
namespace {

std::atomic<bool> gStop{false};

extern "C" void requestStop(int) {
    gStop = true;
}

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

int ingestCsv(const IngestArgs& args, sensors::ReadingStore& store, UtcOffset offset) {
    sensors::IngestTotals sum;
    for (const auto& file : args.csv) {
        const sensors::CsvHistory history =
            sensors::readCsvHistory(file, sensors::CsvSource{offset, args.station});
        sensors::Ingest ingest(store, file.filename().string(), std::size_t(args.batchSize));
        for (const sensors::RawReading& r : history.readings)
            ingest.add(r);
        ingest.flush();
        log::get("ingest").info("{}: {}", file.string(), ingest.totals().validation.summary());
        sum += ingest.totals();
    }
    printTotals(sum, 0, 0, false, args.json);
    return 0;
}

int watchFolder(const IngestArgs& args, sensors::ReadingStore& store, UtcOffset offset) {
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
    do {
        const sensors::DropScanResult r = folder.scanOnce(store, sum, settle);
        processed += r.processed;
        rejected += r.rejected;
        for (auto waited = std::chrono::milliseconds(0);
             !args.once && !gStop && waited < std::chrono::duration<double>(args.pollSeconds);
             waited += std::chrono::milliseconds(100))
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } while (!args.once && !gStop);
    printTotals(sum, processed, rejected, true, args.json);
    return 0;
}

} // namespace

int ingestCommand(const IngestArgs& args) {
    const UtcOffset offset = parseUtcOffset(args.utcOffset);
    sensors::ReadingStore store(args.db);
    if (!args.watch.empty())
        return watchFolder(args, store, offset);
    return ingestCsv(args, store, offset);
}

} // namespace parktwin::app
