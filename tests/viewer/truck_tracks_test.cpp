// The viewer's truck tracks against a truck's timetable worked out by hand on one road.

#include "engine/core/error.h"
#include "viewer/truck_tracks.h"

#include <cmath>
#include <gtest/gtest.h>

using namespace parktwin;
using namespace parktwin::viewer;

namespace {

// A 1 km service road from a gate at x = 0 to a dock at x = 1000; one truck at t = 100 s,
// a 20 s check-in, a 10-minute service, no congestion.
struct OneTruck {
    logistics::RoadGraph graph{{[] {
                                   logistics::RoadLine r;
                                   r.id = "r";
                                   r.highway = "service";
                                   r.line = {{0, 0}, {1000, 0}};
                                   return r;
                               }()},
                               {}};
    logistics::SimConfig config() const {
        logistics::SimConfig c;
        logistics::GateSpec g;
        g.id = "g";
        g.node = nodeAt(0);
        g.lanes = 1;
        g.checkIn = {logistics::Distribution::Kind::Deterministic, 20, 0};
        g.hourlyRate_vehh.fill(0);
        g.schedule_s = {100};
        logistics::DockSpec d;
        d.id = "d";
        d.node = nodeAt(1000);
        d.bays = 1;
        d.service = {logistics::Distribution::Kind::Deterministic, 600, 0};
        c.gates = {g};
        c.docks = {d};
        c.arrivals_s = 3600;
        c.drain_s = 3600;
        c.congestion = false;
        return c;
    }
    int nodeAt(double x) const {
        for (size_t k = 0; k < graph.nodes().size(); ++k)
            if (std::abs(graph.nodes()[k].position.x - x) < 1e-9)
                return int(k);
        return -1;
    }
};

} // namespace

TEST(TruckTracks, FollowTheTimetableOfATruckOnOneRoad) {
    const OneTruck park;
    ASSERT_GE(park.nodeAt(0), 0);
    ASSERT_GE(park.nodeAt(1000), 0);
    // Travel time of the kilometre at the link's free-flow speed (20 km/h on a service road).
    const double drive_s = 1000 / park.graph.links()[0].speed_ms;
    ASSERT_NEAR(drive_s, 180, 1e-9);
    const UtcTime start = parseIsoTime("2026-01-05T08:00:00Z", UtcOffset{0});
    const logistics::Simulation sim(park.graph, park.config());
    const std::vector<TruckTrack> tracks = recordTruckTracks(sim, start, 10);
    ASSERT_EQ(tracks.size(), 1u);
    EXPECT_EQ(tracks[0].id, "truck-1");

    // At the gate from 100 s, checked in at 120 s; at the dock from 300 s, served until 900 s;
    // out at 1080 s.
    const auto& s = tracks[0].samples;
    ASSERT_FALSE(s.empty());
    EXPECT_EQ(s.front().time, start + std::chrono::seconds(100));
    EXPECT_EQ(s.back().time, start + std::chrono::seconds(1070));
    auto at = [&](double t_s) { return truckPositionAt(tracks[0], toSeconds(start) + t_s); };
    ASSERT_TRUE(at(200));
    EXPECT_NEAR(at(200)->x, (200 - 120) / drive_s * 1000, 1e-6);
    EXPECT_NEAR(at(200)->y, 0, 1e-9);
    EXPECT_NEAR(at(600)->x, 1000, 1e-6); // standing at the dock while served
    EXPECT_NEAR(at(1000)->x, 1000 - (1000 - 900) / drive_s * 1000, 1e-6);
    ASSERT_TRUE(at(110));
    EXPECT_NEAR(at(110)->x, 0, 1e-9); // checking in at the gate
    EXPECT_FALSE(at(90));             // not yet arrived
    EXPECT_FALSE(at(1100));           // gone
    // The simulation handed in is a copy: it is left as it was.
    EXPECT_TRUE(sim.trucks().empty());
}

