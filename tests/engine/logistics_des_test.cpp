// The truck simulation against queueing theory (M/M/1, M/M/c by Erlang C), Little's law,
// hand-worked volume-delay times, a dead-end spur that must not lock up, and reproducible
// what-if branches.

#include "engine/logistics/des.h"

#include <numeric>

#include "engine/core/error.h"

#include <gtest/gtest.h>

using namespace parktwin;
using namespace parktwin::logistics;

namespace {

RoadLine road(const std::string& id, const std::string& highway, std::vector<Vec2> line) {
    RoadLine r;
    r.id = id;
    r.highway = highway;
    r.line = std::move(line);
    return r;
}

Distribution exponential(double mean_s) {
    return {Distribution::Kind::Exponential, mean_s, 0};
}
Distribution fixed(double mean_s) { return {Distribution::Kind::Deterministic, mean_s, 0}; }

// One node serves as gate and dock: no travel, no check-in, so the dock is an M/M/c queue.
SimConfig queueAtOneNode(double lambda_h, double mu_h, int servers, double hours) {
    SimConfig c;
    GateSpec g;
    g.id = "g";
    g.node = 0;
    g.lanes = 1000;
    g.checkIn = fixed(0);
    g.hourlyRate_vehh.fill(lambda_h);
    DockSpec d;
    d.id = "d";
    d.node = 0;
    d.bays = servers;
    d.service = exponential(3600 / mu_h);
    c.gates = {g};
    c.docks = {d};
    c.arrivals_s = hours * 3600;
    c.drain_s = 1e9;
    c.sampleInterval_s = 86400;
    return c;
}

const RoadGraph& oneRoad() {
    static const RoadGraph g({road("r", "service", {{0, 0}, {1000, 0}})}, {});
    return g;
}

// Two-sided 95% Student t quantile by the Cornish-Fisher expansion of Abramowitz and Stegun
// (1964), 26.7.5, from the normal quantile 1.959964.
double t975(int dof) {
    const double z = 1.959963985;
    const double v = dof;
    return z + (z * z * z + z) / (4 * v) +
           (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * v * v) +
           (3 * std::pow(z, 7) + 19 * std::pow(z, 5) + 17 * z * z * z - 15 * z) /
               (384 * v * v * v);
}

struct ReplicationResult {
    int replications = 0;
    double mean_h = 0;
    double halfWidth_h = 0;
};

// Independent replications (seeds 1, 2, ...) of the mean dock wait of trucks arriving after
// a warm-up, until the 95% confidence half-width is under 5% of the mean.
ReplicationResult replicateWq(double lambda_h, double mu_h, int servers, double hours,
                              double warmup_h) {
    std::vector<double> means;
    ReplicationResult r;
    while (means.size() < 400) {
        SimConfig c = queueAtOneNode(lambda_h, mu_h, servers, hours);
        c.seed = means.size() + 1;
        Simulation sim(oneRoad(), c);
        sim.runToEnd();
        const SimKpis k = sim.kpis();
        EXPECT_NEAR(k.littleL, k.littleLambdaW, 1e-9 * k.littleL);
        double sum = 0;
        int n = 0;
        for (const TruckRecord& t : sim.trucks())
            if (t.arrive_s >= warmup_h * 3600) {
                sum += (t.serviceStart_s - t.atDock_s) / 3600;
                ++n;
            }
        means.push_back(sum / n);
        if (means.size() < 10)
            continue;
        const double m = std::accumulate(means.begin(), means.end(), 0.0) / means.size();
        double ss = 0;
        for (double x : means)
            ss += (x - m) * (x - m);
        const double sd = std::sqrt(ss / (means.size() - 1));
        r = {static_cast<int>(means.size()), m,
             t975(static_cast<int>(means.size()) - 1) * sd / std::sqrt(means.size())};
        if (r.halfWidth_h < 0.05 * r.mean_h)
            break;
    }
    return r;
}

} // namespace

TEST(LogisticsRandom, SequenceIsTheStandardEngines) {
    // The standard fixes mt19937_64's 10000th output for the default seed 5489:
    // 9981545732273789042 ([rand.predef]).
    Rng rng(5489);
    std::mt19937_64 reference(5489);
    reference.discard(9999);
    const std::uint64_t expected = reference();
    EXPECT_EQ(expected, 9981545732273789042ull);
    Rng again(5489);
    const std::string saved = again.state();
    const double first = again.uniform();
    again.setState(saved);
    EXPECT_EQ(again.uniform(), first);
    EXPECT_GE(first, 0.0);
    EXPECT_LT(first, 1.0);
}

