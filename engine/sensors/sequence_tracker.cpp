#include "engine/sensors/sequence_tracker.h"

namespace parktwin::sensors {

SequenceCheck SequenceTracker::observe(const std::string& station, std::uint64_t sequence) {
    SequenceCheck check;
    auto [it, inserted] = last_.try_emplace(station, sequence);
    if (inserted)
        return check;

    check.previous = it->second;
    if (sequence == it->second + 1) {
        check.kind = SequenceCheck::Kind::InOrder;
    } else if (sequence > it->second) {
        check.kind = SequenceCheck::Kind::Gap;
        check.missing = sequence - it->second - 1;
    } else {
        // QoS 1 delivers at least once, so a repeat is expected after a reconnect; a number far
        // below the last one means the sender restarted its count. Either way the newest number
        // is the reference for the next gap check only when it moves forward or restarts.
        check.kind = SequenceCheck::Kind::Repeat;
        if (sequence <= 1)
            it->second = sequence;
        return check;
    }
    it->second = sequence;
    return check;
}

void SequenceTracker::resume(const std::string& station, std::uint64_t lastSequence) {
    last_[station] = lastSequence;
}

} // namespace parktwin::sensors
