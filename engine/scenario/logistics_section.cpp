#include "engine/scenario/logistics_section.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "engine/core/error.h"
#include "engine/logistics/emissions.h"

namespace parktwin::scenario {
namespace {

using logistics::Distribution;
using tomlin::TableReader;

// { distribution = "exponential", mean_min = 30 } and the shape keys of the others:
// phases (erlang), cv (lognormal), spread (uniform, half-width over the mean).
Distribution readDistribution(TableReader& parent, const std::string& key) {
    TableReader t(parent.table(key), parent.path() + "." + key, parent.file());
    Distribution d;
    const std::string kind = t.string("distribution");
    d.mean_s = t.number("mean_min") * 60;
    if (!(d.mean_s >= 0))
        throw InputError(t.file(), t.where("mean_min"), "expected a duration of 0 or more");
    if (kind == "fixed") {
        d.kind = Distribution::Kind::Deterministic;
    } else if (kind == "exponential") {
        d.kind = Distribution::Kind::Exponential;
    } else if (kind == "erlang") {
        d.kind = Distribution::Kind::Erlang;
        d.shape = t.number("phases");
        if (d.shape < 1 || d.shape != std::floor(d.shape))
            throw InputError(t.file(), t.where("phases"), "expected a whole number of 1 or more");
    } else if (kind == "lognormal") {
        d.kind = Distribution::Kind::Lognormal;
        d.shape = t.number("cv");
        if (!(d.shape > 0))
            throw InputError(t.file(), t.where("cv"), "expected a positive coefficient");
        if (!(d.mean_s > 0))
            throw InputError(t.file(), t.where("mean_min"), "a lognormal needs a positive mean");
    } else if (kind == "uniform") {
        d.kind = Distribution::Kind::Uniform;
        d.shape = t.number("spread");
        if (!(d.shape >= 0 && d.shape <= 1))
            throw InputError(t.file(), t.where("spread"), "expected a fraction from 0 to 1");
    } else {
        throw InputError(t.file(), t.where("distribution"),
                         "expected \"fixed\", \"exponential\", \"erlang\", \"lognormal\" or "
                         "\"uniform\", found \"" + kind + "\"");
    }
    t.finish();
    return d;
}

// "06:00-14:00" -> seconds after midnight; a close before the open runs past midnight.
std::pair<double, double> parseShift(const std::string& text, TableReader& t) {
    int h1 = 0, m1 = 0, h2 = 0, m2 = 0;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%d:%d-%d:%d%c", &h1, &m1, &h2, &m2, &tail) != 4 || h1 < 0 ||
        h1 > 24 || h2 < 0 || h2 > 24 || m1 < 0 || m1 > 59 || m2 < 0 || m2 > 59)
        throw InputError(t.file(), t.where("shifts"),
                         "expected shifts as \"HH:MM-HH:MM\", found \"" + text + "\"");
    return {h1 * 3600.0 + m1 * 60.0, h2 * 3600.0 + m2 * 60.0};
}

logistics::GateRef readGate(TableReader& t) {
    logistics::GateRef g;
    g.where = t.path();
    g.id = t.string("id");
    g.point = t.string("point", "");
    g.road = t.string("road", "");
    const std::string end = t.string("road_end", "start");
    if (end != "start" && end != "end")
        throw InputError(t.file(), t.where("road_end"),
                         "expected \"start\" or \"end\", found \"" + end + "\"");
    g.roadEnd = end == "end";
    g.exitPoint = t.string("exit_point", "");
    g.exitRoad = t.string("exit_road", "");
    const std::string exitEnd = t.string("exit_road_end", "end");
    if (exitEnd != "start" && exitEnd != "end")
        throw InputError(t.file(), t.where("exit_road_end"),
                         "expected \"start\" or \"end\", found \"" + exitEnd + "\"");
    g.exitRoadEnd = exitEnd == "end";
    if (!g.exitPoint.empty() && !g.exitRoad.empty())
        throw InputError(t.file(), t.where("exit_point"), "give exit_point or exit_road, not both");
    if (g.point.empty() == g.road.empty())
        throw InputError(
            t.file(), t.where("point"),
            "give the gate either as point = \"<node id>\" or as road = \"<road id>\"");
    g.lanes = static_cast<int>(t.number("lanes", 1));
    if (g.lanes < 1)
        throw InputError(t.file(), t.where("lanes"), "expected at least one lane");
    if (t.has("check_in"))
        g.checkIn = readDistribution(t, "check_in");
    const std::vector<double> rates = t.numbers("hourly_rate");
    if (!rates.empty() && rates.size() != 24)
        throw InputError(t.file(), t.where("hourly_rate"),
                         "expected 24 rates (trucks per hour, local hours 0-23), found " +
                             std::to_string(rates.size()));
    for (size_t h = 0; h < rates.size(); ++h) {
        if (rates[h] < 0)
            throw InputError(t.file(), t.where("hourly_rate"), "negative rate");
        g.hourlyRate_vehh[h] = rates[h];
    }
    g.scheduleMinutes = t.numbers("schedule_min");
    for (double m : g.scheduleMinutes)
        if (m < 0)
            throw InputError(t.file(), t.where("schedule_min"), "negative arrival time");
    if (rates.empty() && g.scheduleMinutes.empty())
        throw InputError(t.file(), t.where("hourly_rate"),
                         "a gate needs hourly_rate or schedule_min");
    t.finish();
    return g;
}

logistics::DockRef readDock(TableReader& t) {
    logistics::DockRef d;
    d.where = t.path();
    d.id = t.string("id");
    d.building = t.string("building", "");
    d.area = t.string("area", "");
    if (d.building.empty() == d.area.empty())
        throw InputError(t.file(), t.where("building"),
                         "give the dock either as building = \"<id>\" or as area = \"<id>\"");
    d.bays = static_cast<int>(t.number("bays", 1));
    if (d.bays < 1)
        throw InputError(t.file(), t.where("bays"), "expected at least one bay");
    d.share = t.number("share", 1);
    if (!(d.share >= 0))
        throw InputError(t.file(), t.where("share"), "expected a share of 0 or more");
    d.service = readDistribution(t, "service");
    for (const std::string& s : t.strings("shifts"))
        d.shifts_s.push_back(parseShift(s, t));
    t.finish();
    return d;
}

} // namespace

