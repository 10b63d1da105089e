#include "engine/scenario/runner.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <mutex>
#include <limits>
#include <numeric>
#include <thread>

#include <spdlog/fmt/fmt.h>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/dispersion/building_wake.h"

namespace parktwin::scenario {

RasterGrid receptorGrid(const Scenario& scenario, const ParkModel& park) {
    Box2 extent = park.extent;
    if (scenario.receptors.margin_m >= 0) {
        Box2 core;
        for (const Area& a : park.boundary)
            for (const Polygon& p : a.parts)
                core.expand(bounds(p.outer));
        if (core.valid()) {
            const double m = scenario.receptors.margin_m;
            extent = Box2{{core.min.x - m, core.min.y - m}, {core.max.x + m, core.max.y + m}};
        }
    }
    if (!extent.valid())
        throw Error("park '" + park.name + "' has no modelling extent");

    const double d = scenario.receptors.spacing_m;
    const double columns = std::floor(extent.width() / d) + 1;
    const double rows = std::floor(extent.height() / d) + 1;
    if (columns * rows > kMaxReceptors)
        throw InputError(scenario.file.string(), "receptors.spacing_m",
                         fmt::format("a {:g} m spacing over {:.0f} x {:.0f} m gives {:.0f} "
                                     "receptors; at most {} are allowed (use a wider spacing "
                                     "or a smaller margin)",
                                     d, extent.width(), extent.height(), columns * rows,
                                     kMaxReceptors));
    const int nx = static_cast<int>(columns);
    const int ny = static_cast<int>(rows);
    // Centre the receptor lattice on the extent so no side is favoured.
    const double x0 = extent.centre().x - (nx - 1) * d / 2;
    const double y0 = extent.centre().y - (ny - 1) * d / 2;
    RasterGrid grid(x0, y0, d, d, nx, ny);
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i)
            grid.at(i, j) = park.terrain.heightAt(grid.position(i, j));
    return grid;
}

std::vector<dispersion::PointSource> modelledSources(const Scenario& scenario,
                                                     const ParkModel& park) {
    std::vector<dispersion::PointSource> out;
    for (const SourceSpec& spec : scenario.sources) {
        dispersion::PointSource s;
        s.id = spec.stack;
        if (const Stack* stack = park.findStack(spec.stack)) {
            s.position = stack->position;
            s.height_m = stack->height_m;
            s.diameter_m = stack->diameter_m;
            s.exitVelocity_ms = stack->exitVelocity_ms;
            s.exitTemperature_K = stack->exitTemperature_K;
            s.baseElevation_m = stack->baseElevation_m;
            if (spec.position.local) { // a park stack moved by a variant
                s.position = *spec.position.local;
                s.baseElevation_m = park.terrain.heightAt(s.position);
            }
        } else {
            const bool complete = spec.position.local && spec.height_m && spec.diameter_m &&
                                  spec.exitVelocity_ms && spec.exitTemperature_K;
            if (!complete)
                throw InputError(scenario.file.string(), spec.where,
                                 "no stack '" + spec.stack + "' in park '" + park.name +
                                     "'; a new source needs a position (longitude/latitude or "
                                     "easting_m/northing_m), height_m, diameter_m, "
                                     "exit_velocity_ms and exit_temperature_K");
            s.position = *spec.position.local;
            s.baseElevation_m = park.terrain.heightAt(s.position);
        }
        if (spec.height_m)
            s.height_m = *spec.height_m;
        if (spec.diameter_m)
            s.diameter_m = *spec.diameter_m;
        if (spec.exitVelocity_ms)
            s.exitVelocity_ms = *spec.exitVelocity_ms;
        if (spec.exitTemperature_K)
            s.exitTemperature_K = *spec.exitTemperature_K;
        s.emissionRate_gs = spec.emissionRate_gs;
        // The park's 3D buildings give the stack's downwash dimensions, sector by sector.
        s.buildings = dispersion::buildingWake(s.position, s.baseElevation_m, park.buildings);
        if (s.buildings) {
            int sectors = 0;
            double tallest_m = 0;
            for (const dispersion::BuildingWake& w : *s.buildings) {
                sectors += w.height_m > 0;
                tallest_m = std::max(tallest_m, w.height_m);
            }
            log::get("scenario").info("stack '{}' ({:.0f} m) is in a building wake in {} of 36 "
                                      "sectors (buildings up to {:.0f} m)",
                                      s.id, s.height_m, sectors, tallest_m);
        }
        out.push_back(s);
    }
    return out;
}