// Sample means of the distributions against their definitions (100,000 draws; the standard
// error of each mean is under 0.5% of it).
TEST(LogisticsRandom, DistributionMeans) {
    Rng rng(7);
    for (Distribution d : {Distribution{Distribution::Kind::Exponential, 600, 0},
                           Distribution{Distribution::Kind::Erlang, 600, 3},
                           Distribution{Distribution::Kind::Lognormal, 600, 0.5},
                           Distribution{Distribution::Kind::Uniform, 600, 0.5}}) {
        double sum = 0;
        for (int i = 0; i < 100000; ++i)
            sum += d.sample(rng);
        EXPECT_NEAR(sum / 100000, 600, 600 * 0.015) << static_cast<int>(d.kind);
    }
}

// M/M/1, lambda = 4/h, mu = 5/h: Wq = lambda / (mu (mu - lambda)) = 0.8 h.
TEST(LogisticsQueueing, SingleDockReproducesMM1) {
    const ReplicationResult r = replicateWq(4, 5, 1, 1000, 100);
    std::printf("M/M/1: %d replications, Wq = %.4f h +- %.4f h (analytic 0.8 h)\n",
                r.replications, r.mean_h, r.halfWidth_h);
    ASSERT_LT(r.halfWidth_h, 0.05 * r.mean_h);
    EXPECT_NEAR(r.mean_h, 0.8, r.halfWidth_h);
}

// M/M/3, lambda = 10/h, mu = 4/h: a = 2.5, rho = 5/6. Erlang C:
//   C = (a^3/3!)/(1-rho) / (1 + a + a^2/2 + (a^3/3!)/(1-rho)) = 15.625 / 22.25 = 0.702247,
//   Wq = C / (c mu - lambda) = 0.702247 / 2 = 0.351124 h.
TEST(LogisticsQueueing, ThreeDocksReproduceErlangC) {
    const ReplicationResult r = replicateWq(10, 4, 3, 500, 50);
    std::printf("M/M/3: %d replications, Wq = %.4f h +- %.4f h (analytic 0.3511 h)\n",
                r.replications, r.mean_h, r.halfWidth_h);
    ASSERT_LT(r.halfWidth_h, 0.05 * r.mean_h);
    EXPECT_NEAR(r.mean_h, 0.351124, r.halfWidth_h);
}

// A 1,000 m service road at 20 km/h: t0 = 180 s. With other traffic at capacity (v/c = 1)
// the first truck takes t0 (1 + 0.15) = 207 s; the second, one truck (1.5 pcu) later in the
// hour, t0 (1 + 0.15 (601.5/600)^4) = 180 (1 + 0.15 x 1.0100375) = 207.2710 s.
TEST(LogisticsTravel, BprVolumeDelayByHand) {
    SimConfig c;
    GateSpec g;
    g.id = "g";
    g.node = oneRoad().nearestNode({0, 0});
    g.lanes = 10;
    g.schedule_s = {0, 10};
    DockSpec d;
    d.id = "d";
    d.node = oneRoad().nearestNode({1000, 0});
    d.bays = 10;
    d.service = fixed(60);
    c.gates = {g};
    c.docks = {d};
    c.backgroundVolumeRatio = 1.0;
    Simulation sim(oneRoad(), c);
    sim.runToEnd();
    ASSERT_EQ(sim.trucks().size(), 2u);
    EXPECT_NEAR(sim.trucks()[0].atDock_s, 207.0, 1e-9);
    EXPECT_NEAR(sim.trucks()[1].atDock_s - 10, 180 * (1 + 0.15 * std::pow(601.5 / 600, 4)),
                1e-9);
    EXPECT_NEAR(sim.kpis().vehicleKm, 4.0, 1e-9);
}

// Halfway through its 180 s pass of the 1,000 m road (free flow), a truck is 500 m along.
TEST(LogisticsTravel, TrucksOnLinksAtAGivenTime) {
    SimConfig c;
    GateSpec g;
    g.id = "g";
    g.node = oneRoad().nearestNode({0, 0});
    g.schedule_s = {0};
    DockSpec d;
    d.id = "d";
    d.node = oneRoad().nearestNode({1000, 0});
    d.service = fixed(600);
    c.gates = {g};
    c.docks = {d};
    c.congestion = false;
    Simulation sim(oneRoad(), c);
    sim.runUntil(90);
    auto on = sim.trucksOnLinks();
    ASSERT_EQ(on.size(), 1u);
    EXPECT_NEAR(on[0].distance_m, 500, 1e-9);
    sim.runUntil(300); // at the dock
    EXPECT_TRUE(sim.trucksOnLinks().empty());
}

