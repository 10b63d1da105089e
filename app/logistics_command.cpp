// The logistics part of `parktwin run`: the park's road graph, the truck simulation, its KPIs
// in the results store and as CSV, and the trucks' exhaust as sources for the dispersion run.

#include "app/commands.h"

#include <chrono>

#include <nlohmann/json.hpp>

#include "engine/core/log.h"
#include "engine/logistics/des.h"
#include "engine/logistics/emissions.h"
#include "engine/logistics/kpi_csv.h"
#include "engine/logistics/setup.h"
#include "engine/physics/park_world.h"
#include "engine/scenario/results_store.h"
#include "gis/park_manifest.h"
#include "gis/road_reader.h"

namespace parktwin::app {

TruckDay simulateTrucks(const scenario::Scenario& s, const ParkModel& park,
                        std::shared_ptr<const logistics::RoadGraph> graph, bool run) {
    const auto& spec = *s.logistics;
    if (!graph) {
        const gis::RoadNetworkData roads = gis::readRoadNetwork(gis::readManifest(s.park), park);
        graph = std::make_shared<const logistics::RoadGraph>(roads.roads, roads.points);
    }

    using namespace std::chrono;
    const double period_s = duration_cast<seconds>(s.end - s.start).count();
    const double localStart_s =
        duration_cast<seconds>(s.start.time_since_epoch()).count() + park.timeZone.minutes * 60.0;
    const double dayStart_s = localStart_s - 86400.0 * std::floor(localStart_s / 86400.0);
    TruckDay day{graph,
                 logistics::Simulation(
                     *graph, logistics::buildSimConfig(spec, park, *graph, period_s, dayStart_s))};
    if (run)
        day.sim->runToEnd();
    return day;
}

std::optional<std::vector<logistics::HourlySources>>
truckSources(const scenario::Scenario& s, const logistics::Simulation& sim) {
    const auto pollutant = logistics::parsePollutant(s.pollutant);
    if (!pollutant)
        return std::nullopt;
    // Base elevations are set from the terrain by the dispersion run itself.
    return logistics::hourlySources(sim, s.logistics->truckClass, *pollutant);
}

nlohmann::json runLogistics(const scenario::Scenario& s, const ParkModel& park,
                            const logistics::Simulation& sim, const std::filesystem::path& out) {
    const auto& spec = *s.logistics;
    const logistics::RoadGraph& graph = sim.graph();
    const logistics::SimKpis k = sim.kpis();
    log::get("logistics")
        .info("{} trucks arrived, {} left; mean turnaround {:.1f} min, mean wait {:.1f} min, "
              "{:.1f} vehicle-km, {:.2f} idle hours",
              k.arrived, k.completed, k.meanTurnaround_s / 60, k.meanWait_s / 60, k.vehicleKm,
              k.idleHours);
    if (k.completed < k.arrived)
        log::get("logistics")
            .warn("{} trucks were still in the park when the drain time of {} h ran out",
                  k.arrived - k.completed, spec.drainHours);

    scenario::ResultsStore store(out / "results.sqlite");
    store.writeLogistics(sim, s.start);
    logistics::writeKpiCsv(sim, s.start, out);

    // Exhaust of the fleet's class as hourly line and volume sources, for every pollutant
    // the factors cover, so a dispersion run can take the ones it models.
    const physics::ParkWorld world(park);
    nlohmann::json emissions;
    for (auto [name, pollutant] : {std::pair{"NOx", logistics::Pollutant::NOx},
                                   std::pair{"PM", logistics::Pollutant::PM},
                                   std::pair{"CO2", logistics::Pollutant::CO2}}) {
        const auto hours = logistics::hourlySources(sim, spec.truckClass, pollutant, &world);
        double grams = 0;
        for (const auto& h : hours)
            grams += h.totalGrams;
        store.writeLogisticsSources(name, hours, s.start);
        emissions[std::string(name) + "_kg"] = grams / 1000;
    }

    nlohmann::json docks = nlohmann::json::array();
    for (const logistics::DockKpi& d : k.docks)
        docks.push_back({{"id", d.id},
                         {"served", d.served},
                         {"utilisation", d.utilisation},
                         {"mean_wait_s", d.meanWait_s},
                         {"max_queue", d.maxQueue}});
    return {{"arrived", k.arrived},
            {"completed", k.completed},
            {"throughput_per_hour", k.throughputPerHour},
            {"mean_turnaround_s", k.meanTurnaround_s},
            {"mean_wait_s", k.meanWait_s},
            {"mean_gate_wait_s", k.meanGateWait_s},
            {"mean_dock_wait_s", k.meanDockWait_s},
            {"vehicle_km", k.vehicleKm},
            {"idle_hours", k.idleHours},
            {"little_l", k.littleL},
            {"little_lambda_w", k.littleLambdaW},
            {"docks", docks},
            {"emissions", emissions},
            {"truck_class", spec.truckClass},
            {"road_graph", {{"nodes", graph.nodes().size()}, {"links", graph.links().size()}}}};
}

} // namespace parktwin::app
