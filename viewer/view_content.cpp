#include "viewer/view_content.h"

#include <algorithm>
#include <cmath>

namespace parktwin::viewer {

namespace {

struct GridMaximum {
    double value_ugm3 = 0;
    Vec2 position;
    bool found = false;
};

GridMaximum gridMaximum(const RasterGrid& grid) {
    GridMaximum m;
    for (int j = 0; j < grid.ny; ++j) {
        for (int i = 0; i < grid.nx; ++i) {
            const double v = grid.at(i, j);
            if (std::isfinite(v) && (!m.found || v > m.value_ugm3))
                m = {v, grid.position(i, j), true};
        }
    }
    return m;
}

} // namespace

const RasterGrid* chosenGrid(const ViewContent& content, GridChoice choice) {
    const bool variant =
        choice.variant >= 0 && choice.variant < static_cast<int>(content.variants.size());
    const std::vector<RasterGrid>& hourly =
        variant ? content.variants[choice.variant].hourly : content.hourly;
    const RasterGrid& periodMax =
        variant ? content.variants[choice.variant].periodMax : content.periodMax;
    const RasterGrid* grid = nullptr;
    if (choice.hour == GridChoice::PeriodMax)
        grid = &periodMax;
    else if (choice.hour >= 0 && choice.hour < static_cast<int>(hourly.size()))
        grid = &hourly[choice.hour];
    return grid && !grid->empty() ? grid : nullptr;
}

RunFigures runFigures(const ViewContent& content, int variant) {
    const bool isVariant = variant >= 0 && variant < static_cast<int>(content.variants.size());
    const std::vector<RasterGrid>& hourly =
        isVariant ? content.variants[variant].hourly : content.hourly;
    RunFigures figures;
    figures.hoursOverLimitAtSensors.assign(content.sensors.size(), 0);
    std::vector<std::vector<double>> atSensors(content.sensors.size());
    for (const RasterGrid& grid : hourly) {
        const GridMaximum m = gridMaximum(grid);
        if (m.found && m.value_ugm3 > figures.max_ugm3) {
            figures.max_ugm3 = m.value_ugm3;
            figures.maxAt = m.position;
        }
        for (size_t s = 0; s < content.sensors.size(); ++s) {
            const SensorMarker& sensor = content.sensors[s];
            const double v = grid.sample(sensor.position);
            atSensors[s].push_back(v);
            const double measured = content.measuredHourlyRatio * v;
            if (std::isfinite(v) && std::isfinite(sensor.limit) && measured > sensor.limit)
                ++figures.hoursOverLimitAtSensors[s];
        }
    }

    figures.sensorPeriods.resize(content.sensors.size());
    if (!content.thresholds || hourly.empty() || content.hours.empty() || !content.park)
        return figures;
    scenario::ComplianceInput input;
    input.pollutant = content.measured.empty() ? content.pollutant : content.measured;
    input.hourlyScale = content.measuredHourlyRatio;
    input.annualScale = content.measuredAnnualRatio;
    input.start = content.hours.front();
    input.hours = static_cast<int>(hourly.size());
    input.zone = content.park->timeZone;
    for (const SensorMarker& sensor : content.sensors)
        input.sites.push_back({sensor.id, sensor.name, "sensor", "viewer", sensor.position});
    input.siteHourly = &atSensors;
    if (content.scenario)
        input.spec = content.scenario->compliance;
    input.limits = content.thresholds;
    const scenario::ComplianceResult result = scenario::evaluateCompliance(input);
    for (const scenario::ComplianceRow& row : result.rows) {
        if (row.component != scenario::Component::Modelled || !row.limit_ugm3)
            continue;
        for (size_t s = 0; s < content.sensors.size(); ++s) {
            if (content.sensors[s].id != row.locationId)
                continue;
            figures.sensorPeriods[s].push_back({row.period, *row.limit_ugm3,
                                                row.stats.exceedances, row.stats.averages,
                                                row.stats.highest});
        }
    }
    return figures;
}

std::vector<dispersion::PointSource> sourcesAt(const ViewContent& content, int variant,
                                               UtcTime hour) {
    const bool own = variant >= 0 && variant < static_cast<int>(content.variants.size()) &&
                     !content.variants[variant].sources.empty();
    std::vector<dispersion::PointSource> sources =
        own ? content.variants[variant].sources : content.sources;
    const auto& factors = own ? content.variants[variant].sourceFactors : content.sourceFactors;
    const auto zone = content.park ? content.park->timeZone : UtcOffset{};
    const auto local = hour + std::chrono::minutes{zone.minutes};
    const auto hourOfDay = static_cast<size_t>(
        (local - std::chrono::floor<std::chrono::days>(local)) / std::chrono::hours{1});
    for (size_t k = 0; k < sources.size() && k < factors.size(); ++k)
        if (factors[k].size() == 24)
            sources[k].emissionRate_gs *= factors[k][hourOfDay];
    return sources;
}

RasterGrid changeGrid(const ViewContent& content, GridChoice choice) {
    if (choice.variant < 0 || choice.variant >= static_cast<int>(content.variants.size()))
        return {};
    const RasterGrid* variant = chosenGrid(content, {choice.hour, choice.variant});
    const RasterGrid* baseline = chosenGrid(content, {choice.hour, GridChoice::Baseline});
    if (!variant || !baseline || variant->nx != baseline->nx || variant->ny != baseline->ny ||
        variant->x0 != baseline->x0 || variant->y0 != baseline->y0 ||
        variant->dx != baseline->dx || variant->dy != baseline->dy)
        return {};
    RasterGrid change(variant->x0, variant->y0, variant->dx, variant->dy, variant->nx,
                      variant->ny);
    for (size_t k = 0; k < change.values.size(); ++k)
        change.values[k] = double(float(variant->values[k])) - double(float(baseline->values[k]));
    return change;
}

double largestChange(const ViewContent& content, int variant) {
    if (variant < 0 || variant >= static_cast<int>(content.variants.size()))
        return 0;
    double largest = 0;
    auto scan = [&](GridChoice choice) {
        for (double v : changeGrid(content, choice).values)
            if (std::isfinite(v))
                largest = std::max(largest, std::abs(v));
    };
    scan({GridChoice::PeriodMax, variant});
    for (int h = 0; h < static_cast<int>(content.variants[variant].hourly.size()); ++h)
        scan({h, variant});
    return largest;
}

std::optional<std::pair<UtcTime, UtcTime>> timeWindow(const ViewContent& content) {
    std::optional<std::pair<UtcTime, UtcTime>> window;
    auto cover = [&](UtcTime from, UtcTime to) {
        if (!window)
            window = std::pair{from, to};
        window->first = std::min(window->first, from);
        window->second = std::max(window->second, to);
    };
    for (UtcTime h : content.hours)
        cover(h, h + std::chrono::hours(1));
    for (const TruckTrack& t : content.trucks)
        if (!t.samples.empty())
            cover(t.samples.front().time, t.samples.back().time);
    for (const SensorMarker& s : content.sensors)
        if (!s.readings.empty())
            cover(s.readings.front().time, s.readings.back().time);
    return window;
}

int hourAt(const ViewContent& content, double t_s) {
    // Hours ascend: the candidate is the last one starting at or before t.
    const auto after = std::upper_bound(content.hours.begin(), content.hours.end(), t_s,
                                        [](double t, UtcTime h) { return t < toSeconds(h); });
    if (after == content.hours.begin())
        return -1;
    const auto index = static_cast<int>(after - content.hours.begin()) - 1;
    return t_s < toSeconds(content.hours[index]) + 3600.0 ? index : -1;
}

std::optional<TimedValue> latestAt(const std::vector<TimedValue>& series, double t_s) {
    const auto after = std::upper_bound(series.begin(), series.end(), t_s,
                                        [](double t, const TimedValue& v) {
                                            return t < toSeconds(v.time);
                                        });
    if (after == series.begin())
        return std::nullopt;
    return *(after - 1);
}

std::optional<Vec2> truckPositionAt(const TruckTrack& track, double t_s) {
    const auto& s = track.samples;
    if (s.empty() || t_s < toSeconds(s.front().time) || t_s > toSeconds(s.back().time))
        return std::nullopt;
    const auto after =
        std::upper_bound(s.begin(), s.end(), t_s, [](double t, const TruckTrack::Sample& v) {
            return t < toSeconds(v.time);
        });
    if (after == s.end())
        return s.back().position;
    const TruckTrack::Sample& b = *after;
    const TruckTrack::Sample& a = *(after - 1);
    const double span = toSeconds(b.time) - toSeconds(a.time);
    const double u = span > 0 ? (t_s - toSeconds(a.time)) / span : 1.0;
    return a.position + (b.position - a.position) * u;
}

std::vector<SensorMarker> sensorMarkers(const ParkModel& park, const std::string& parameter,
                                        double limit_ugm3) {
    std::vector<SensorMarker> markers;
    for (const Sensor& s : park.sensors) {
        SensorMarker m;
        m.id = s.id;
        m.name = s.name;
        m.position = s.position;
        m.height_m = s.height_m;
        m.parameter = parameter;
        m.limit = limit_ugm3;
        markers.push_back(std::move(m));
    }
    return markers;
}

void sampleModelledAtSensors(ViewContent& content, double factor) {
    for (SensorMarker& m : content.sensors) {
        m.modelled.clear();
        for (size_t h = 0; h < content.hourly.size() && h < content.hours.size(); ++h) {
            const double v = content.hourly[h].sample(m.position);
            if (std::isfinite(v))
                m.modelled.push_back({content.hours[h], factor * v});
        }
    }
}

} // namespace parktwin::viewer
