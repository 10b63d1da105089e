#pragma once
// What-if runs from the viewer: a planner changes a source's emission or stack height, places
// a planned building or stack on the ground, and runs the scenario again on a worker thread
// while the window stays responsive. The result becomes a variant of the view's content.

#include "engine/core/met.h"
#include "engine/core/park.h"
#include "engine/scenario/runner.h"
#include "engine/scenario/scenario.h"

#include <atomic>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace parktwin::viewer {

/// A scenario source with the rate and release height a what-if gives it.
struct SourceChange {
    std::string stack;          ///< SourceSpec::stack it changes
    double emissionRate_gs = 0; ///< base rate (the hourly factors still apply)
    double height_m = 0;        ///< release height above the stack base
};

/// A planned stack with its emission rate, grams per second.
struct PlannedStack {
    Stack stack;
    double emissionRate_gs = 0;
};

/// Everything a what-if changes against the baseline.
struct WhatIfEdit {
    std::vector<SourceChange> sources; ///< one per scenario source, in scenario order
    std::vector<Building> buildings;   ///< planned buildings, added to the park's
    std::vector<PlannedStack> stacks;  ///< planned stacks, added to the park's and emitting

    bool empty() const { return buildings.empty() && stacks.empty(); }
};

/// The edit that changes nothing: each scenario source at its base rate and modelled height
/// (the scenario's override, else the park stack's height; 0 for an unknown stack).
WhatIfEdit unchangedEdit(const scenario::Scenario& scenario, const ParkModel& park);

/// A planned rectangular building centred on `ground` (local frame; z is the ground height
/// there), `width_m` along the rotated x axis and `depth_m` across, turned `rotation_deg`
/// anticlockwise from east, `height_m` tall. Throws parktwin::Error for a non-positive size.
Building plannedBuilding(const std::string& id, Vec3 ground, double width_m, double depth_m,
                         double height_m, double rotation_deg);

/// A planned stack standing on `ground` (local frame; z is its base elevation). Throws
/// parktwin::Error for a non-positive height or diameter, a negative exit velocity or a
/// non-positive exit temperature.
Stack plannedStack(const std::string& id, Vec3 ground, double height_m, double diameter_m,
                   double exitVelocity_ms, double exitTemperature_K);

/// The park and scenario of a what-if.
struct WhatIfCase {
    ParkModel park;             ///< the baseline's, with the planned buildings and stacks
    scenario::Scenario scenario; ///< the baseline's, changed and without its variants
};

/// Applies an edit: planned buildings and stacks join a copy of the park (so the runner
/// derives every stack's building wake from them too), changed sources take their rate and
/// height, planned stacks emit at their rate. Throws parktwin::Error when a change names no
/// source of the scenario or a planned id is already taken.
WhatIfCase applyEdit(const ParkModel& park, const scenario::Scenario& scenario,
                     const WhatIfEdit& edit);

/// One what-if run on its own thread. The runner itself uses `threads` threads (0: one fewer
/// than the cores, at least one, so the window keeps a core).
class WhatIfRun {
public:
    /// Starts the run at once. `park`, `scenario`, `met` and `traffic` (the baseline's truck
    /// exhaust, or null) are read on the worker thread and must outlive the run, unchanged.
    WhatIfRun(const ParkModel& park, const scenario::Scenario& scenario, const MetSeries& met,
              WhatIfEdit edit, int threads = 0,
              const std::vector<logistics::HourlySources>* traffic = nullptr);
    /// Waits for the run to end (a run cannot be cut short).
    ~WhatIfRun();
    WhatIfRun(const WhatIfRun&) = delete;
    WhatIfRun& operator=(const WhatIfRun&) = delete;

    /// Hours done and hours in all so far (total is 0 until the run has set up).
    int hoursDone() const { return done_.load(); }
    int hoursTotal() const { return total_.load(); }
    bool finished() const { return finished_.load(); }
    /// Blocks until the run has finished.
    void wait();

    /// The run's result once finished; rethrows the run's error. Call once.
    scenario::RunResult take();

    const WhatIfEdit& edit() const { return edit_; }

private:
    WhatIfEdit edit_;
    std::atomic<int> done_{0};
    std::atomic<int> total_{0};
    std::atomic<bool> finished_{false};
    std::optional<scenario::RunResult> result_;
    std::exception_ptr error_;
    std::thread worker_;
};

} // namespace parktwin::viewer
