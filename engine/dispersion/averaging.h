#pragma once
// Short-term block averages, period averages and their ranked highest values per receptor, as
// ISC3 accumulates them (EPA ISC3 user's guide, volume I, sections 3.2.3 and 3.7, and
// volume II, section 1.5): blocks of N hours close at hours ending on a multiple of N in local
// standard time; calm and missing hours count as zero, and a short-term average divides by
// the larger of its valid hours and 75% of N (rounded), a period average by its valid hours.
// Memory depends on the receptors and ranks kept, never on the number of hours.

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace parktwin::dispersion {

/// An hour as ISC stamps it: year, month, day and hour ending 1-24, local standard time.
struct IscHour {
    int year = 0;
    int month = 0;
    int day = 0;
    int hourEnding = 0;

    /// YYMMDDHH, the stamp of ISC3's tables and files.
    std::int64_t stamp() const {
        return std::int64_t(year % 100) * 1000000 + month * 10000 + day * 100 + hourEnding;
    }
};

/// One averaged value with the stamp of the block's last hour and whether calm or missing
/// hours went into it (ISC3 prints 'c', 'm' or 'b' after such values).
struct RankedValue {
    double value = 0;
    std::int64_t stamp = 0;
    bool calm = false;
    bool missing = false;
    std::size_t receptor = 0;

    char flag() const { return calm && missing ? 'b' : calm ? 'c' : missing ? 'm' : ' '; }
};

class AveragingAccumulator {
public:
    /// `periods_h`: the short-term averaging times (1, 2, 3, 4, 6, 8, 12 or 24 hours);
    /// `ranks`: how many of the highest values to keep per receptor and period (ISC3's
    /// RECTABLE FIRST..TENTH); `topN`: the length of the overall table per period (MAXTABLE).
    AveragingAccumulator(std::size_t receptorCount, std::vector<int> periods_h, int ranks,
                         int topN);

    /// Called once for every block that closes: period index, the block's last hour, the
    /// averages per receptor, and whether calm or missing hours were in the block.
    using BlockListener = std::function<void(std::size_t period, const IscHour& hour,
                                             std::span<const double> averages, bool calm,
                                             bool missing)>;
    void onBlock(BlockListener listener) { listener_ = std::move(listener); }

    /// Adds one hour of concentrations (ignored when calm or missing: those hours count as
    /// zero, with their flags). Hours must come in order, one per clock hour.
    void addHour(const IscHour& hour, std::span<const double> concentrations, bool calm,
                 bool missing);

    std::span<const int> periods() const { return periods_h_; }
    int ranks() const { return ranks_; }

    /// The rank-th highest (0 = highest) block average at a receptor for a period index.
    const RankedValue& highest(std::size_t period, std::size_t receptor, int rank) const {
        return high_[period][receptor * std::size_t(ranks_) + std::size_t(rank)];
    }
    /// The overall top values of a period, highest first.
    std::span<const RankedValue> top(std::size_t period) const { return top_[period]; }

    /// Period average at a receptor: the sum of the hours over the valid hours.
    double periodAverage(std::size_t receptor) const;
    long hours() const { return hours_; }
    long calmHours() const { return calmHours_; }
    long missingHours() const { return missingHours_; }

private:
    void closeBlock(std::size_t p, const IscHour& hour);

    std::size_t receptors_;
    std::vector<int> periods_h_;
    int ranks_;
    int topN_;
    BlockListener listener_;

    std::vector<double> periodSum_;
    long hours_ = 0, calmHours_ = 0, missingHours_ = 0;

    struct Block {
        std::vector<double> sum;
        int hours = 0, calm = 0, missing = 0;
    };
    std::vector<Block> blocks_;
    std::vector<double> averages_; // scratch for one closing block
    std::vector<std::vector<RankedValue>> high_;
    std::vector<std::vector<RankedValue>> top_;
};

} // namespace parktwin::dispersion