namespace {

/// The line sources as volume sources on the park's roads, each with the line it belongs to
/// and the length of road it stands for.
struct LineVolumes {
    std::vector<dispersion::VolumeSource> volumes;
    std::vector<std::size_t> line;
    std::vector<double> length_m;
};

LineVolumes modelledLines(const Scenario& scenario, const ParkModel& park) {
    LineVolumes out;
    for (std::size_t k = 0; k < scenario.lineSources.size(); ++k) {
        const LineSourceSpec& spec = scenario.lineSources[k];
        const auto road = std::find_if(park.roads.begin(), park.roads.end(),
                                       [&](const Road& r) { return r.id == spec.road; });
        if (road == park.roads.end())
            throw InputError(scenario.file.string(), "line source '" + spec.id + "'",
                             "no road with id '" + spec.road + "' in park '" + park.name + "'");
        dispersion::LineSource line;
        line.id = spec.id;
        line.centreline = road->line;
        line.width_m = spec.width_m;
        line.releaseHeight_m = spec.releaseHeight_m;
        line.initialSigmaZ_m = spec.initialSigmaZ_m;
        // At a unit rate each volume's emission is the length of road it stands for.
        line.emissionRate_gsm = 1.0;
        std::vector<dispersion::VolumeSource> volumes;
        try {
            volumes = dispersion::lineAsVolumes(line);
        } catch (const Error& e) {
            throw InputError(scenario.file.string(), "line source '" + spec.id + "'", e.what());
        }
        for (dispersion::VolumeSource& v : volumes) {
            const double length_m = v.emissionRate_gs;
            v.emissionRate_gs = spec.emissionRate_gsm * length_m;
            v.baseElevation_m = park.terrain.heightAt(v.position);
            out.volumes.push_back(v);
            out.line.push_back(k);
            out.length_m.push_back(length_m);
        }
    }
    return out;
}

/// Hour-varying traffic as volume sources, hour by hour, and what they release.
struct TrafficVolumes {
    std::vector<std::vector<dispersion::VolumeSource>> byHour;
    TrafficResult summary;
};

bool sameRoad(const dispersion::LineSource& a, const dispersion::LineSource& b) {
    const bool sameLine = std::equal(
        a.centreline.begin(), a.centreline.end(), b.centreline.begin(), b.centreline.end(),
        [](Vec2 p, Vec2 q) { return p.x == q.x && p.y == q.y; });
    return sameLine && a.width_m == b.width_m && a.releaseHeight_m == b.releaseHeight_m &&
           a.initialSigmaZ_m == b.initialSigmaZ_m;
}

/// Lays each road link's string of volumes out once, at a unit rate per metre (so each
/// volume's rate is the length of road it stands for), and gives every hour its volumes at
/// that hour's rate; idling volumes are taken as they are. Everything is checked here, on the
/// calling thread, so that no worker meets a bad source.
TrafficVolumes trafficVolumes(const std::vector<logistics::HourlySources>& traffic,
                              int hourCount, const ParkModel& park,
                              const dispersion::PlumeOptions& plume) {
    TrafficVolumes out;
    out.byHour.resize(hourCount);
    TrafficResult& sum = out.summary;
    sum.roadGrams.assign(hourCount, 0.0);
    sum.idleGrams.assign(hourCount, 0.0);

    struct LinkString {
        dispersion::LineSource road;
        std::vector<dispersion::VolumeSource> unitVolumes;
    };
    std::map<std::string, LinkString> strings;
    auto requireRate = [](const std::string& id, double rate) {
        if (!(rate >= 0) || !std::isfinite(rate))
            throw Error("traffic source '" + id + "': emission rate must be finite and >= 0");
    };
    for (const logistics::HourlySources& h : traffic) {
        const bool inside = h.hour >= 0 && h.hour < hourCount;
        for (const dispersion::LineSource& line : h.lines) {
            requireRate(line.id, line.emissionRate_gsm);
            auto [it, added] = strings.try_emplace(line.id);
            LinkString& link = it->second;
            if (added) {
                link.road = line;
                link.road.emissionRate_gsm = 1.0;
                link.unitVolumes = dispersion::lineAsVolumes(link.road);
                for (dispersion::VolumeSource& v : link.unitVolumes)
                    v.baseElevation_m = park.terrain.heightAt(v.position);
                sum.linkVolumes += static_cast<int>(link.unitVolumes.size());
            } else if (!sameRoad(link.road, line)) {
                throw Error("traffic line '" + line.id + "' of hour " + std::to_string(h.hour) +
                            " differs in its road from an earlier line of the same id");
            }
            double grams = 0;
            for (const dispersion::VolumeSource& unit : link.unitVolumes) {
                dispersion::VolumeSource v = unit;
                v.emissionRate_gs = line.emissionRate_gsm * unit.emissionRate_gs;
                grams += v.emissionRate_gs * 3600;
                if (inside && v.emissionRate_gs > 0)
                    out.byHour[h.hour].push_back(std::move(v));
            }
            (inside ? sum.roadGrams[h.hour] : sum.outsideGrams) += grams;
        }
        for (const dispersion::VolumeSource& idle : h.volumes) {
            requireRate(idle.id, idle.emissionRate_gs);
            dispersion::VolumeSource v = idle;
            v.baseElevation_m = park.terrain.heightAt(v.position);
            (inside ? sum.idleGrams[h.hour] : sum.outsideGrams) += v.emissionRate_gs * 3600;
            if (inside && v.emissionRate_gs > 0)
                out.byHour[h.hour].push_back(std::move(v));
        }
    }
    sum.links = static_cast<int>(strings.size());

    // addVolumeHour checks every source before it looks at the hour; a calm hour with no
    // receptors checks them and computes nothing.
    MetHour calm;
    calm.calm = true;
    calm.windSpeed_ms = 0;
    for (const auto& volumes : out.byHour)
        dispersion::addVolumeHour(volumes, calm, {}, plume, {});
    return out;
}

int localHourOfDay(UtcTime t, UtcOffset offset) {
    using namespace std::chrono;
    const auto local = t + minutes{offset.minutes};
    return static_cast<int>((local - floor<days>(local)) / hours{1});
}

} // namespace

