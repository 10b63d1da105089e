#pragma once
// The path from parsed readings to the store: validation, batching, one committed and logged
// transaction per batch.

#include "engine/sensors/reading_store.h"
#include "engine/sensors/validation.h"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace parktwin::sensors {

/// What an ingest has done so far.
struct IngestTotals {
    ValidationCounts validation;
    long batches = 0;
    long inserted = 0;       ///< new readings stored
    long repeats = 0;        ///< already stored with the same value
    long conflicts = 0;      ///< already stored with another value; the stored one kept
    long unitMismatches = 0; ///< not stored: their series holds another unit

    IngestTotals& operator+=(const IngestTotals& o);
};

/// Told of each batch once it is committed, with the readings it held (as the alarms need them).
using CommittedBatchListener = std::function<void(const std::vector<Reading>& batch)>;

/// Validates readings and writes them to the store in batches of `batchSize`. Each committed
/// batch is acknowledged and logged ("[ingest] batch N committed: ..."), and recorded in the
/// store's ingest_batches table in the same transaction. Readings not yet committed when the
/// process dies are simply not acknowledged; feeding the source again stores them once.
class Ingest {
public:
    Ingest(ReadingStore& store, std::string source, std::size_t batchSize = 1000);

    /// Validates one reading; refused ones are counted, accepted ones queued. Commits a batch
    /// when the queue is full.
    void add(const RawReading& raw);

    /// Commits whatever is queued (nothing when the queue is empty).
    void flush();

    /// Calls `listener` after each committed batch, on the caller's thread. An exception it
    /// throws leaves the batch committed and comes out of add() or flush().
    void setCommittedBatchListener(CommittedBatchListener listener) {
        listener_ = std::move(listener);
    }

    const IngestTotals& totals() const { return totals_; }

private:
    ReadingStore& store_;
    std::string source_;
    std::size_t batchSize_;
    std::vector<Reading> pending_;
    IngestTotals totals_;
    CommittedBatchListener listener_;
};

} // namespace parktwin::sensors
