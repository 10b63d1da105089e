#include "engine/dispersion/averaging.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/core/error.h"

namespace parktwin::dispersion {
namespace {

/// The fewest hours a short-term average divides by when calm or missing hours are in its
/// block: 75% of the block, rounded as ISC3 does (3 h: 3, 8 h: 6, 24 h: 18).
int minimumDivisor(int period_h) { return static_cast<int>(std::lround(0.75 * period_h + 0.4)); }

/// Inserts `v` into a list kept highest first, keeping at most `capacity` entries. A value
/// equal to one already listed goes after it: the earlier block keeps the higher rank, as in
/// ISC3's tables.
void insertRanked(std::span<RankedValue> list, const RankedValue& v) {
    if (list.empty() || !(v.value > list.back().value))
        return;
    auto pos = std::upper_bound(list.begin(), list.end(), v,
                                [](const RankedValue& a, const RankedValue& b) {
                                    return a.value > b.value;
                                });
    std::move_backward(pos, list.end() - 1, list.end());
    *pos = v;
}

} // namespace

AveragingAccumulator::AveragingAccumulator(std::size_t receptorCount, std::vector<int> periods_h,
                                           int ranks, int topN)
    : receptors_(receptorCount), periods_h_(std::move(periods_h)), ranks_(ranks), topN_(topN),
      periodSum_(receptorCount, 0.0), averages_(receptorCount, 0.0) {
    if (ranks_ < 1 || ranks_ > 10)
        throw Error("averaging: ranks per receptor must be 1-10, not " + std::to_string(ranks));
    for (int p : periods_h_)
        if (p < 1 || 24 % p != 0)
            throw Error("averaging: a block of " + std::to_string(p) +
                        " hours does not divide the day");
    blocks_.resize(periods_h_.size());
    for (Block& b : blocks_)
        b.sum.assign(receptors_, 0.0);
    // Unset slots hold -1 so that a first block of zeros still ranks, with its date.
    RankedValue unset;
    unset.value = -1.0;
    high_.assign(periods_h_.size(), std::vector<RankedValue>(receptors_ * ranks_, unset));
    top_.assign(periods_h_.size(), std::vector<RankedValue>(std::max(topN_, 0), unset));
}

void AveragingAccumulator::addHour(const IscHour& hour, std::span<const double> conc, bool calm,
                                   bool missing) {
    if (conc.size() != receptors_)
        throw Error("averaging: " + std::to_string(conc.size()) + " values for " +
                    std::to_string(receptors_) + " receptors");
    ++hours_;
    calmHours_ += calm;
    missingHours_ += missing;
    const bool valid = !calm && !missing;
    if (valid)
        for (std::size_t r = 0; r < receptors_; ++r)
            periodSum_[r] += conc[r];
    for (std::size_t p = 0; p < periods_h_.size(); ++p) {
        Block& b = blocks_[p];
        ++b.hours;
        b.calm += calm;
        b.missing += missing;
        if (valid)
            for (std::size_t r = 0; r < receptors_; ++r)
                b.sum[r] += conc[r];
        if (hour.hourEnding % periods_h_[p] == 0)
            closeBlock(p, hour);
    }
}

void AveragingAccumulator::closeBlock(std::size_t p, const IscHour& hour) {
    Block& b = blocks_[p];
    const int validHours = b.hours - b.calm - b.missing;
    const bool flagged = b.calm > 0 || b.missing > 0;
    const int divisor =
        flagged ? std::max(validHours, minimumDivisor(periods_h_[p])) : std::max(b.hours, 1);
    RankedValue v;
    v.stamp = hour.stamp();
    v.calm = b.calm > 0;
    v.missing = b.missing > 0;
    std::span<RankedValue> top(top_[p]);
    for (std::size_t r = 0; r < receptors_; ++r) {
        averages_[r] = b.sum[r] / divisor;
        v.value = averages_[r];
        v.receptor = r;
        insertRanked(std::span(high_[p]).subspan(r * std::size_t(ranks_), std::size_t(ranks_)),
                     v);
        insertRanked(top, v);
    }
    if (listener_)
        listener_(p, hour, averages_, v.calm, v.missing);
    std::fill(b.sum.begin(), b.sum.end(), 0.0);
    b.hours = b.calm = b.missing = 0;
}

double AveragingAccumulator::periodAverage(std::size_t receptor) const {
    const long valid = hours_ - calmHours_ - missingHours_;
    return valid > 0 ? periodSum_[receptor] / double(valid) : 0.0;
}

} // namespace parktwin::dispersion