// Poisson arrivals with an hourly profile: 30/h from 08:00 to 10:00, none otherwise, over
// 40 days: expected 2,400 arrivals (sd 49), none outside the window.
TEST(LogisticsArrivals, HourlyProfile) {
    SimConfig c = queueAtOneNode(0, 60, 100, 24 * 40);
    c.gates[0].hourlyRate_vehh.fill(0);
    c.gates[0].hourlyRate_vehh[8] = 30;
    c.gates[0].hourlyRate_vehh[9] = 30;
    Simulation sim(oneRoad(), c);
    sim.runToEnd();
    EXPECT_NEAR(static_cast<double>(sim.trucks().size()), 2400, 4 * 49);
    for (const TruckRecord& t : sim.trucks()) {
        const double hour = std::fmod(t.arrive_s, 86400) / 3600;
        EXPECT_GE(hour, 8);
        EXPECT_LT(hour, 10);
    }
}

// A dock that opens at 06:00 and closes at 14:00: no service starts outside the shift.
TEST(LogisticsDocks, ShiftsBoundServiceStarts) {
    SimConfig c = queueAtOneNode(6, 8, 1, 48);
    c.docks[0].shifts = {{6 * 3600.0, 14 * 3600.0}};
    Simulation sim(oneRoad(), c);
    sim.runToEnd();
    ASSERT_GT(sim.trucks().size(), 100u);
    for (const TruckRecord& t : sim.trucks()) {
        ASSERT_TRUE(t.done());
        const double hour = std::fmod(t.serviceStart_s, 86400) / 3600;
        EXPECT_GE(hour, 6);
        EXPECT_LT(hour, 14);
    }
    const SimKpis k = sim.kpis();
    EXPECT_GT(k.docks[0].utilisation, 0);
    EXPECT_LE(k.docks[0].utilisation, 1 + 1e-9);
    EXPECT_NEAR(k.littleL, k.littleLambdaW, 1e-9 * k.littleL);
}

// An anti-idling rule: a truck's engine runs for at most idle_limit in each queue it stands
// in. The idle hours must equal, truck by truck, min(wait, limit) at the gate (arrival to the
// start of check-in) plus min(wait, limit) at the dock (arrival at the dock to the start of
// service), from the trucks' own timestamps; without a limit, the whole waits.
TEST(LogisticsDocks, EngineOffRuleCapsEachWaitsIdling) {
    for (double limit_s : {std::numeric_limits<double>::infinity(), 600.0, 0.0}) {
        SimConfig c = queueAtOneNode(6, 8, 1, 48);
        c.gates[0].lanes = 1;
        c.gates[0].checkIn = fixed(300); // check-in slower than arrivals now and then: a gate queue
        c.docks[0].shifts = {{6 * 3600.0, 14 * 3600.0}}; // night arrivals wait for the shift
        c.idleLimit_s = limit_s;
        Simulation sim(oneRoad(), c);
        sim.runToEnd();
        double expected_s = 0, uncapped_s = 0;
        for (const TruckRecord& t : sim.trucks()) {
            ASSERT_TRUE(t.done());
            const double gate_s = t.checkInStart_s - t.arrive_s;
            const double dock_s = t.serviceStart_s - t.atDock_s;
            expected_s += std::min(gate_s, limit_s) + std::min(dock_s, limit_s);
            uncapped_s += gate_s + dock_s;
        }
        ASSERT_GT(uncapped_s, 50 * 3600.0) << "the shifts must make long waits";
        EXPECT_NEAR(sim.kpis().idleHours * 3600, expected_s, 1e-6 * uncapped_s) << limit_s;
        double byHour_s = 0;
        for (const IdleHour& h : sim.idleHours())
            byHour_s += h.idle_s;
        EXPECT_NEAR(byHour_s, expected_s, 1e-6 * uncapped_s) << limit_s;
    }
}

