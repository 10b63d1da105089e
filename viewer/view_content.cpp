#include "viewer/view_content.h"

#include <algorithm>
#include <cmath>

namespace parktwin::viewer {

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
    for (const RasterGrid& grid : hourly) {
        for (double v : grid.values)
            if (std::isfinite(v))
                figures.max_ugm3 = std::max(figures.max_ugm3, v);
        for (size_t s = 0; s < content.sensors.size(); ++s) {
            const SensorMarker& sensor = content.sensors[s];
            const double v = grid.sample(sensor.position);
            if (std::isfinite(v) && std::isfinite(sensor.limit) && v > sensor.limit)
                ++figures.hoursOverLimitAtSensors[s];
        }
    }
    return figures;
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

void sampleModelledAtSensors(ViewContent& content) {
    for (SensorMarker& m : content.sensors) {
        m.modelled.clear();
        for (size_t h = 0; h < content.hourly.size() && h < content.hours.size(); ++h) {
            const double v = content.hourly[h].sample(m.position);
            if (std::isfinite(v))
                m.modelled.push_back({content.hours[h], v});
        }
    }
}

} // namespace parktwin::viewer