// Two trucks at 100 s: the second checks in 120-140 s and reaches the dock at 320 s while the
// first is served (300-900 s), so it waits one truck spacing back from the dock on the road,
// then is served at the dock from 900 s.
TEST(TruckTracks, AQueuedTruckStandsOneSpacingBackFromTheDock) {
    const OneTruck park;
    logistics::SimConfig c = park.config();
    c.gates[0].schedule_s = {100, 100};
    const UtcTime start = parseIsoTime("2026-01-05T08:00:00Z", UtcOffset{0});
    const std::vector<TruckTrack> tracks =
        recordTruckTracks(logistics::Simulation(park.graph, c), start, 10);
    ASSERT_EQ(tracks.size(), 2u);
    auto at = [&](int truck, double t_s) {
        return truckPositionAt(tracks[size_t(truck)], toSeconds(start) + t_s);
    };
    ASSERT_TRUE(at(0, 600) && at(1, 600));
    EXPECT_NEAR(at(0, 600)->x, 1000, 1e-6);                  // served at the dock
    EXPECT_NEAR(at(1, 600)->x, 1000 - c.truckSpacing_m, 1e-6); // first in the queue behind it
    ASSERT_TRUE(at(1, 1200));
    EXPECT_NEAR(at(1, 1200)->x, 1000, 1e-6); // served in its turn
}

// Three trucks at 100 s at a gate with one lane and 20 s check-ins: truck 1 checks in 100-120 s,
// truck 2 120-140 s, truck 3 140-160 s. The road into the park runs east from the gate, so the
// line of waiting trucks runs west: the first waiting one a truck spacing (19 m) west of the
// gate, the next two spacings. With two lanes, trucks 1 and 2 check in side by side, a lane
// (3.5 m) apart across the road.
TEST(TruckTracks, TrucksWaitingAtTheGateStandInLineOutsideIt) {
    const OneTruck park;
    const UtcTime start = parseIsoTime("2026-01-05T08:00:00Z", UtcOffset{0});
    for (int lanes : {1, 2}) {
        logistics::SimConfig c = park.config();
        c.gates[0].schedule_s = {100, 100, 100};
        c.gates[0].lanes = lanes;
        c.docks[0].bays = 3;
        const std::vector<TruckTrack> tracks =
            recordTruckTracks(logistics::Simulation(park.graph, c), start, 10);
        ASSERT_EQ(tracks.size(), 3u);
        auto at = [&](int truck, double t_s) {
            const auto p = truckPositionAt(tracks[size_t(truck)], toSeconds(start) + t_s);
            EXPECT_TRUE(p) << "truck " << truck + 1 << " at " << t_s << " s";
            return p.value_or(Vec2{NAN, NAN});
        };
        const double spacing = c.truckSpacing_m;
        if (lanes == 1) {
            EXPECT_NEAR(at(0, 110).x, 0, 1e-9);
            EXPECT_NEAR(at(1, 110).x, -spacing, 1e-9);
            EXPECT_NEAR(at(2, 110).x, -2 * spacing, 1e-9);
            EXPECT_NEAR(at(1, 130).x, 0, 1e-9); // its turn at the gate
            EXPECT_NEAR(at(2, 130).x, -spacing, 1e-9);
            EXPECT_NEAR(at(2, 150).x, 0, 1e-9);
            for (int k = 0; k < 3; ++k)
                EXPECT_NEAR(at(k, 110).y, 0, 1e-9);
        } else {
            EXPECT_NEAR(at(0, 110).x, 0, 1e-9);
            EXPECT_NEAR(at(0, 110).y, 0, 1e-9);
            EXPECT_NEAR(at(1, 110).x, 0, 1e-9);
            EXPECT_NEAR(std::abs(at(1, 110).y), 3.5, 1e-9);
            EXPECT_NEAR(at(2, 110).x, -spacing, 1e-9);
            EXPECT_NEAR(at(2, 130).x, 0, 1e-9); // a lane came free at 120 s
        }
    }
}

TEST(TruckTracks, RefuseAStepThatIsNotPositive) {
    const OneTruck park;
    const logistics::Simulation sim(park.graph, park.config());
    EXPECT_THROW(recordTruckTracks(sim, UtcTime{}, 0), Error);
    EXPECT_THROW(recordTruckTracks(sim, UtcTime{}, NAN), Error);
}