// Main road A(0,0)-B(1000,0)-C(2000,0), a 200 m dead-end spur B-S up to a one-bay dock at S
// with 30-minute services, and a dock at C. Twenty trucks an hour to S for six hours
// overwhelm it: its queue fills the spur, spills back over A-B and holds up the trucks bound
// for C, yet every truck is served and leaves (the bay is given up before the truck drives
// off on the other direction of the spur).
TEST(LogisticsDocks, DeadEndSpurQueueSpillsBackWithoutDeadlock) {
    RoadGraph graph({road("ab", "tertiary", {{0, 0}, {1000, 0}}),
                     road("bc", "tertiary", {{1000, 0}, {2000, 0}}),
                     road("bs", "service", {{1000, 0}, {1000, 200}})},
                    {});
    SimConfig c;
    GateSpec g;
    g.id = "a";
    g.node = graph.nearestNode({0, 0});
    g.checkIn = fixed(30);
    g.hourlyRate_vehh.fill(24);
    DockSpec spur{"spur", graph.nearestNode({1000, 200}), 1, fixed(1800), 5, {}};
    DockSpec end{"end", graph.nearestNode({2000, 0}), 4, fixed(600), 1, {}};
    c.gates = {g};
    c.docks = {spur, end};
    c.arrivals_s = 6 * 3600;
    c.drain_s = 7 * 86400;
    c.seed = 11;
    Simulation sim(graph, c);
    sim.runToEnd();

    const SimKpis k = sim.kpis();
    EXPECT_EQ(k.completed, k.arrived);
    EXPECT_GT(k.arrived, 100);
    double maxSpill_m = 0;
    for (const QueueSample& s : sim.queueSeries())
        if (s.place == "dock:spur")
            maxSpill_m = std::max(maxSpill_m, s.spillBack_m);
    EXPECT_GT(maxSpill_m, 1000.0); // past the spur and over the whole of A-B
    double blockedToEnd_s = 0;
    for (const TruckRecord& t : sim.trucks())
        if (t.dock == 1)
            blockedToEnd_s += t.blocked_s;
    EXPECT_GT(blockedToEnd_s, 0);
    EXPECT_NEAR(k.littleL, k.littleLambdaW, 1e-9 * k.littleL);
}

// The same seed gives the same trucks; a run paused at noon and copied continues exactly as
// the uninterrupted run, and a what-if branch (a second bay) shares everything before noon.
TEST(LogisticsReproducibility, SameSeedSameDayAndBranchesFromMidday) {
    auto config = [] {
        SimConfig c = queueAtOneNode(5, 4, 1, 24);
        c.drain_s = 86400;
        c.seed = 42;
        return c;
    };
    auto same = [](const TruckRecord& a, const TruckRecord& b) {
        return a.arrive_s == b.arrive_s && a.serviceStart_s == b.serviceStart_s &&
               a.leave_s == b.leave_s && a.service_s == b.service_s;
    };
    Simulation whole(oneRoad(), config());
    whole.runToEnd();
    Simulation again(oneRoad(), config());
    again.runToEnd();
    ASSERT_EQ(whole.trucks().size(), again.trucks().size());
    for (size_t i = 0; i < whole.trucks().size(); ++i)
        EXPECT_TRUE(same(whole.trucks()[i], again.trucks()[i])) << i;

    Simulation paused(oneRoad(), config());
    paused.runUntil(12 * 3600);
    Simulation branch = paused; // the saved state: events, queues, trucks and the RNG state
    EXPECT_EQ(branch.rngState(), paused.rngState());
    paused.runToEnd();
    ASSERT_EQ(paused.trucks().size(), whole.trucks().size());
    for (size_t i = 0; i < whole.trucks().size(); ++i)
        EXPECT_TRUE(same(paused.trucks()[i], whole.trucks()[i])) << i;

    branch.setDockBays("d", 2);
    branch.runToEnd();
    ASSERT_EQ(branch.trucks().size(), whole.trucks().size()); // the demand is the same
    bool differs = false;
    for (size_t i = 0; i < whole.trucks().size(); ++i) {
        const TruckRecord& w = whole.trucks()[i];
        const TruckRecord& b = branch.trucks()[i];
        EXPECT_EQ(w.arrive_s, b.arrive_s);
        EXPECT_EQ(w.service_s, b.service_s);
        if (w.serviceStart_s < 12 * 3600) {
            EXPECT_EQ(w.serviceStart_s, b.serviceStart_s);
        }
        differs = differs || w.serviceStart_s != b.serviceStart_s;
    }
    EXPECT_TRUE(differs);
    EXPECT_LT(branch.kpis().meanDockWait_s, whole.kpis().meanDockWait_s);
}

TEST(LogisticsDocks, UnreachableDockIsAnError) {
    RoadGraph graph({road("a", "service", {{0, 0}, {100, 0}}),
                     road("b", "service", {{500, 0}, {600, 0}})},
                    {});
    SimConfig c;
    GateSpec g;
    g.id = "north";
    g.node = graph.nearestNode({0, 0});
    DockSpec d;
    d.id = "island";
    d.node = graph.nearestNode({600, 0});
    c.gates = {g};
    c.docks = {d};
    try {
        Simulation sim(graph, c);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("dock island cannot be reached from any gate"),
                  std::string::npos);
    }
}
