// Free-flow truck travel times on a small network against SUMO (Debian package `sumo`): the
// same network written as SUMO plain XML and built by netconvert, the same trips, random speed
// deviation off and trucks departing at full speed; SUMO's tripinfo durations must agree with
// the road graph's route times within 5%. Under CI=true a missing SUMO fails the test.

#include "engine/logistics/road_graph.h"
#include "engine/logistics/sumo_export.h"

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "test_paths.h"

using namespace parktwin;
using namespace parktwin::logistics;

namespace {

bool haveSumo() {
    return std::system(
               "command -v sumo >/dev/null 2>&1 && command -v netconvert >/dev/null 2>&1") == 0;
}

RoadLine road(const std::string& id, const std::string& highway, Vec2 a, Vec2 b,
              double maxspeed_kmh, OneWay oneway = OneWay::No) {
    RoadLine r;
    r.id = id;
    r.highway = highway;
    r.line = {a, b};
    r.maxspeed_kmh = maxspeed_kmh;
    r.oneway = oneway;
    return r;
}

// A(0,0) B(1000,0) C(2000,0) D(2000,1000) E(1000,1000): a primary A-B at 60 km/h, tertiary
// B-C and one-way E->D at 40, residential C-D at 30, service B-E at 20.
std::vector<RoadLine> network() {
    return {road("ab", "primary", {0, 0}, {1000, 0}, 60),
            road("bc", "tertiary", {1000, 0}, {2000, 0}, 40),
            road("cd", "residential", {2000, 0}, {2000, 1000}, 30),
            road("be", "service", {1000, 0}, {1000, 1000}, 20),
            road("ed", "tertiary", {1000, 1000}, {2000, 1000}, 40, OneWay::Forward)};
}

std::map<std::string, double> tripDurations(const std::filesystem::path& tripinfo) {
    std::ifstream in(tripinfo);
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    std::map<std::string, double> out;
    const std::regex trip("<tripinfo id=\"([^\"]+)\"[^>]*?duration=\"([0-9.]+)\"");
    for (auto it = std::sregex_iterator(s.begin(), s.end(), trip); it != std::sregex_iterator();
         ++it)
        out[(*it)[1]] = std::stod((*it)[2]);
    return out;
}

} // namespace

TEST(LogisticsSumo, FreeFlowTravelTimesWithinFivePercent) {
    if (!haveSumo()) {
        if (test::underCi())
            FAIL() << "sumo and netconvert are required under CI (Debian package sumo)";
        GTEST_SKIP() << "sumo not installed";
    }
    const RoadGraph g(network(), {});
    const auto dir = test::scratchDir();
    writeSumoPlainNetwork(g, dir, "park");
    const std::string netconvert = fmt::format(
        "cd '{}' && netconvert --node-files park.nod.xml --edge-files park.edg.xml "
        "--no-internal-links true --no-turnarounds true -o park.net.xml "
        "--no-warnings true >netconvert.log 2>&1",
        dir.string());
    ASSERT_EQ(std::system(netconvert.c_str()), 0) << "netconvert failed: see " << dir;

    // Trips between corners, 1,000 s apart so that no truck meets another.
    const std::vector<std::pair<Vec2, Vec2>> trips = {
        {{0, 0}, {2000, 1000}}, {{2000, 1000}, {0, 0}}, {{0, 0}, {1000, 1000}},
        {{1000, 1000}, {2000, 0}}, {{2000, 0}, {0, 0}}};
    std::map<std::string, double> expected_s;
    std::ofstream routes(dir / "park.rou.xml");
    // vClass truck keeps SUMO's truck acceleration (1.3 m/s2) and deceleration; speedDev 0
    // and sigma 0 switch off the random speed factor and driver imperfection.
    routes << "<routes>\n  <vType id=\"hgv\" vClass=\"truck\" maxSpeed=\"25\" speedFactor=\"1\" "
              "speedDev=\"0\" sigma=\"0\"/>\n";
    for (size_t i = 0; i < trips.size(); ++i) {
        auto route = g.route(g.nearestNode(trips[i].first), g.nearestNode(trips[i].second));
        ASSERT_TRUE(route);
        const std::string id = fmt::format("t{}", i);
        expected_s[id] = route->time_s;
        routes << fmt::format("  <trip id=\"{}\" type=\"hgv\" depart=\"{}\" from=\"{}\" "
                              "to=\"{}\" departSpeed=\"max\" departLane=\"best\"/>\n",
                              id, i * 1000, sumoEdgeId(g, route->links.front()),
                              sumoEdgeId(g, route->links.back()));
    }
    routes << "</routes>\n";
    routes.close();

    const std::string sumo = fmt::format(
        "cd '{}' && sumo -n park.net.xml -r park.rou.xml --step-length 0.1 "
        "--tripinfo-output tripinfo.xml --no-step-log true --no-warnings true >sumo.log 2>&1",
        dir.string());
    ASSERT_EQ(std::system(sumo.c_str()), 0) << "sumo failed: see " << dir;
    const auto sumo_s = tripDurations(dir / "tripinfo.xml");
    ASSERT_EQ(sumo_s.size(), trips.size());
    for (const auto& [id, ours_s] : expected_s) {
        const double theirs_s = sumo_s.at(id);
        std::printf("SUMO %s: ParkTwin %.1f s, SUMO %.1f s (%+.2f%%)\n", id.c_str(), ours_s,
                    theirs_s, 100 * (ours_s - theirs_s) / theirs_s);
        EXPECT_NEAR(ours_s, theirs_s, 0.05 * theirs_s) << id;
    }
}
