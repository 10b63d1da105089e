#include "engine/sensors/incident_ranker.h"

#include <set>

#include "engine/core/log.h"

namespace parktwin::sensors {
namespace {

using SteadyClock = std::chrono::steady_clock;

spdlog::logger& rankLog() { return log::get("attribution"); }

UtcTime wallClock() {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

/// Opening, reopening and closing outrank growth as the trigger recorded for a queued job.
int triggerWeight(const std::string& trigger) { return trigger == "grew" ? 0 : 1; }

} // namespace

IncidentRanker::IncidentRanker(const std::filesystem::path& database, RankerOptions options)
    : options_(std::move(options)) {
    readings_ = std::make_unique<ReadingStore>(database);
    alarms_ = std::make_unique<AlarmStore>(database);
    thread_ = std::thread([this] { loop(); });
}

IncidentRanker::~IncidentRanker() { stop(); }

void IncidentRanker::request(std::int64_t incidentId, IncidentChange change) {
    const auto now = SteadyClock::now();
    const std::string trigger = incidentChangeName(change);
    {
        std::lock_guard lock(mutex_);
        auto due = now;
        if (change == IncidentChange::Grew)
            if (const auto last = lastRun_.find(incidentId); last != lastRun_.end())
                due = std::max(now, last->second + options_.minInterval);
        auto [it, fresh] = queue_.try_emplace(incidentId, Job{due, trigger});
        if (!fresh) {
            it->second.due = std::min(it->second.due, due);
            if (triggerWeight(trigger) >= triggerWeight(it->second.trigger))
                it->second.trigger = trigger;
        }
    }
    wake_.notify_one();
}

void IncidentRanker::requestUnranked() {
    {
        std::lock_guard lock(mutex_);
        scanUnranked_ = true;
    }
    wake_.notify_one();
}

void IncidentRanker::queueUnranked(std::unique_lock<std::mutex>& lock) {
    scanUnranked_ = false;
    lock.unlock();
    std::vector<std::int64_t> unranked;
    try {
        std::set<std::int64_t> ranked;
        for (const IncidentRanking& r : alarms_->rankings())
            ranked.insert(r.incidentId);
        for (const IncidentRecord& inc : alarms_->incidents())
            if (!ranked.count(inc.id))
                unranked.push_back(inc.id);
    } catch (const std::exception& e) {
        rankLog().error("cannot list the incidents to rank: {}", e.what());
    }
    if (!unranked.empty())
        rankLog().info("{} incident(s) of an earlier run have no ranking yet: ranking them",
                       unranked.size());
    lock.lock();
    for (std::int64_t id : unranked)
        queue_.try_emplace(id, Job{SteadyClock::now(), "resumed"});
}

void IncidentRanker::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !thread_.joinable())
            return;
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable())
        thread_.join();
}

std::uint64_t IncidentRanker::written() const {
    std::lock_guard lock(mutex_);
    return written_;
}

void IncidentRanker::loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (scanUnranked_) {
            queueUnranked(lock);
            continue;
        }
        if (queue_.empty()) {
            if (stopping_)
                return;
            wake_.wait(lock);
            continue;
        }
        auto next = queue_.begin();
        for (auto it = queue_.begin(); it != queue_.end(); ++it)
            if (it->second.due < next->second.due)
                next = it;
        // Stopping: throttled jobs are not left behind.
        if (!stopping_ && next->second.due > SteadyClock::now()) {
            wake_.wait_until(lock, next->second.due);
            continue;
        }
        const std::int64_t id = next->first;
        const std::string trigger = next->second.trigger;
        queue_.erase(next);
        lastRun_[id] = SteadyClock::now();
        lock.unlock();
        rank(id, trigger);
        lock.lock();
        ++written_;
    }
}

void IncidentRanker::rank(std::int64_t incidentId, const std::string& trigger) {
    // The thread must never end the process: whatever fails is logged and, where the store
    // still works, recorded as the reason the incident has no ranking.
    try {
        std::optional<IncidentRecord> incident;
        for (IncidentRecord& inc : alarms_->incidents())
            if (inc.id == incidentId)
                incident = std::move(inc);
        if (!incident) {
            rankLog().error("incident {} to rank is not in {}", incidentId,
                            alarms_->file().string());
            return;
        }
        IncidentRanking r;
        try {
            r = rankIncident(*readings_, *incident, options_.park ? &*options_.park : nullptr,
                             options_.ranking, trigger);
        } catch (const std::exception& e) {
            r = IncidentRanking{};
            r.incidentId = incidentId;
            r.trigger = trigger;
            r.computedAt = wallClock();
            r.windowFrom = incident->start;
            r.windowTo = incident->lastExceedingEnd;
            r.reason = std::string("the attribution failed: ") + e.what();
        }
        alarms_->saveRanking(r);
        if (r.ranked && !r.sources.empty())
            rankLog().info("incident {} ranked ({}): {} first at {:.3g} g/s (share {:.2f}), "
                           "R2 {:.2f} over {} readings",
                           incidentId, trigger, r.sources.front().sourceId,
                           r.sources.front().rate_gs, r.sources.front().share, r.r2, r.samples);
        else
            rankLog().warn("incident {} not ranked ({}): {}", incidentId, trigger, r.reason);
    } catch (const std::exception& e) {
        rankLog().error("incident {}: the ranking could not be stored: {}", incidentId,
                        e.what());
    }
}

} // namespace parktwin::sensors
