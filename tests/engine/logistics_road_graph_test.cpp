// The truck road graph on a hand-drawn network whose routes and times are worked out by hand.

#include "engine/logistics/road_graph.h"

#include <gtest/gtest.h>

using namespace parktwin;
using namespace parktwin::logistics;

namespace {

RoadLine road(const std::string& id, const std::string& highway, std::vector<Vec2> line,
              OneWay oneway = OneWay::No, double maxspeed_kmh = NAN) {
    RoadLine r;
    r.id = id;
    r.highway = highway;
    r.line = std::move(line);
    r.oneway = oneway;
    r.maxspeed_kmh = maxspeed_kmh;
    return r;
}

// A square block, 1 km a side, corners A(0,0) B(1000,0) C(1000,1000) D(0,1000):
//   A-B primary with maxspeed 36 (10 m/s), B-C one-way north at 36, C-D and D-A residential
//   (30 km/h), and a footway cutting A-C diagonally that trucks may not use.
std::vector<RoadLine> square() {
    return {
        road("ab", "primary", {{0, 0}, {500, 0}, {1000, 0}}, OneWay::No, 36),
        road("bc", "primary", {{1000, 0}, {1000, 1000}}, OneWay::Forward, 36),
        road("cd", "residential", {{1000, 1000}, {0, 1000}}),
        road("da", "residential", {{0, 1000}, {0, 0}}),
        road("ac", "footway", {{0, 0}, {1000, 1000}}),
    };
}

} // namespace

TEST(LogisticsTags, OneWayMaxspeedAndAccess) {
    EXPECT_EQ(parseOneWay("yes"), OneWay::Forward);
    EXPECT_EQ(parseOneWay("-1"), OneWay::Backward);
    EXPECT_EQ(parseOneWay("no"), OneWay::No);
    EXPECT_EQ(parseOneWay("alternating"), OneWay::No);
    EXPECT_DOUBLE_EQ(parseMaxspeed_kmh("50"), 50);
    EXPECT_DOUBLE_EQ(parseMaxspeed_kmh("30 mph"), 30 * 1.609344);
    EXPECT_TRUE(std::isnan(parseMaxspeed_kmh("signals")));
    EXPECT_TRUE(std::isnan(parseMaxspeed_kmh("JP:urban")));
    EXPECT_TRUE(std::isnan(parseMaxspeed_kmh("-5")));
    EXPECT_EQ(truckAccess({{"access", "no"}, {"hgv", "yes"}}, TruckAccess::Yes), TruckAccess::Yes);
    EXPECT_EQ(truckAccess({{"motor_vehicle", "no"}, {"foot", "yes"}}, TruckAccess::Yes),
              TruckAccess::No);
    EXPECT_EQ(truckAccess({{"access", "private"}}, TruckAccess::Yes), TruckAccess::Destination);
    EXPECT_EQ(truckAccess({}, TruckAccess::No), TruckAccess::No);
    EXPECT_EQ(barrierDefaultAccess("gate"), TruckAccess::Yes);
    EXPECT_EQ(barrierDefaultAccess("bollard"), TruckAccess::No);
}

// Nodes: A, B, C, D (corners; the vertex at (500,0) is used once, so it is no node). Links:
// A-B both ways, B->C only, C-D and D-A both ways: 7. The footway gives nothing.
TEST(LogisticsRoadGraph, NodesLinksAndSpeeds) {
    RoadGraph g(square(), {});
    EXPECT_EQ(g.nodes().size(), 4u);
    EXPECT_EQ(g.links().size(), 7u);
    EXPECT_EQ(g.stats().roadsSkipped, 1);
    for (const GraphLink& l : g.links()) {
        const std::string& id = g.roads()[l.road].id;
        EXPECT_NEAR(l.length_m, 1000, 1e-9) << id;
        EXPECT_NEAR(l.speed_ms, id == "ab" || id == "bc" ? 10 : 30 / 3.6, 1e-12) << id;
    }
}

// A to C: via B is 1000/10 + 1000/10 = 200 s; via D is 2 x 1000/(30/3.6) = 240 s.
// C to A: B->C is one-way, so only via D: 240 s. C to B: via D and A: 240 + 100 = 340 s.
TEST(LogisticsRoadGraph, ShortestTimeRoutesRespectOneWays) {
    RoadGraph g(square(), {});
    const int a = g.nearestNode({0, 0});
    const int b = g.nearestNode({1000, 0});
    const int c = g.nearestNode({1000, 1000});
    auto ac = g.route(a, c);
    ASSERT_TRUE(ac);
    EXPECT_NEAR(ac->time_s, 200, 1e-9);
    EXPECT_NEAR(ac->length_m, 2000, 1e-9);
    auto ca = g.route(c, a);
    ASSERT_TRUE(ca);
    EXPECT_NEAR(ca->time_s, 240, 1e-9);
    auto cb = g.route(c, b);
    ASSERT_TRUE(cb);
    EXPECT_NEAR(cb->time_s, 340, 1e-9);
    EXPECT_EQ(cb->links.size(), 3u);

    // With A-B and B-C slowed tenfold the detour via D wins: 240 s.
    std::vector<double> times;
    for (const GraphLink& l : g.links())
        times.push_back(l.freeFlowTime_s() * (g.roads()[l.road].id == "ab" ? 10 : 1));
    EXPECT_NEAR(g.route(a, c, times)->time_s, 240, 1e-9);
}