double TrafficResult::totalGrams() const {
    double g = 0;
    for (double r : roadGrams)
        g += r;
    for (double i : idleGrams)
        g += i;
    return g;
}

RunResult runScenario(const Scenario& scenario, const ParkModel& park, const MetSeries& met,
                      const RunOptions& options) {
    using namespace std::chrono;
    RunResult result;
    result.grid = receptorGrid(scenario, park);
    result.sources = modelledSources(scenario, park);
    const LineVolumes lines = modelledLines(scenario, park);
    result.lineVolumes = lines.volumes;
    const int hourCount = scenario.hourCount();
    const double half_dx = result.grid.dx / 2, half_dy = result.grid.dy / 2;
    const Box2 gridExtent{{result.grid.x0 - half_dx, result.grid.y0 - half_dy},
                          {result.grid.x0 + (result.grid.nx - 0.5) * result.grid.dx,
                           result.grid.y0 + (result.grid.ny - 0.5) * result.grid.dy}};
    result.sites = sensitiveSites(scenario, park, gridExtent);

    // The grid's receptors, then the sensitive sites computed in the same pass.
    const size_t gridCount = result.grid.size();
    std::vector<dispersion::Receptor> receptors(gridCount + result.sites.size());
    for (int j = 0; j < result.grid.ny; ++j)
        for (int i = 0; i < result.grid.nx; ++i)
            receptors[size_t(j) * result.grid.nx + i] = {result.grid.position(i, j),
                                                         result.grid.at(i, j),
                                                         scenario.receptors.flagpole_m};
    for (size_t k = 0; k < result.sites.size(); ++k) {
        const Vec2 p = result.sites[k].position;
        receptors[gridCount + k] = {p, park.terrain.heightAt(p), scenario.receptors.flagpole_m};
    }
    result.siteHourly.assign(result.sites.size(),
                             std::vector<double>(hourCount,
                                                 std::numeric_limits<double>::quiet_NaN()));

    std::optional<TrafficVolumes> traffic;
    if (options.traffic)
        traffic = trafficVolumes(*options.traffic, hourCount, park, scenario.plume);
    // Each hour's highest traffic-only value and where, for the traffic's own maximum.
    std::vector<double> trafficHourMax(hourCount, 0.0);
    std::vector<Vec2> trafficHourMaxAt(hourCount);
    std::vector<double> othersHourMax(hourCount, 0.0);

    std::map<UtcTime, const MetHour*> metByHour;
    for (const MetHour& h : met.hours)
        metByHour[h.start] = &h;

    result.hours.resize(hourCount);
    if (options.keepHourly)
        result.hourly.resize(hourCount);
    const RasterGrid empty(result.grid.x0, result.grid.y0, result.grid.dx, result.grid.dy,
                           result.grid.nx, result.grid.ny, 0.0);

    std::mutex mergeMutex;
    RasterGrid periodMax = empty;
    RasterGrid periodSum = empty;
    RasterGrid trafficMax = traffic ? empty : RasterGrid();
    RasterGrid trafficSum = traffic ? empty : RasterGrid();
    std::atomic<int> next{0};
    int done = 0;

    auto worker = [&] {
        std::vector<double> conc(receptors.size());
        std::vector<double> trafficConc(traffic ? receptors.size() : 0);
        std::vector<dispersion::PointSource> sources = result.sources;
        std::vector<dispersion::VolumeSource> volumes = lines.volumes;
        for (int h = next++; h < hourCount; h = next++) {
            HourResult& hour = result.hours[h];
            hour.start = scenario.start + hours{h};
            std::fill(conc.begin(), conc.end(), 0.0);

            auto it = metByHour.find(hour.start);
            if (it == metByHour.end()) {
                // No met, no result: the hour's grid is missing (nodata), not zero, and it
                // takes no part in the period statistics.
                hour.metMissing = true;
                hour.met.start = hour.start;
                hour.met.calm = true;
                hour.max_ugm3 = std::numeric_limits<double>::quiet_NaN();
                if (options.keepHourly)
                    result.hourly[h] = RasterGrid(empty.x0, empty.y0, empty.dx, empty.dy,
                                                  empty.nx, empty.ny,
                                                  std::numeric_limits<double>::quiet_NaN());
                std::lock_guard lock(mergeMutex);
                ++done;
                if (options.progress)
                    options.progress(done, hourCount);
                continue;
            } else {
                hour.met = *it->second;
                const int localHour = localHourOfDay(hour.start, park.timeZone);
                for (size_t k = 0; k < sources.size(); ++k)
                    sources[k].emissionRate_gs = scenario.sources[k].rateAt(localHour);
                dispersion::addHourConcentrations(sources, hour.met, receptors, scenario.plume,
                                                  conc);
                for (size_t k = 0; k < volumes.size(); ++k)
                    volumes[k].emissionRate_gs =
                        scenario.lineSources[lines.line[k]].rateAt(localHour) * lines.length_m[k];
                dispersion::addVolumeHour(volumes, hour.met, receptors, scenario.plume, conc);
                if (traffic) {
                    std::fill(trafficConc.begin(), trafficConc.end(), 0.0);
                    dispersion::addVolumeHour(traffic->byHour[h], hour.met, receptors,
                                              scenario.plume, trafficConc);
                    for (size_t r = 0; r < conc.size(); ++r)
                        conc[r] += trafficConc[r];
                }
            }

            const auto gridEnd = conc.begin() + static_cast<std::ptrdiff_t>(gridCount);
            const auto maxIt = std::max_element(conc.begin(), gridEnd);
            const size_t maxIndex = static_cast<size_t>(maxIt - conc.begin());
            hour.max_ugm3 = *maxIt;
            hour.maxAt = receptors[maxIndex].position;
            if (traffic) {
                hour.trafficAtMax_ugm3 = trafficConc[maxIndex];
                const auto trafficEnd =
                    trafficConc.begin() + static_cast<std::ptrdiff_t>(gridCount);
                const auto top = std::max_element(trafficConc.begin(), trafficEnd);
                trafficHourMax[h] = *top;
                trafficHourMaxAt[h] =
                    receptors[static_cast<size_t>(top - trafficConc.begin())].position;
                for (size_t r = 0; r < gridCount; ++r)
                    othersHourMax[h] = std::max(othersHourMax[h], conc[r] - trafficConc[r]);
            }
            if (options.keepHourly) {
                result.hourly[h] = empty;
                std::copy(conc.begin(), gridEnd, result.hourly[h].values.begin());
            }
            for (size_t k = 0; k < result.sites.size(); ++k)
                result.siteHourly[k][h] = conc[gridCount + k]; // each hour written by one thread

            std::lock_guard lock(mergeMutex);
            for (size_t r = 0; r < gridCount; ++r) {
                periodMax.values[r] = std::max(periodMax.values[r], conc[r]);
                periodSum.values[r] += conc[r];
            }
            if (traffic)
                for (size_t r = 0; r < gridCount; ++r) {
                    trafficMax.values[r] = std::max(trafficMax.values[r], trafficConc[r]);
                    trafficSum.values[r] += trafficConc[r];
                }
            ++done;
            if (options.progress)
                options.progress(done, hourCount);
        }
    };

    const int threads = options.threads > 0
                            ? options.threads
                            : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    {
        std::vector<std::jthread> pool;
        for (int t = 1; t < std::min(threads, std::max(hourCount, 1)); ++t)
            pool.emplace_back(worker);
        worker();
    }

    int metHours = 0;
    for (int h = 0; h < hourCount; ++h) {
        const HourResult& hour = result.hours[h];
        if (hour.metMissing)
            ++result.missingHours;
        else {
            ++metHours;
            if (hour.met.calm)
                ++result.calmHours;
        }
        if (hour.max_ugm3 > result.overallMax_ugm3) {
            result.overallMax_ugm3 = hour.max_ugm3;
            result.overallMaxHour = h;
            result.overallMaxAt = hour.maxAt;
        }
    }
    result.periodMax = std::move(periodMax);
    result.periodMean = std::move(periodSum);
    for (double& v : result.periodMean.values)
        v = metHours > 0 ? v / metHours : 0.0;
    if (traffic) {
        TrafficResult& t = result.traffic.emplace(std::move(traffic->summary));
        t.periodMax = std::move(trafficMax);
        t.periodMean = std::move(trafficSum);
        for (double& v : t.periodMean.values)
            v = metHours > 0 ? v / metHours : 0.0;
        t.hourMax_ugm3 = trafficHourMax;
        for (int h = 0; h < hourCount; ++h) {
            if (trafficHourMax[h] > t.max_ugm3) {
                t.max_ugm3 = trafficHourMax[h];
                t.maxHour = h;
                t.maxAt = trafficHourMaxAt[h];
            }
            t.othersMax_ugm3 = std::max(t.othersMax_ugm3, othersHourMax[h]);
        }
        log::get("scenario")
            .info("traffic: {:.4g} kg on {} road links ({} volumes) and {:.4g} kg idling "
                  "dispersed; its own highest 1-hour {:.4g} ug/m3, the other sources' {:.4g}",
                  std::accumulate(t.roadGrams.begin(), t.roadGrams.end(), 0.0) / 1000, t.links,
                  t.linkVolumes,
                  std::accumulate(t.idleGrams.begin(), t.idleGrams.end(), 0.0) / 1000,
                  t.max_ugm3, t.othersMax_ugm3);
    }

    log::get("scenario")
        .info("ran {} hours ({} calm, {} without met) over {} receptors, {} sensitive sites, "
              "{} sources and {} line sources ({} volumes); highest 1-hour {:.4g} ug/m3",
              hourCount, result.calmHours, result.missingHours, gridCount, result.sites.size(),
              result.sources.size(), scenario.lineSources.size(), result.lineVolumes.size(),
              result.overallMax_ugm3);
    return result;
}

} // namespace parktwin::scenario
