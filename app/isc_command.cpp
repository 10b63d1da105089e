// parktwin isc: runs an ISCST3 control file and writes ISCST3's print file and the output
// files its OU pathway names.

#include <cstdio>

#include "app/commands.h"
#include "engine/core/log.h"
#include "engine/isc/deck.h"
#include "engine/isc/outputs.h"
#include "engine/isc/run.h"

namespace parktwin::app {

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
    int lastPercent = -1;
    const isc::RunResult result = isc::runDeck(deck, files.sink(), [&](long done, long total) {
        const int percent = int(100 * done / total);
        if (!args.progress || percent == lastPercent)
            return;
        lastPercent = percent;
        std::fprintf(stderr, "\r[%-40s] %3d%%  hour %ld of %ld", 
                     std::string(size_t(percent * 40 / 100), '#').c_str(), percent, done, total);
        if (done == total)
            std::fprintf(stderr, "\n");
    });
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
