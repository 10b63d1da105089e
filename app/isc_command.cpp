// parktwin isc: runs an ISCST3 control file and writes ISCST3's print file and the output
// files its OU pathway names.

#include <chrono>
#include <cstdio>
#include <string>

#include <unistd.h>

#include "app/commands.h"
#include "engine/core/log.h"
#include "engine/isc/deck.h"
#include "engine/isc/outputs.h"
#include "engine/isc/run.h"

namespace parktwin::app {
namespace {

/// The hour reached and the time left: a bar on a terminal, a log line every tenth otherwise.
class HourProgress {
public:
    explicit HourProgress(bool enabled) : enabled_(enabled), tty_(isatty(STDERR_FILENO)) {}

    void operator()(long done, long total) {
        if (!enabled_ || total <= 0)
            return;
        const double elapsed_s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        const double left_s = done > 0 ? elapsed_s * double(total - done) / double(done) : 0.0;
        const long tenth = done * 10 / total;
        if (tty_) {
            const long filled = 30 * done / total;
            std::fprintf(stderr, "\r[isc] [%-30s] hour %ld/%ld, %.0f s left ",
                         std::string(size_t(filled), '#').c_str(), done, total, left_s);
            if (done == total)
                std::fprintf(stderr, "\n");
        } else if (tenth != lastTenth_) {
            log::get("isc").info("hour {}/{} ({:.0f} s left)", done, total, left_s);
        }
        lastTenth_ = tenth;
    }

private:
    bool enabled_;
    bool tty_;
    long lastTenth_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

} // namespace

int iscCommand(const IscArgs& args) {
    const isc::Deck deck = isc::readDeck(args.deck);
    const std::filesystem::path out =
        args.out.empty() ? std::filesystem::path(deck.path.stem().string() + "-out") : args.out;
    std::filesystem::create_directories(out);
    if (!deck.control.run) {
        log::get("isc").info("RUNORNOT NOT: the deck was checked and nothing was run");
        return 0;
    }
    isc::OutputFiles files(deck, out);
    HourProgress progress(args.progress);
    const isc::RunResult result =
        isc::runDeck(deck, files.sink(), [&](long done, long total) { progress(done, total); });
    files.finish(result);
    const std::filesystem::path print = out / (deck.path.stem().string() + ".out");
    isc::writePrintFile(deck, result, print);
    std::printf("%s: %ld hours (%ld calm), %zu receptors; print file %s\n",
                deck.path.string().c_str(), result.hours, result.calmHours,
                deck.receptors.size(), print.string().c_str());
    for (const auto& f : files.written())
        std::printf("  wrote %s\n", f.string().c_str());
    return 0;
}

} // namespace parktwin::app
