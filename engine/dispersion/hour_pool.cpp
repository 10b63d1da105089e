#include "engine/dispersion/hour_pool.h"

#include <algorithm>

namespace parktwin::dispersion {
namespace {

/// The [begin, end) receptor range of slice `index` of `slices`.
std::pair<std::size_t, std::size_t> sliceRange(std::size_t count, std::size_t slices,
                                               std::size_t index) {
    const std::size_t base = count / slices, extra = count % slices;
    const std::size_t begin = index * base + std::min(index, extra);
    return {begin, begin + base + (index < extra ? 1 : 0)};
}

} // namespace

HourPool::HourPool(int threads) {
    const int n = threads > 0 ? threads
                              : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    for (int i = 1; i < n; ++i)
        workers_.emplace_back([this, i] { workerLoop(std::size_t(i)); });
}

HourPool::~HourPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    start_.notify_all();
    for (std::thread& t : workers_)
        t.join();
}

void HourPool::workerLoop(std::size_t index) {
    std::size_t seen = 0;
    while (true) {
        std::unique_lock lock(mutex_);
        start_.wait(lock, [&] { return stopping_ || generation_ != seen; });
        if (stopping_)
            return;
        seen = generation_;
        const std::function<void(std::size_t)>& work = *work_;
        lock.unlock();

        std::exception_ptr error;
        try {
            work(index);
        } catch (...) {
            error = std::current_exception();
        }

        lock.lock();
        if (error && !error_)
            error_ = error;
        if (--pending_ == 0)
            done_.notify_one();
    }
}

void HourPool::onEveryThread(const std::function<void(std::size_t)>& work) {
    if (workers_.empty()) {
        work(0);
        return;
    }
    {
        std::lock_guard lock(mutex_);
        work_ = &work;
        pending_ = workers_.size();
        error_ = nullptr;
        ++generation_;
    }
    start_.notify_all();

    std::exception_ptr mine;
    try {
        work(0);
    } catch (...) {
        mine = std::current_exception();
    }

    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return pending_ == 0; });
    work_ = nullptr;
    if (mine)
        std::rethrow_exception(mine);
    if (error_)
        std::rethrow_exception(error_);
}

void HourPool::run(std::span<const Receptor> receptors, std::span<double> out,
                   const SliceJob& job) {
    const std::size_t slices = workers_.size() + 1;
    onEveryThread([&](std::size_t index) {
        const auto [begin, end] = sliceRange(receptors.size(), slices, index);
        if (begin < end)
            job(receptors.subspan(begin, end - begin), out.subspan(begin, end - begin));
    });
}

void HourPool::forEach(std::size_t count, const std::function<void(std::size_t)>& task) {
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    onEveryThread([&](std::size_t) {
        try {
            for (std::size_t i = next++; i < count && !failed; i = next++)
                task(i);
        } catch (...) {
            failed = true; // the other threads stop taking tasks
            throw;
        }
    });
}

} // namespace parktwin::dispersion
