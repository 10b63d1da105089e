// The per-hour receptor pool gives the same concentrations as one thread, slice for slice.

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "engine/dispersion/hour_pool.h"

using namespace parktwin;
using namespace parktwin::dispersion;

TEST(HourPool, ThreadedHourEqualsSingleThreadedHour) {
    std::vector<PointSource> stacks(3);
    stacks[0] = {"a", {0, 0}, 0, 40, 2.0, 12, 420, 25, {}};
    stacks[1] = {"b", {300, -200}, 5, 25, 1.2, 8, 380, 6, {}};
    stacks[2] = {"c", {-500, 400}, 0, 60, 3.0, 15, 450, 60, {}};
    std::vector<Receptor> receptors;
    for (int i = 0; i < 1001; ++i)
        receptors.push_back({{-2000.0 + 4.0 * i, 1500.0 - 3.0 * i}, 0.01 * i, 1.5});
    MetHour hour;
    hour.windSpeed_ms = 3.5;
    hour.windFromDir_deg = 300;
    hour.stability = Stability::C;
    hour.mixingHeight_m = 800;
    const PlumeOptions options;

    std::vector<double> single(receptors.size(), 0.0);
    addHourConcentrations(stacks, hour, receptors, options, single);

    for (int threads : {1, 2, 3, 7}) {
        HourPool pool(threads);
        EXPECT_EQ(pool.threads(), threads);
        for (int repeat = 0; repeat < 3; ++repeat) {
            std::vector<double> pooled(receptors.size(), 0.0);
            pool.run(receptors, pooled, [&](std::span<const Receptor> r, std::span<double> out) {
                addHourConcentrations(stacks, hour, r, options, out);
            });
            for (std::size_t i = 0; i < receptors.size(); ++i)
                ASSERT_EQ(pooled[i], single[i]) << threads << " threads, receptor " << i;
        }
    }
}

TEST(HourPool, ASliceErrorReachesTheCaller) {
    HourPool pool(2);
    std::vector<Receptor> receptors(10);
    std::vector<double> out(10);
    EXPECT_THROW(pool.run(receptors, out,
                          [](std::span<const Receptor>, std::span<double>) {
                              throw std::runtime_error("slice failed");
                          }),
                 std::runtime_error);
    // The pool is still usable afterwards.
    pool.run(receptors, out, [](std::span<const Receptor>, std::span<double> o) {
        for (double& v : o)
            v = 1.0;
    });
    for (double v : out)
        EXPECT_EQ(v, 1.0);
}

TEST(HourPool, ForEachRunsEveryTaskOnce) {
    for (int threads : {1, 2, 5}) {
        HourPool pool(threads);
        for (std::size_t count : {std::size_t(0), std::size_t(1), std::size_t(3),
                                  std::size_t(1000)}) {
            std::vector<int> runs(count, 0);
            pool.forEach(count, [&](std::size_t i) { ++runs[i]; });
            for (std::size_t i = 0; i < count; ++i)
                ASSERT_EQ(runs[i], 1) << threads << " threads, task " << i << " of " << count;
        }
    }
}

TEST(HourPool, ForEachErrorReachesTheCaller) {
    HourPool pool(2);
    EXPECT_THROW(pool.forEach(100,
                              [](std::size_t i) {
                                  if (i == 37)
                                      throw std::runtime_error("task failed");
                              }),
                 std::runtime_error);
    std::vector<int> runs(10, 0);
    pool.forEach(10, [&](std::size_t i) { runs[i] = 1; });
    for (int r : runs)
        EXPECT_EQ(r, 1);
}
