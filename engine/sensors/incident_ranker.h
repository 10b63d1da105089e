#pragma once
// Ranks incidents' sources on a thread of its own, so a live feed's receive thread only queues
// the request: each incident is ranked when it opens, reopens or closes, and at most once per
// `minInterval` while it grows. Each ranking (or the reason there is none) is written to the
// store with its audit row; what is queued when the ranker stops is ranked before it returns.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "engine/sensors/alarms.h"
#include "engine/sensors/incident_ranking.h"

namespace parktwin::sensors {

struct RankerOptions {
    std::optional<RankingPark> park; ///< none: incidents are stored with the reason instead
    RankingOptions ranking;
    /// A growing incident is ranked again at most this often (wall clock).
    std::chrono::milliseconds minInterval{60000};
};

class IncidentRanker {
public:
    /// Opens its own connections to `database` and starts the thread; throws Error when the
    /// database cannot be opened.
    IncidentRanker(const std::filesystem::path& database, RankerOptions options);
    /// Stops, ranking what is still queued.
    ~IncidentRanker();
    IncidentRanker(const IncidentRanker&) = delete;
    IncidentRanker& operator=(const IncidentRanker&) = delete;

    /// Queues a ranking of the incident for the change; cheap, safe from any thread.
    void request(std::int64_t incidentId, IncidentChange change);

    /// Queues every incident of the store that has no ranking yet (after a restart).
    void requestUnranked();

    /// Ranks everything queued, throttled or not, and ends the thread. Idempotent.
    void stop();

    /// Rankings written so far (ranked or not).
    std::uint64_t written() const;

private:
    struct Job {
        std::chrono::steady_clock::time_point due;
        std::string trigger;
    };
    void loop();
    void queueUnranked(std::unique_lock<std::mutex>& lock);
    void rank(std::int64_t incidentId, const std::string& trigger);

    RankerOptions options_;
    std::unique_ptr<ReadingStore> readings_;
    std::unique_ptr<AlarmStore> alarms_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::map<std::int64_t, Job> queue_;
    std::map<std::int64_t, std::chrono::steady_clock::time_point> lastRun_;
    bool stopping_ = false;
    bool scanUnranked_ = false;
    std::uint64_t written_ = 0;
    std::thread thread_;
};

} // namespace parktwin::sensors
