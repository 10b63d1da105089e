// The bundled Kyoto Rakunan logistics scenario end to end: scenario file, road graph, gates at
// the interchange's junction nodes, docks at the plots, a simulated day, results store, CSV.

#include <fstream>

#include "engine/logistics/kpi_csv.h"
#include "engine/logistics/setup.h"
#include "engine/scenario/results_store.h"
#include "engine/scenario/scenario.h"
#include "gis/park_loader.h"
#include "gis/road_reader.h"
#include "gis_test_util.h"

using namespace parktwin;

namespace {

const std::filesystem::path kScenario =
    test::sourceDir() / "scenarios" / "kyoto_rakunan_logistics.toml";

struct Kyoto {
    ParkModel park;
    scenario::Scenario scenario;
    std::unique_ptr<logistics::RoadGraph> graph;
};

const Kyoto& kyoto() {
    static const Kyoto k = [] {
        Kyoto k;
        k.park = gis::loadPark(scenario::scenarioParkPath(kScenario));
        k.scenario = scenario::loadScenario(kScenario, k.park.timeZone);
        const auto roads = gis::readRoadNetwork(gis::readManifest(k.scenario.park), k.park);
        k.graph = std::make_unique<logistics::RoadGraph>(roads.roads, roads.points);
        return k;
    }();
    return k;
}

} // namespace

TEST(LogisticsScenario, KyotoDayRunsToTheEndAndIsStored) {
    const Kyoto& k = kyoto();
    ASSERT_TRUE(k.scenario.logistics);
    EXPECT_FALSE(k.scenario.hasDispersion());
    const auto config =
        logistics::buildSimConfig(*k.scenario.logistics, k.park, *k.graph, 86400, 0);
    ASSERT_EQ(config.gates.size(), 2u);
    ASSERT_EQ(config.docks.size(), 6u);
    logistics::Simulation sim(*k.graph, config);
    sim.runToEnd();
    const logistics::SimKpis kpis = sim.kpis();

    // 476 + 236 = 712 trucks expected from the hourly rates; Poisson sd about 27.
    EXPECT_NEAR(kpis.arrived, 712, 4 * 27);
    EXPECT_EQ(kpis.completed, kpis.arrived);
    EXPECT_NEAR(kpis.littleL, kpis.littleLambdaW, 1e-9 * kpis.littleL);
    EXPECT_GT(kpis.vehicleKm, kpis.completed * 1.0); // every trip drives off the motorway and back
    for (const auto& d : kpis.docks) {
        EXPECT_GT(d.served, 0) << d.id;
        EXPECT_GT(d.utilisation, 0) << d.id;
        EXPECT_LE(d.utilisation, 1.0) << d.id;
    }

    const auto dir = test::scratchDir();
    {
        scenario::ResultsStore store(dir / "results.sqlite");
        store.writeLogistics(sim, k.scenario.start);
    }
    scenario::ResultsStore reopened(dir / "results.sqlite");
    EXPECT_EQ(reopened.logisticsKpi("arrived").value_or(-1), kpis.arrived);
    EXPECT_NEAR(reopened.logisticsKpi("vehicle_km").value_or(-1), kpis.vehicleKm, 1e-9);

    logistics::writeKpiCsv(sim, k.scenario.start, dir);
    std::ifstream csv(dir / "logistics_throughput.csv");
    std::string header, first;
    std::getline(csv, header);
    std::getline(csv, first);
    EXPECT_EQ(header, "hour_start_utc,trucks");
    EXPECT_EQ(first.substr(0, 20), "2021-04-18T15:00:00Z"); // 00:00 JST
}

TEST(LogisticsScenario, SameSeedSameKpis) {
    const Kyoto& k = kyoto();
    auto run = [&] {
        logistics::Simulation sim(
            *k.graph, logistics::buildSimConfig(*k.scenario.logistics, k.park, *k.graph, 86400, 0));
        sim.runToEnd();
        return sim.kpis();
    };
    const auto a = run();
    const auto b = run();
    EXPECT_EQ(a.arrived, b.arrived);
    EXPECT_EQ(a.meanTurnaround_s, b.meanTurnaround_s);
    EXPECT_EQ(a.vehicleKm, b.vehicleKm);
}

TEST(LogisticsScenario, UnknownReferencesNameTheKey) {
    const Kyoto& k = kyoto();
    auto spec = *k.scenario.logistics;
    spec.docks[1].area = "12345";
    try {
        logistics::buildSimConfig(spec, k.park, *k.graph, 86400, 0);
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_CONTAINS(std::string(e.what()), "logistics.docks[1].area");
        EXPECT_CONTAINS(std::string(e.what()), "kyoto_rakunan_logistics.toml");
    }
    spec = *k.scenario.logistics;
    spec.gates[0].point = "4179799170"; // barrier=gate with motor_vehicle=no
    try {
        logistics::buildSimConfig(spec, k.park, *k.graph, 86400, 0);
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_CONTAINS(std::string(e.what()), "closed to trucks");
    }
}

TEST(LogisticsScenario, BadSectionIsAnInputError) {
    const auto dir = test::scratchDir();
    std::ifstream in(kScenario);
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    s.replace(s.find("mean_min = 35"), 13, "mean_min = -5");
    s.replace(s.find("../assets"), 9, (test::assetsDir()).string());
    const auto file = test::writeFile(dir, "bad.toml", s);
    try {
        scenario::loadScenario(file, UtcOffset{540});
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_CONTAINS(std::string(e.what()), "logistics.docks[0].service");
        EXPECT_CONTAINS(std::string(e.what()), "mean_min");
    }

    std::string badClass = text.str();
    badClass.replace(badClass.find("HDV_D_EU4"), 9, "HDV_D_EU9");
    badClass.replace(badClass.find("../assets"), 9, (test::assetsDir()).string());
    try {
        scenario::loadScenario(test::writeFile(dir, "bad_class.toml", badClass), UtcOffset{540});
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_CONTAINS(std::string(e.what()), "logistics.truck_class");
        EXPECT_CONTAINS(std::string(e.what()), "HDV_D_EU6");
    }
}
