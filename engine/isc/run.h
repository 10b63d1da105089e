#pragma once
// Runs an ISCST3 control file: reads its met file, computes every hour for every source
// group, and accumulates the averages the OU pathway asks for.

#include <filesystem>
#include <cstdint>
#include <functional>
#include <vector>

#include "engine/core/met.h"
#include "engine/dispersion/averaging.h"
#include "engine/isc/deck.h"

namespace parktwin::isc {

struct GroupResult {
    std::string id;
    dispersion::AveragingAccumulator averages;
};

/// What the print file and the output files need from a run.
struct RunResult {
    std::vector<GroupResult> groups; ///< in the deck's SRCGROUP order
    long hours = 0;                  ///< hours processed
    long calmHours = 0;              ///< calm hours among them
    long calmHoursInFile = 0;        ///< calm hours in the whole met file
    std::vector<std::int64_t> calmStamps; ///< YYMMDDHH of the calm hours in the met file
    std::vector<MetHour> firstDay;   ///< the first 24 processed hours, for the print file
    std::vector<dispersion::IscHour> firstDayStamps;
    double decayCoefficient_per_s = 0;
};

/// Called for every closed block of every group (for the POSTFILE and MAXIFILE outputs):
/// group index, period index, the block's last hour, the averages, and the calm/missing flags.
using BlockSink = std::function<void(std::size_t group, std::size_t period,
                                     const dispersion::IscHour& hour,
                                     std::span<const double> averages, bool calm,
                                     bool missing)>;
/// Called after each hour with the number done and the total, for a progress bar.
using Progress = std::function<void(long done, long total)>;

/// Runs the deck. A missing met file, a gap of an hour or more in it, or a met file that holds
/// none of the selected days is an InputError naming the file and line.
/// Hours are shared out over `threads` cores (0: all of them), a block of hours at a time, and
/// added to the averages in order, so results do not depend on the thread count.
RunResult runDeck(const Deck& deck, const BlockSink& sink = {}, const Progress& progress = {},
                  int threads = 0);

} // namespace parktwin::isc
