#pragma once
// ISCST3's output files, in its own layouts (ISC3 user's guide, volume I, section 3.7.2 and
// the headers ISCST3 02035 writes): the print file with the result tables, the PLOTFILE,
// POSTFILE (PLOT format) and MAXIFILE files an OU pathway asks for, the EVENTFIL runstream
// for the ISC short-term event model and the ERRORFIL message list.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "engine/isc/deck.h"
#include "engine/isc/run.h"

namespace parktwin::isc {

/// The files written while the run goes (POSTFILE and MAXIFILE records, block by block) and at
/// its end (PERIOD POSTFILEs, PLOTFILEs). File names are the deck's, inside `outDir`.
class OutputFiles {
public:
    OutputFiles(const Deck& deck, const std::filesystem::path& outDir);
    ~OutputFiles();

    /// The block sink to pass to runDeck().
    BlockSink sink();
    /// Writes the files that need the whole run, and closes everything.
    void finish(const RunResult& result);

    /// Every file written, for the command's summary.
    const std::vector<std::filesystem::path>& written() const { return written_; }

private:
    struct Stream;
    std::ofstream& open(const std::string& name);
    void block(std::size_t group, std::size_t period, const dispersion::IscHour& hour,
               std::span<const double> averages, bool calm, bool missing);

    /// A MAXIFILE threshold exceedance, kept for the EVENTFIL runstream.
    struct Exceedance {
        int period_h;
        std::size_t group;
        std::int64_t stamp;
        std::size_t receptor;
    };
    void writeEventFile(const RunResult& result);
    void writeMessageFile(const RunResult& result);

    const Deck& deck_;
    std::filesystem::path outDir_;
    std::vector<Exceedance> exceedances_;
    std::vector<std::unique_ptr<Stream>> streams_;
    std::vector<std::filesystem::path> written_;
};

/// Writes the print file: the deck echo, the setup summary, a day of met data, the PERIOD,
/// RECTABLE and MAXTABLE tables, the summaries of the highest values and the message summary.
void writePrintFile(const Deck& deck, const RunResult& result, const std::filesystem::path& file);

/// Where an output named in the deck goes: relative names inside `outDir`, absolute ones by
/// their file name inside `outDir`.
std::filesystem::path outputPath(const std::filesystem::path& outDir, const std::string& name);

} // namespace parktwin::isc
