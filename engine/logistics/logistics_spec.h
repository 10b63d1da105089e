#pragma once
// The [logistics] section of a scenario as written: gates and docks by reference to the park
// (road points, roads, buildings, areas), demand, service times and shifts.

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "engine/logistics/random.h"

namespace parktwin::logistics {

struct GateRef {
    std::string id;
    std::string point;   ///< id of a gate or junction node of the road layer, or
    std::string road;    ///< id of a road whose `roadEnd` is the gate
    bool roadEnd = false; ///< true: the road's last vertex; false: its first
    std::string exitPoint; ///< where trucks leave, when not where they came in
    std::string exitRoad;
    bool exitRoadEnd = false;
    std::string where;   ///< "logistics.gates[k]" for messages
    int lanes = 1;
    Distribution checkIn;
    std::array<double, 24> hourlyRate_vehh{};
    std::vector<double> scheduleMinutes; ///< fixed arrivals, minutes after the start
};

struct DockRef {
    std::string id;
    std::string building; ///< building id: the dock is at the road node nearest its centroid
    std::string area;     ///< or the id of an area (an industrial plot)
    std::string where;
    int bays = 1;
    double share = 1;
    Distribution service;
    std::vector<std::pair<double, double>> shifts_s; ///< open, close: seconds of the local day
};

struct LogisticsSpec {
    std::string file;      ///< the scenario file, for messages
    std::uint64_t seed = 1;
    double drainHours = 24;
    bool congestion = true;
    double backgroundVolumeRatio = 0;
    double sampleMinutes = 5;
    double idleLimitMinutes = std::numeric_limits<double>::infinity(); ///< engine-off rule
    std::string truckClass = "HDV_D_EU4"; ///< emission class of the fleet
    std::vector<GateRef> gates;
    std::vector<DockRef> docks;
};

} // namespace parktwin::logistics
