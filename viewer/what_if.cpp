#include "viewer/what_if.h"

#include "engine/core/error.h"
#include "engine/core/log.h"

#include <algorithm>
#include <cmath>

namespace parktwin::viewer {

WhatIfEdit unchangedEdit(const scenario::Scenario& scenario, const ParkModel& park) {
    WhatIfEdit edit;
    for (const scenario::SourceSpec& spec : scenario.sources) {
        const Stack* stack = park.findStack(spec.stack);
        const double height_m = spec.height_m ? *spec.height_m : stack ? stack->height_m : 0.0;
        edit.sources.push_back({spec.stack, spec.emissionRate_gs, height_m});
    }
    return edit;
}

Building plannedBuilding(const std::string& id, Vec3 ground, double width_m, double depth_m,
                         double height_m, double rotation_deg) {
    if (!(width_m > 0) || !(depth_m > 0) || !(height_m > 0))
        throw Error("planned building " + id + ": width, depth and height must be positive");
    const double a = rotation_deg * M_PI / 180.0;
    const Vec2 along{std::cos(a), std::sin(a)}, across{-std::sin(a), std::cos(a)};
    const Vec2 centre{ground.x, ground.y};
    Building b;
    b.id = id;
    b.name = "planned building";
    b.use = "industrial";
    b.planned = true;
    b.heightSource = HeightSource::Planned;
    b.height_m = height_m;
    b.baseElevation_m = ground.z;
    // Counter-clockwise, as the park's footprints are.
    for (const auto& [u, v] : {std::pair{-1, -1}, {1, -1}, {1, 1}, {-1, 1}})
        b.footprint.outer.push_back(centre + along * (u * width_m / 2) +
                                    across * (v * depth_m / 2));
    b.note = "placed in the viewer";
    return b;
}

Stack plannedStack(const std::string& id, Vec3 ground, double height_m, double diameter_m,
                   double exitVelocity_ms, double exitTemperature_K) {
    if (!(height_m > 0) || !(diameter_m > 0) || !(exitVelocity_ms >= 0) ||
        !(exitTemperature_K > 0))
        throw Error("planned stack " + id + ": height, diameter and exit temperature must be "
                    "positive and the exit velocity not negative");
    Stack s;
    s.id = id;
    s.name = "planned stack";
    s.position = {ground.x, ground.y};
    s.baseElevation_m = ground.z;
    s.height_m = height_m;
    s.diameter_m = diameter_m;
    s.exitVelocity_ms = exitVelocity_ms;
    s.exitTemperature_K = exitTemperature_K;
    s.planned = true;
    s.note = "placed in the viewer";
    return s;
}

WhatIfCase applyEdit(const ParkModel& park, const scenario::Scenario& scenario,
                     const WhatIfEdit& edit) {
    WhatIfCase c{park, scenario};
    c.scenario.variants.clear();
    c.scenario.variantOf = scenario.name;
    c.scenario.name = scenario.name + "-what-if";

    for (const SourceChange& change : edit.sources) {
        const auto spec = std::find_if(
            c.scenario.sources.begin(), c.scenario.sources.end(),
            [&](const scenario::SourceSpec& s) { return s.stack == change.stack; });
        if (spec == c.scenario.sources.end())
            throw Error("what-if: the scenario has no source '" + change.stack + "'");
        spec->emissionRate_gs = change.emissionRate_gs;
        spec->height_m = change.height_m;
    }
    auto taken = [&](const std::string& id) {
        return std::any_of(c.park.buildings.begin(), c.park.buildings.end(),
                           [&](const Building& b) { return b.id == id; }) ||
               c.park.findStack(id) != nullptr;
    };
    for (const Building& b : edit.buildings) {
        if (taken(b.id))
            throw Error("what-if: the park already has a building or stack '" + b.id + "'");
        c.park.buildings.push_back(b);
    }
    for (const PlannedStack& p : edit.stacks) {
        if (taken(p.stack.id))
            throw Error("what-if: the park already has a building or stack '" + p.stack.id +
                        "'");
        c.park.stacks.push_back(p.stack);
        scenario::SourceSpec spec;
        spec.stack = p.stack.id;
        spec.emissionRate_gs = p.emissionRate_gs;
        spec.note = "planned in the viewer";
        spec.where = "what-if stack '" + p.stack.id + "'";
        c.scenario.sources.push_back(spec);
    }
    return c;
}

WhatIfRun::WhatIfRun(const ParkModel& park, const scenario::Scenario& scenario,
                     const MetSeries& met, WhatIfEdit edit, int threads,
                     const std::vector<logistics::HourlySources>* traffic)
    : edit_(std::move(edit)) {
    if (threads <= 0)
        threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1);
    worker_ = std::thread([this, &park, &scenario, &met, threads, traffic] {
        try {
            const WhatIfCase c = applyEdit(park, scenario, edit_);
            total_ = c.scenario.hourCount();
            scenario::RunOptions options;
            options.threads = threads;
            if (traffic)
                options.traffic = *traffic;
            options.progress = [this](int done, int total) {
                done_ = done;
                total_ = total;
            };
            result_ = scenario::runScenario(c.scenario, c.park, met, options);
        } catch (...) {
            error_ = std::current_exception();
        }
        finished_ = true;
    });
    log::get("viewer").info("what-if run started: {} planned buildings, {} planned stacks",
                            edit_.buildings.size(), edit_.stacks.size());
}

WhatIfRun::~WhatIfRun() { wait(); }

void WhatIfRun::wait() {
    if (worker_.joinable())
        worker_.join();
}

scenario::RunResult WhatIfRun::take() {
    wait();
    if (error_)
        std::rethrow_exception(error_);
    if (!result_)
        throw Error("what-if: the run's result was already taken");
    scenario::RunResult r = std::move(*result_);
    result_.reset();
    return r;
}

} // namespace parktwin::viewer