// A backward one-way (oneway=-1) runs against its drawing; a truck speed limiter caps a fast
// maxspeed; an access=no road is left out.
TEST(LogisticsRoadGraph, BackwardOneWaySpeedCapAndClosedRoad) {
    std::vector<RoadLine> roads = {
        road("fast", "motorway", {{0, 0}, {3000, 0}}, OneWay::Backward, 120),
        road("closed", "service", {{0, 0}, {0, 500}}),
    };
    roads[1].access = TruckAccess::No;
    GraphOptions options;
    options.truckMaxSpeed_kmh = 90;
    RoadGraph g(roads, {}, options);
    ASSERT_EQ(g.links().size(), 1u);
    const GraphLink& l = g.links()[0];
    EXPECT_EQ(g.nodes()[l.from].position.x, 3000);
    EXPECT_EQ(g.nodes()[l.to].position.x, 0);
    EXPECT_NEAR(l.speed_ms, 25, 1e-12);
    EXPECT_FALSE(g.route(g.nearestNode({0, 0}), g.nearestNode({3000, 0})));
}

// A straight road P(0,0)-Q(1000,0)-R(2000,0) with a gate on vertex Q: the gate is a node.
// Closed (motor_vehicle=no) it cuts P from R; private, it may end a route but not be passed.
TEST(LogisticsRoadGraph, GatesOnVerticesSplitRoadsAndAreHonoured) {
    std::vector<RoadLine> roads = {road("pqr", "service", {{0, 0}, {1000, 0}, {2000, 0}})};
    RoadPoint gate;
    gate.id = "g1";
    gate.kind = "gate";
    gate.barrier = true;
    gate.position = {1000, 0};

    RoadGraph open(roads, {gate});
    EXPECT_EQ(open.nodes().size(), 3u);
    EXPECT_EQ(open.openBarriers("gate"), std::vector<int>{open.nodeOfPoint("g1")});
    EXPECT_TRUE(open.route(open.nearestNode({0, 0}), open.nearestNode({2000, 0})));

    gate.access = TruckAccess::No;
    RoadGraph closed(roads, {gate});
    EXPECT_TRUE(closed.nodes()[closed.nodeOfPoint("g1")].blocked);
    EXPECT_FALSE(closed.route(closed.nearestNode({0, 0}), closed.nearestNode({2000, 0})));

    gate.access = TruckAccess::Destination;
    RoadGraph yard(roads, {gate});
    const int p = yard.nearestNode({0, 0});
    const int r = yard.nearestNode({2000, 0});
    EXPECT_TRUE(yard.route(p, yard.nodeOfPoint("g1")));
    EXPECT_FALSE(yard.route(p, r));
}

// A private yard road may start or end a route, never carry it through: from the public
// road W(0,0)-X(1000,0), into the private loop X-Y-Z-X... and back out is fine, but a
// shortcut through a private road between two public roads is refused.
TEST(LogisticsRoadGraph, DestinationOnlyRoadsAreNotThroughRoutes) {
    std::vector<RoadLine> roads = {
        road("west", "residential", {{0, 0}, {1000, 0}}),
        road("shortcut", "service", {{1000, 0}, {2000, 0}}),
        road("east", "residential", {{2000, 0}, {3000, 0}}),
        road("detour", "residential", {{1000, 0}, {1000, 5000}, {2000, 5000}, {2000, 0}}),
    };
    roads[1].access = TruckAccess::Destination;
    RoadGraph g(roads, {});
    const int w = g.nearestNode({0, 0});
    const int x = g.nearestNode({1000, 0});
    const int y = g.nearestNode({2000, 0});
    const int e = g.nearestNode({3000, 0});
    auto through = g.route(w, e);
    ASSERT_TRUE(through);
    EXPECT_NEAR(through->length_m, 1000 + 11000 + 1000, 1e-6); // the detour, not the shortcut
    auto into = g.route(w, y); // ends on the private road: allowed
    ASSERT_TRUE(into);
    EXPECT_NEAR(into->length_m, 2000, 1e-6);
    auto outOf = g.route(y, e);
    ASSERT_TRUE(outOf);
    EXPECT_NEAR(outOf->length_m, 1000, 1e-6);
    EXPECT_TRUE(g.route(x, y));
}
