#pragma once
// A watched drop folder of monitoring-station files (the FTP target of Thông tư 10/2021
// transmissions). Each file is read, validated and committed as one batch, then moved to
// `processed/`; a file that cannot be read is moved to `rejected/` with a `<name>.reason`
// file beside it. Nothing is deleted.

#include "engine/core/time.h"
#include "engine/sensors/ingest.h"

#include <chrono>
#include <filesystem>
#include <string>

namespace parktwin::sensors {

/// The path of the entry `name` directly inside `folder`. Throws InputError when the name
/// could lead elsewhere: an empty name, ".", "..", a name holding a '/' or a NUL, or an entry
/// that is a symbolic link (its target may be anywhere).
std::filesystem::path entryInside(const std::filesystem::path& folder, const std::string& name);

struct DropScanResult {
    int processed = 0;
    int rejected = 0;
    int waiting = 0; ///< files too recently modified to be complete yet
};

class DropFolder {
public:
    /// Watches `folder` (which must exist); creates its processed/ and rejected/ subfolders.
    /// Station clocks are local at `offset`.
    DropFolder(std::filesystem::path folder, UtcOffset offset);

    /// Processes every regular file in the folder (not hidden ones, whose names start with
    /// '.', which uploads use while writing) that was last modified at least `settle` ago, in
    /// name order, and adds what it did to `totals`. Each file is one batch, handed to
    /// `onCommitted` (when set) once committed.
    DropScanResult scanOnce(ReadingStore& store, IngestTotals& totals,
                            std::chrono::seconds settle = std::chrono::seconds(0),
                            const CommittedBatchListener& onCommitted = {});

    const std::filesystem::path& folder() const { return folder_; }

private:
    void reject(const std::filesystem::path& file, const std::string& reason);
    void moveInto(const std::filesystem::path& file, const std::filesystem::path& subfolder);

    std::filesystem::path folder_;
    UtcOffset offset_;
};

} // namespace parktwin::sensors
