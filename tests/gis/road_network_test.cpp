// The truck road graph of the bundled OSM parks, against counts taken straight from the OSM
// XML by node id (tests/data/logistics/osm_truck_graph_counts.py, no GDAL involved) and tags
// seen with ogrinfo.

#include "gis/road_reader.h"

#include <algorithm>

#include "gis/park_loader.h"
#include "gis_test_util.h"

using namespace parktwin;
using logistics::RoadGraph;

namespace {

struct LoadedNetwork {
    ParkModel park;
    gis::RoadNetworkData data;
    std::unique_ptr<RoadGraph> graph;
};

const LoadedNetwork& network(const std::string& park) {
    static std::map<std::string, LoadedNetwork> cache;
    auto it = cache.find(park);
    if (it == cache.end()) {
        const auto manifest = test::assetsDir() / park / "park.toml";
        LoadedNetwork n;
        n.park = gis::loadPark(manifest);
        n.data = gis::readRoadNetwork(gis::readManifest(manifest), n.park);
        n.graph = std::make_unique<RoadGraph>(n.data.roads, n.data.points);
        it = cache.emplace(park, std::move(n)).first;
    }
    return it->second;
}

int roadIndex(const RoadGraph& g, const std::string& id) {
    for (size_t i = 0; i < g.roads().size(); ++i)
        if (g.roads()[i].id == id)
            return static_cast<int>(i);
    return -1;
}

// Position of a link's first and last shape points along its road's vertex list.
std::pair<long, long> vertexSpan(const RoadGraph& g, const logistics::GraphLink& l) {
    const auto& line = g.roads()[l.road].line;
    auto at = [&](Vec2 p) {
        for (size_t i = 0; i < line.size(); ++i)
            if (line[i].x == p.x && line[i].y == p.y)
                return static_cast<long>(i);
        return -1L;
    };
    return {at(l.shape.front()), at(l.shape.back())};
}

} // namespace

// osm_truck_graph_counts.py kyoto_minami_rakunan_industrial.osm (the shared XML twin of the
// bundled PBF): drivable ways 768, graph nodes 1279, links 3244, one-way links 364.
// ogrinfo: 909 highway lines, and 6 closed highway ways under multipolygons: 5 of them carry
// area=yes in the XML (3 service yards, 2 pedestrian squares), the ESSO forecourt loop
// (230626253) is a road, so 910 roads are read.
TEST(RoadNetwork, KyotoCountsMatchTheOsmXml) {
    const auto& n = network("kyoto_rakunan");
    EXPECT_EQ(n.data.roads.size(), 910u);
    EXPECT_EQ(n.graph->stats().roadsUsed, 768);
    EXPECT_EQ(n.graph->nodes().size(), 1279u);
    EXPECT_EQ(n.graph->links().size(), 3244u);
}

// The closed service ways GDAL puts under multipolygons are roads of the graph: way 230626253
// is the ESSO station's forecourt loop (highway=service, closed).
TEST(RoadNetwork, KyotoClosedServiceWaysComeThrough) {
    const RoadGraph& g = *network("kyoto_rakunan").graph;
    const int road = roadIndex(g, "230626253");
    ASSERT_GE(road, 0);
    EXPECT_EQ(g.roads()[road].highway, "service");
    EXPECT_TRUE(std::any_of(g.links().begin(), g.links().end(),
                            [&](const auto& l) { return l.road == road; }));
}

// ogrinfo: way 25180170 久世橋通 is tertiary, lanes=2, oneway=yes; way 27029305 油小路通 is
// tertiary with maxspeed=50 and oneway=yes.
TEST(RoadNetwork, KyotoOneWayStreetIsDrivenInItsDrawingDirectionOnly) {
    const RoadGraph& g = *network("kyoto_rakunan").graph;
    for (const char* id : {"25180170", "27029305"}) {
        const int road = roadIndex(g, id);
        ASSERT_GE(road, 0) << id;
        int links = 0;
        for (const auto& l : g.links()) {
            if (l.road != road)
                continue;
            ++links;
            auto [first, last] = vertexSpan(g, l);
            EXPECT_LT(first, last) << "link against the one-way direction on way " << id;
        }
        EXPECT_GT(links, 0) << id;
    }
    const int aburanokoji = roadIndex(g, "27029305");
    for (const auto& l : g.links()) {
        if (l.road == aburanokoji) {
            EXPECT_NEAR(l.speed_ms, 50 / 3.6, 1e-9);
        }
    }
}

// ogrinfo points: barrier=gate 4179799170 carries motor_vehicle=no; 京都南IC is
// motorway_junction node 291494433.
TEST(RoadNetwork, KyotoGateClosedToTrucksAndJunctionAsNodes) {
    const RoadGraph& g = *network("kyoto_rakunan").graph;
    const int gate = g.nodeOfPoint("4179799170");
    ASSERT_GE(gate, 0);
    EXPECT_EQ(g.nodes()[gate].kind, "gate");
    EXPECT_TRUE(g.nodes()[gate].blocked);
    EXPECT_TRUE(g.openBarriers("gate").empty());

    const int junction = g.nodeOfPoint("291494433");
    ASSERT_GE(junction, 0);
    EXPECT_EQ(g.nodes()[junction].name, "京都南ＩＣ");
    EXPECT_FALSE(g.outLinks(junction).empty());
}

// From the Kyoto-Minami IC to the node nearest the Nippon Express Rakunan centre's plot.
TEST(RoadNetwork, KyotoRouteFromTheInterchangeToALogisticsCentre) {
    const auto& n = network("kyoto_rakunan");
    const RoadGraph& g = *n.graph;
    const Area* nittsu = nullptr;
    for (const Area& a : n.park.boundary)
        if (a.name.find("日本通運") != std::string::npos)
            nittsu = &a;
    ASSERT_NE(nittsu, nullptr);
    const int dock = g.nearestNode(centroid(nittsu->parts.front().outer));
    const auto route = g.route(g.nodeOfPoint("291494433"), dock);
    ASSERT_TRUE(route.has_value());
    const double straight_m = length(g.nodes()[dock].position -
                                     g.nodes()[g.nodeOfPoint("291494433")].position);
    EXPECT_GE(route->length_m, straight_m);
    EXPECT_LT(route->length_m, 4 * straight_m + 500);
    EXPECT_GT(route->time_s, 0);
}

// osm_truck_graph_counts.py berlin_adlershof_industrial.osm: drivable ways 1156, graph nodes
// 1747, links 3904. ogrinfo points: gate 261702207 has no access tags (open), 414722856
// access=no, 294144617 access=private.
TEST(RoadNetwork, AdlershofCountsAndGates) {
    const RoadGraph& g = *network("berlin_adlershof").graph;
    EXPECT_EQ(g.stats().roadsUsed, 1156);
    EXPECT_EQ(g.nodes().size(), 1747u);
    EXPECT_EQ(g.links().size(), 3904u);

    const int open = g.nodeOfPoint("261702207");
    const int closed = g.nodeOfPoint("414722856");
    const int privateGate = g.nodeOfPoint("294144617");
    ASSERT_GE(open, 0);
    ASSERT_GE(closed, 0);
    ASSERT_GE(privateGate, 0);
    EXPECT_FALSE(g.nodes()[open].blocked);
    EXPECT_TRUE(g.nodes()[closed].blocked);
    EXPECT_TRUE(g.nodes()[privateGate].destinationOnly);
    const auto gates = g.openBarriers("gate");
    EXPECT_NE(std::find(gates.begin(), gates.end(), open), gates.end());
    EXPECT_EQ(std::find(gates.begin(), gates.end(), closed), gates.end());
}
