#include "engine/logistics/emissions.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "engine/core/error.h"

namespace parktwin::logistics {
namespace {

// HBEFA 3.1 heavy-duty diesel classes as SUMO 1.15 implements them (Krajzewicz et al. 2015,
// "Second generation of pollutant emission models for SUMO"), read with SUMO's emissionsMap
// at zero acceleration and slope, 0-25 m/s in 1 m/s steps: the rate is linear in speed
// there to six digits, rate = a + b v. NOx as NO2 mass, PM exhaust particles (PMx).
// At 54 km/h the HDV_D_EU4 rows give CO2 960 g/km, NOx 6.21 g/km, PM 0.022 g/km.
struct ClassFactors {
    EmissionFactor nox, pm, co2;
};

const std::map<std::string, ClassFactors>& table() {
    static const std::map<std::string, ClassFactors> t = {
        {"HDV_D_EU3", {{66.9721, 3.17227}, {1.51, 0.044555}, {7216.66, 480.006}}},
        {"HDV_D_EU4", {{56.1666, 2.46058}, {0.351944, -0.00177911}, {6747.22, 509.725}}},
        {"HDV_D_EU5", {{45.7778, 1.95444}, {0.3625, -0.00214304}, {6655.55, 518.893}}},
        {"HDV_D_EU6", {{13.1861, 0.760282}, {0.0355278, 0.000913881}, {6536.11, 524.724}}},
    };
    return t;
}

// Queue idling, checked against trucks measured standing at low idle. McCormick et al. (2000),
// "Idle emissions from heavy-duty diesel and natural gas vehicles at high altitude", J. Air &
// Waste Manage. Assoc. 50:1992-1998: 12 diesel trucks averaged NOx 1.416 g/min (85 g/h) and
// PM 0.030 g/min (1.8 g/h); Rahman et al. (2013), Energy Convers. Manage. 74:171-182, review
// idling up to NOx 375 g/h, PM 4 g/h, CO2 16.5 kg/h. The zero-speed rates of the moving fits
// above give NOx 47 (EU6) to 241 g/h (EU3) and PM 0.13 to 5.4 g/h: inside or near those
// ranges, so they are kept for standing trucks. Their CO2, 23 to 26 kg/h (2.4 US gal of
// diesel an hour), is not: Frey and Kuo (2009), J. Air & Waste Manage. Assoc. 59:857-864,
// logged 0.46 to 0.65 gal/h of base-engine idling fuel on 20 long-haul trucks over a year.
// Standing trucks take the middle, 0.55 gal/h = 2.08 l/h, x 0.835 kg/l (EN 590 diesel)
// x 3.169 kg CO2 per kg of fuel = 5.51 kg/h; fuel at idle does not depend on the Euro class.
constexpr double kQueueIdleCo2_mgs = 0.55 * 3.785 * 0.835 * 3.169 * 1e6 / 3600;

constexpr double kTruckHeight_m = 4.0;
constexpr double kPlumeTop_m = 1.7 * kTruckHeight_m;
constexpr double kReleaseHeight_m = kPlumeTop_m / 2;
constexpr double kSigmaZ0_m = kPlumeTop_m / 2.15;
constexpr double kLaneWidth_m = 3.5;
// A yard where queued trucks idle, taken as a 20 m square volume: sigma-y0 = side / 4.3
// (the ISC3 user's guide's rule for a single volume source).
constexpr double kYardSigmaY0_m = 20.0 / 4.3;

double groundAt(const physics::ParkWorld* world, Vec2 p) {
    if (!world)
        return 0;
    const double z = world->groundHeight(p);
    return std::isfinite(z) ? z : 0;
}

} // namespace

std::optional<Pollutant> parsePollutant(const std::string& name) {
    std::string n;
    for (char c : name)
        n += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (n == "NOX" || n == "NO2")
        return Pollutant::NOx;
    if (n == "PM" || n == "PM10" || n == "PM2.5" || n == "PM25")
        return Pollutant::PM;
    if (n == "CO2")
        return Pollutant::CO2;
    return std::nullopt;
}

std::optional<EmissionFactor> emissionFactor(const std::string& truckClass, Pollutant p) {
    auto it = table().find(truckClass);
    if (it == table().end())
        return std::nullopt;
    EmissionFactor f;
    switch (p) {
    case Pollutant::NOx:
        f = it->second.nox;
        f.queueIdle_mgs = f.idle_mgs;
        break;
    case Pollutant::PM:
        f = it->second.pm;
        f.queueIdle_mgs = f.idle_mgs;
        break;
    case Pollutant::CO2:
        f = it->second.co2;
        f.queueIdle_mgs = kQueueIdleCo2_mgs;
        break;
    }
    return f;
}

std::vector<std::string> truckClasses() {
    std::vector<std::string> names;
    for (const auto& [name, f] : table())
        names.push_back(name);
    return names;
}

std::vector<HourlySources> hourlySources(const Simulation& sim, const std::string& truckClass,
                                         Pollutant pollutant, const physics::ParkWorld* world) {
    const auto factor = emissionFactor(truckClass, pollutant);
    if (!factor)
        throw Error("logistics: unknown truck emission class \"" + truckClass + "\"");
    const RoadGraph& graph = sim.graph();
    std::map<int, HourlySources> byHour;
    auto hourSources = [&](int hour) -> HourlySources& {
        HourlySources& h = byHour[hour];
        h.hour = hour;
        return h;
    };

    for (const LinkHour& lh : sim.linkHours()) {
        const GraphLink& l = graph.links()[lh.link];
        const double grams =
            (factor->idle_mgs * lh.travel_s + factor->perMetre_mgm * lh.trucks * l.length_m) /
            1000;
        dispersion::LineSource s;
        s.id = "link" + std::to_string(lh.link);
        s.centreline = l.shape;
        s.baseElevation_m = groundAt(world, l.shape[l.shape.size() / 2]);
        s.width_m = kLaneWidth_m * l.lanes + 6;
        s.releaseHeight_m = kReleaseHeight_m;
        s.initialSigmaZ_m = kSigmaZ0_m;
        s.emissionRate_gsm = grams / 3600 / l.length_m;
        HourlySources& h = hourSources(lh.hour);
        h.lines.push_back(std::move(s));
        h.totalGrams += grams;
    }

    for (const IdleHour& idle : sim.idleHours()) {
        const bool isGate = idle.place.rfind("gate:", 0) == 0;
        const std::string id = idle.place.substr(5);
        int node = -1;
        for (const GateSpec& g : sim.config().gates)
            if (isGate && g.id == id)
                node = g.node;
        for (const DockSpec& d : sim.config().docks)
            if (!isGate && d.id == id)
                node = d.node;
        if (node < 0 || idle.idle_s <= 0)
            continue;
        const double grams = factor->queueIdle_mgs * idle.idle_s / 1000;
        dispersion::VolumeSource v;
        v.id = idle.place;
        v.position = graph.nodes()[node].position;
        v.baseElevation_m = groundAt(world, v.position);
        v.releaseHeight_m = kReleaseHeight_m;
        v.initialSigmaY_m = kYardSigmaY0_m;
        v.initialSigmaZ_m = kSigmaZ0_m;
        v.emissionRate_gs = grams / 3600;
        HourlySources& h = hourSources(idle.hour);
        h.volumes.push_back(std::move(v));
        h.totalGrams += grams;
    }

    std::vector<HourlySources> out;
    for (auto& [hour, h] : byHour)
        out.push_back(std::move(h));
    return out;
}

} // namespace parktwin::logistics
