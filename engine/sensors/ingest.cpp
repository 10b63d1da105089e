#include "engine/sensors/ingest.h"

#include "engine/core/log.h"

#include <utility>

namespace parktwin::sensors {

IngestTotals& IngestTotals::operator+=(const IngestTotals& o) {
    validation += o.validation;
    batches += o.batches;
    inserted += o.inserted;
    repeats += o.repeats;
    conflicts += o.conflicts;
    unitMismatches += o.unitMismatches;
    return *this;
}

Ingest::Ingest(ReadingStore& store, std::string source, std::size_t batchSize)
    : store_(store), source_(std::move(source)), batchSize_(batchSize > 0 ? batchSize : 1) {
    pending_.reserve(batchSize_);
}

void Ingest::add(const RawReading& raw) {
    auto reading = validate(raw, totals_.validation);
    if (!reading)
        return;
    pending_.push_back(std::move(*reading));
    if (pending_.size() >= batchSize_)
        flush();
}

void Ingest::flush() {
    if (pending_.empty())
        return;
    const BatchAck ack = store_.writeBatch(pending_, source_);
    ++totals_.batches;
    totals_.inserted += ack.inserted;
    totals_.repeats += ack.repeats;
    totals_.conflicts += ack.conflicts;
    totals_.unitMismatches += ack.unitMismatches;

    const Reading& last = pending_.back();
    log::get("ingest").info("batch {} committed: {} readings ({} new, {} repeated, {} "
                            "conflicting) from {}, last {} {} {}",
                            ack.batchId, ack.count, ack.inserted, ack.repeats, ack.conflicts,
                            source_, last.station, last.parameter,
                            formatIsoTime(last.time, UtcOffset{0}));
    if (ack.conflicts > 0)
        log::get("ingest").warn("{} readings of {} repeat a stored (station, parameter, time) "
                                "with another value or status; the stored values were kept",
                                ack.conflicts, source_);
    if (ack.unitMismatches > 0)
        log::get("ingest").warn("{} readings of {} not stored: their station already reports "
                                "that parameter in another unit",
                                ack.unitMismatches, source_);
    std::vector<Reading> committed;
    committed.swap(pending_);
    pending_.reserve(batchSize_);
    if (listener_)
        listener_(committed);
}

} // namespace parktwin::sensors