logistics::LogisticsSpec readLogisticsSection(TableReader& t) {
    logistics::LogisticsSpec s;
    s.file = t.file();
    const double seed = t.number("seed", 1);
    if (seed < 0 || seed != std::floor(seed) || seed > 9.0e15)
        throw InputError(t.file(), t.where("seed"), "expected a whole number of 0 or more");
    s.seed = static_cast<std::uint64_t>(seed);
    s.drainHours = t.number("drain_hours", 24);
    s.congestion = t.boolean("congestion", true);
    s.backgroundVolumeRatio = t.number("background_volume_ratio", 0);
    s.sampleMinutes = t.number("sample_min", 5);
    s.idleLimitMinutes = t.number("idle_limit_min", std::numeric_limits<double>::infinity());
    s.truckClass = t.string("truck_class", "HDV_D_EU4");
    if (!logistics::emissionFactor(s.truckClass, logistics::Pollutant::CO2)) {
        std::string known;
        for (const std::string& c : logistics::truckClasses())
            known += (known.empty() ? "" : ", ") + c;
        throw InputError(t.file(), t.where("truck_class"),
                         "unknown truck class \"" + s.truckClass + "\"; known: " + known);
    }
    if (s.drainHours < 0 || s.backgroundVolumeRatio < 0 || !(s.sampleMinutes > 0))
        throw InputError(t.file(), t.path(),
                         "drain_hours and background_volume_ratio must be 0 or more, "
                         "sample_min positive");
    if (!(s.idleLimitMinutes >= 0))
        throw InputError(t.file(), t.where("idle_limit_min"), "expected 0 minutes or more");
    const auto gates = t.tables("gates");
    const auto docks = t.tables("docks");
    if (gates.empty() || docks.empty())
        throw InputError(t.file(), t.path(),
                         "a logistics section needs [[logistics.gates]] and [[logistics.docks]]");
    for (size_t k = 0; k < gates.size(); ++k) {
        TableReader g(*gates[k], t.path() + ".gates[" + std::to_string(k) + "]", t.file());
        s.gates.push_back(readGate(g));
    }
    for (size_t k = 0; k < docks.size(); ++k) {
        TableReader d(*docks[k], t.path() + ".docks[" + std::to_string(k) + "]", t.file());
        s.docks.push_back(readDock(d));
    }
    t.finish();
    return s;
}

} // namespace parktwin::scenario
