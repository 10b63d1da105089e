#include "engine/sensors/drop_folder.h"

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/sensors/station_file.h"

#include <algorithm>
#include <fstream>
#include <system_error>
#include <vector>

namespace fs = std::filesystem;

namespace parktwin::sensors {
namespace {

/// `dir/name`, or `dir/name.1`, `dir/name.2`, ... when that is taken: a file sent twice
/// under one name keeps both copies.
fs::path freeName(const fs::path& dir, const std::string& name) {
    fs::path target = dir / name;
    for (int k = 1; fs::exists(fs::symlink_status(target)); ++k)
        target = dir / (name + "." + std::to_string(k));
    return target;
}

} // namespace

fs::path entryInside(const fs::path& folder, const std::string& name) {
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos ||
        name.find('\0') != std::string::npos)
        throw InputError((folder / name).string(), "",
                         "refused: the name climbs out of the drop folder " + folder.string());
    const fs::path entry = folder / name;
    std::error_code ec;
    if (fs::is_symlink(fs::symlink_status(entry, ec)))
        throw InputError(entry.string(), "",
                         "refused: a symbolic link, whose target may lie outside the drop "
                         "folder " +
                             folder.string());
    return entry;
}

DropFolder::DropFolder(fs::path folder, UtcOffset offset)
    : folder_(std::move(folder)), offset_(offset) {
    std::error_code ec;
    if (!fs::is_directory(folder_, ec))
        throw Error(folder_.string() + ": the drop folder does not exist or is not a folder");
    fs::create_directories(folder_ / "processed", ec);
    if (!ec)
        fs::create_directories(folder_ / "rejected", ec);
    if (ec)
        throw Error(folder_.string() + ": cannot create processed/ and rejected/: " + ec.message());
}

void DropFolder::moveInto(const fs::path& file, const fs::path& subfolder) {
    const fs::path target = freeName(folder_ / subfolder, file.filename().string());
    fs::rename(file, target);
}

void DropFolder::reject(const fs::path& file, const std::string& reason) {
    const fs::path target = freeName(folder_ / "rejected", file.filename().string());
    {
        std::ofstream out(target.string() + ".reason");
        out << reason << "\n";
    }
    fs::rename(file, target);
    log::get("ingest").warn("rejected {}: {}", file.filename().string(), reason);
}

DropScanResult DropFolder::scanOnce(ReadingStore& store, IngestTotals& totals,
                                    std::chrono::seconds settle,
                                    const CommittedBatchListener& onCommitted) {
    std::vector<std::string> names;
    for (const fs::directory_entry& e : fs::directory_iterator(folder_)) {
        const std::string name = e.path().filename().string();
        if (name.empty() || name[0] == '.' || e.is_directory())
            continue;
        names.push_back(name);
    }
    std::sort(names.begin(), names.end());

    DropScanResult result;
    const auto now = fs::file_time_type::clock::now();
    for (const std::string& name : names) {
        fs::path file = folder_ / name;
        try {
            file = entryInside(folder_, name);
            std::error_code ec;
            // A FIFO or device would block the read or never end.
            if (!fs::is_regular_file(fs::symlink_status(file, ec)))
                throw InputError(file.string(), "", "refused: not a regular file");
            if (settle.count() > 0 && now - fs::last_write_time(file, ec) < settle) {
                ++result.waiting;
                continue;
            }
            const auto raw = readStationFile(file, offset_);
            Ingest ingest(store, name, raw.size());
            ingest.setCommittedBatchListener(onCommitted);
            for (const RawReading& r : raw)
                ingest.add(r);
            ingest.flush();
            const IngestTotals& t = ingest.totals();
            totals += t;
            if (t.validation.refusedTotal() > 0)
                log::get("ingest").warn("{}: {}", name, t.validation.summary());
            // Moved only after the commit: a crash in between processes the file again,
            // which stores nothing twice.
            moveInto(file, "processed");
            ++result.processed;
        } catch (const InputError& e) {
            reject(file, e.what());
            ++result.rejected;
        }
    }
    return result;
}

} // namespace parktwin::sensors
