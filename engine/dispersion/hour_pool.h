#pragma once
// Computes one hour of concentrations on several cores: the receptors are split into one slice
// per thread and every thread runs the same source models over its slice. Hours stay in order,
// so averages and ranked tables can be accumulated as the run goes.

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

private:
    void workerLoop(std::size_t index);

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable start_;
    std::condition_variable done_;
    const SliceJob* job_ = nullptr;
    std::span<const Receptor> receptors_;
    std::span<double> out_;
    std::size_t generation_ = 0;
    std::size_t pending_ = 0;
    bool stopping_ = false;
    std::exception_ptr error_;
};

} // namespace parktwin::dispersion
