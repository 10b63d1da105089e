#include "engine/sensors/incident_ranking.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

#include <fmt/format.h>

#include "engine/dispersion/building_wake.h"
#include "engine/dispersion/puff.h"
#include "engine/met/mixing_height.h"
#include "engine/met/stability.h"
#include "engine/sensors/attribution.h"
#include "engine/sensors/averaging.h"

namespace parktwin::sensors {
namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;

UtcTime wallClock() {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string isoUtc(UtcTime t) { return formatIsoTime(t, UtcOffset{0}); }

/// Sums of one clock hour's met readings over the stations used.
struct HourSums {
    double speed = 0, east = 0, north = 0, temperature = 0;
    int speeds = 0, directions = 0, temperatures = 0;
};

bool ambientUnit(const std::string& unit) { return unit == "ug/m3" || unit == "ug/Nm3"; }

} // namespace

RankingPark rankingPark(const ParkModel& park, double latitude_deg, double longitude_deg) {
    RankingPark out;
    out.latitude_deg = latitude_deg;
    out.longitude_deg = longitude_deg;
    for (const Stack& s : park.stacks) {
        dispersion::PointSource p;
        p.id = s.id;
        p.position = s.position;
        p.baseElevation_m = s.baseElevation_m;
        p.height_m = s.height_m;
        p.diameter_m = s.diameter_m;
        p.exitVelocity_ms = s.exitVelocity_ms;
        p.exitTemperature_K = s.exitTemperature_K;
        p.emissionRate_gs = 1.0;
        p.buildings = dispersion::buildingWake(s.position, s.baseElevation_m, park.buildings);
        out.stacks.push_back(std::move(p));
    }
    out.sensors = dispersion::sensorReceptors(park);
    for (const Sensor& s : park.sensors)
        out.sensorIds.push_back(s.id);
    return out;
}

MetSeries metFromReadings(const ReadingStore& store, UtcTime from, UtcTime to,
                          double latitude_deg, double longitude_deg,
                          const RankingOptions& options, std::string* note) {
    MetSeries met;
    met.source = options.metStation.empty() ? "readings store: every station with WS and WD"
                                            : "readings store: station " + options.metStation;
    met.stabilityMethod = met::turnerMethodText();
    met.mixingMethod = met::screen3MixingMethodText();
    if (note)
        note->clear();
    if (to <= from)
        return met;

    // Readings carry the end of their period, so the hours are hour-ending: (start, end].
    const std::int64_t firstHour = hourEndingIndex(from);
    const std::int64_t lastHour = hourEndingIndex(to - std::chrono::seconds(1));
    const UtcTime readFrom = hourStart(firstHour) + std::chrono::seconds(1);
    const UtcTime readTo = hourEnd(lastHour) + std::chrono::seconds(1);

    std::vector<std::string> stations;
    if (!options.metStation.empty())
        stations = {options.metStation};
    else
        stations = store.stationsReporting("WS");

    std::map<std::int64_t, HourSums> hours;
    for (const std::string& station : stations) {
        for (const Reading& r : store.readings(station, "WS", readFrom, readTo))
            if (isUsable(r) && r.unit == "m/s" && r.value >= 0) {
                HourSums& h = hours[hourEndingIndex(r.time)];
                h.speed += r.value;
                ++h.speeds;
            }
        for (const Reading& r : store.readings(station, "WD", readFrom, readTo))
            if (isUsable(r) && r.unit == "deg") {
                HourSums& h = hours[hourEndingIndex(r.time)];
                h.east += std::sin(r.value * kDegToRad);
                h.north += std::cos(r.value * kDegToRad);
                ++h.directions;
            }
        for (const Reading& r : store.readings(station, "TEMP", readFrom, readTo))
            if (isUsable(r) && r.unit == "degC") {
                HourSums& h = hours[hourEndingIndex(r.time)];
                h.temperature += r.value + 273.15;
                ++h.temperatures;
            }
    }

    std::vector<std::pair<std::int64_t, double>> temperatures; // hour, K
    for (const auto& [hour, h] : hours)
        if (h.temperatures > 0)
            temperatures.emplace_back(hour, h.temperature / h.temperatures);
    int assumedTemperature = 0, borrowedTemperature = 0;

    for (const auto& [hour, h] : hours) {
        if (h.speeds == 0 || h.directions == 0)
            continue;
        MetHour m;
        m.start = hourStart(hour);
        m.anemometerHeight_m = options.anemometerHeight_m;
        m.windSpeed_ms = h.speed / h.speeds;
        double from_deg = std::atan2(h.east, h.north) / kDegToRad;
        if (from_deg < 0)
            from_deg += 360.0;
        m.windFromDir_deg = from_deg;
        // As ISC3 reads its met: an anemometer speed of zero is a calm hour.
        m.calm = m.windSpeed_ms <= 0.0;
        if (h.temperatures > 0) {
            m.temperature_K = h.temperature / h.temperatures;
        } else if (!temperatures.empty()) {
            const auto nearest = std::min_element(
                temperatures.begin(), temperatures.end(), [&](const auto& a, const auto& b) {
                    return std::llabs(a.first - hour) < std::llabs(b.first - hour);
                });
            m.temperature_K = nearest->second;
            ++borrowedTemperature;
        } else {
            m.temperature_K = options.fallbackTemperature_K;
            ++assumedTemperature;
        }
        m.stability = met::turnerStabilityAt(m.start + std::chrono::minutes(30), latitude_deg,
                                             longitude_deg, m.windSpeed_ms);
        m.mixingHeight_m = met::screen3MixingHeight_m(m.stability, m.windSpeed_ms);
        m.mixingHeightIsEstimate = true;
        met.hours.push_back(m);
    }

    if (note) {
        if (assumedTemperature > 0)
            *note = fmt::format("no TEMP recorded: {:.1f} °C assumed in {} hour(s)",
                                options.fallbackTemperature_K - 273.15, assumedTemperature);
        else if (borrowedTemperature > 0)
            *note = fmt::format("TEMP taken from the nearest hour in {} hour(s)",
                                borrowedTemperature);
    }
    return met;
}

IncidentRanking rankIncident(const ReadingStore& store, const IncidentRecord& incident,
                             const RankingPark* park, const RankingOptions& options,
                             const std::string& trigger) {
    IncidentRanking out;
    out.incidentId = incident.id;
    out.trigger = trigger;
    out.computedAt = wallClock();
    out.windowFrom = incident.start - options.leadIn;
    out.windowTo = (incident.end ? *incident.end : incident.lastExceedingEnd) +
                   std::chrono::seconds(1);
    out.method = "ISC3 hourly plume of each park stack at 1 g/s with the recorded wind (Turner "
                 "stability from the sun and wind, SCREEN3 mixing height); rates and a uniform "
                 "background by non-negative least squares (Lawson and Hanson 1974)";

    const auto unranked = [&](std::string reason) {
        out.ranked = false;
        out.reason = std::move(reason);
        return out;
    };
    if (incident.scope != "ambient")
        return unranked("a " + incident.scope + " incident is measured in the stack itself; "
                        "attribution explains ambient readings");
    if (!park)
        return unranked("no park model: the ingest needs --park PARK.toml to know the stacks "
                        "and where the sensors stand");
    if (park->stacks.empty())
        return unranked("the park has no stacks to rank");
    if (park->sensors.empty())
        return unranked("the park has no sensors");

    // The readings of the incident's parameter at the park's sensors. An open incident runs
    // to the latest of them.
    struct Raw {
        std::size_t sensor;
        UtcTime time;
        double value;
    };
    std::vector<Raw> raw;
    const UtcTime readFrom = out.windowFrom;
    const UtcTime readTo = incident.end ? out.windowTo : UtcTime::max();
    for (std::size_t i = 0; i < park->sensorIds.size(); ++i)
        for (const Reading& r : store.readings(park->sensorIds[i], incident.parameter,
                                               readFrom, readTo))
            if (isUsable(r) && ambientUnit(r.unit) && std::isfinite(r.value))
                raw.push_back({i, r.time, r.value});
    if (!incident.end)
        for (const Raw& r : raw)
            out.windowTo = std::max(out.windowTo, r.time + std::chrono::seconds(1));
    out.windowFrom = std::max(out.windowFrom, out.windowTo - options.maxWindow);
    std::erase_if(raw, [&](const Raw& r) {
        return r.time < out.windowFrom || r.time >= out.windowTo;
    });
    if (raw.empty())
        return unranked(fmt::format("no usable {} reading at the park's sensors between {} and {}",
                                    incident.parameter, isoUtc(out.windowFrom),
                                    isoUtc(out.windowTo)));

    std::string metNote;
    const MetSeries met = metFromReadings(store, out.windowFrom, out.windowTo,
                                          park->latitude_deg, park->longitude_deg, options,
                                          &metNote);
    out.metHours = std::int64_t(met.hours.size());
    if (met.hours.empty())
        return unranked(fmt::format("no wind recorded (WS and WD{}) between {} and {}",
                                    options.metStation.empty()
                                        ? ""
                                        : " of station " + options.metStation,
                                    isoUtc(out.windowFrom), isoUtc(out.windowTo)));
    if (!metNote.empty())
        out.method += "; " + metNote;

    // Only readings in hours with recorded wind can be modelled.
    AttributionProblem problem;
    for (const dispersion::PointSource& s : park->stacks)
        problem.sourceIds.push_back(s.id);
    std::vector<UtcTime> metStarts;
    for (const MetHour& h : met.hours)
        metStarts.push_back(h.start);
    std::size_t withoutWind = 0;
    for (const Raw& r : raw) {
        const UtcTime start = hourStart(hourEndingIndex(r.time));
        const bool hasMet = std::binary_search(metStarts.begin(), metStarts.end(), start);
        if (!hasMet) {
            ++withoutWind;
            continue;
        }
        // The plume model looks the hour up by its start: give it the hour's first instant.
        problem.samples.push_back({r.sensor, std::max(r.time - std::chrono::seconds(1), start),
                                   r.value});
    }
    const std::size_t needed = problem.sourceIds.size() + 2;
    if (problem.samples.size() < needed)
        return unranked(fmt::format("only {} {} reading(s) at the park's sensors fall in hours "
                                    "with recorded wind ({} without); {} needed for {} stacks "
                                    "and the background",
                                    problem.samples.size(), incident.parameter, withoutWind,
                                    needed, problem.sourceIds.size()));

    problem.unitModel = plumeUnitContributions(park->stacks, met, park->sensors, problem.samples,
                                               options.plume);
    const bool reaches = std::any_of(
        problem.unitModel.begin(), problem.unitModel.end(), [](const std::vector<double>& c) {
            return std::any_of(c.begin(), c.end(), [](double v) { return v > 0; });
        });
    if (!reaches)
        return unranked(fmt::format("with the recorded wind no stack's plume reaches a park "
                                    "sensor between {} and {}",
                                    isoUtc(out.windowFrom), isoUtc(out.windowTo)));

    const Attribution a = attributeSources(problem);
    out.ranked = true;
    out.background_ugm3 = a.background_ugm3;
    out.r2 = a.r2;
    out.samples = std::int64_t(a.samples);
    int rank = 0;
    for (const SourceAttribution& s : a.ranked)
        out.sources.push_back({++rank, s.sourceId, s.rate_gs, s.share, s.score});
    return out;
}

} // namespace parktwin::sensors
