#pragma once
// Per-station sequence numbers of a live feed: notices messages that never arrived.

#include <cstdint>
#include <map>
#include <string>

namespace parktwin::sensors {

struct SequenceCheck {
    enum class Kind {
        First,     ///< first message seen from the station
        InOrder,   ///< the number after the last one
        Gap,       ///< numbers were skipped: `missing` messages never arrived
        Repeat,    ///< at or below the last number: a redelivery, or the sender restarted
    } kind = Kind::First;
    std::uint64_t missing = 0;  ///< for Gap: how many numbers were skipped
    std::uint64_t previous = 0; ///< the last number seen before this one (not for First)
};

class SequenceTracker {
public:
    /// Records `sequence` from `station` and says how it follows the previous one.
    SequenceCheck observe(const std::string& station, std::uint64_t sequence);

    /// Starts a station from a number known from an earlier run, so a gap across a restart of
    /// the subscriber is still seen.
    void resume(const std::string& station, std::uint64_t lastSequence);

    const std::map<std::string, std::uint64_t>& last() const { return last_; }

private:
    std::map<std::string, std::uint64_t> last_;
};

} // namespace parktwin::sensors
