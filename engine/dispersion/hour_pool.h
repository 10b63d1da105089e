#pragma once
// Computes concentrations on several cores, in one of two ways: one hour with the receptors
// split into one slice per thread (run), or a block of independent tasks, such as whole hours,
// handed out to the threads as they come free (forEach). Either way the caller gets the
// results back in order, so averages and ranked tables can be accumulated as the run goes.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "engine/dispersion/plume.h"

namespace parktwin::dispersion {

class HourPool {
public:
    /// What one thread computes for its receptor slice: add the hour's concentrations at
    /// `receptors` into `out` (same size). Called concurrently on disjoint slices.
    using SliceJob =
        std::function<void(std::span<const Receptor> receptors, std::span<double> out)>;

    /// `threads` <= 0 means one per core.
    explicit HourPool(int threads = 0);
    ~HourPool();
    HourPool(const HourPool&) = delete;
    HourPool& operator=(const HourPool&) = delete;

    int threads() const { return int(workers_.size()) + 1; }

    /// Runs `job` over all receptors, split into slices, and returns when every slice is done.
    /// The calling thread computes the first slice. An exception from a slice is rethrown here.
    void run(std::span<const Receptor> receptors, std::span<double> out, const SliceJob& job);

    /// Calls `task(i)` once for each i in [0, count), spread over the threads, each thread
    /// taking the next index when it is done with one, and returns when all are done. The
    /// calling thread works too. The first exception from a task is rethrown here.
    void forEach(std::size_t count, const std::function<void(std::size_t)>& task);

private:
    void workerLoop(std::size_t index);
    /// Runs `work(thread index)` on every thread, the caller as thread 0, and waits.
    void onEveryThread(const std::function<void(std::size_t)>& work);

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable start_;
    std::condition_variable done_;
    const std::function<void(std::size_t)>* work_ = nullptr;
    std::size_t generation_ = 0;
    std::size_t pending_ = 0;
    bool stopping_ = false;
    std::exception_ptr error_;
};

} // namespace parktwin::dispersion
