#include "engine/sensors/averaging.h"

#include <chrono>
#include <cmath>

namespace parktwin::sensors {

namespace {
constexpr std::int64_t kHour_s = 3600;

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}
} // namespace

std::int64_t hourEndingIndex(UtcTime t) {
    return floorDiv(t.time_since_epoch().count() - 1, kHour_s);
}

UtcTime hourStart(std::int64_t hour) { return UtcTime{std::chrono::seconds{hour * kHour_s}}; }

UtcTime hourEnd(std::int64_t hour) { return hourStart(hour + 1); }

int requiredValidHours(int windowHours, double fraction) {
    return int(std::ceil(windowHours * fraction - 1e-9));
}

std::optional<double> linearTrend(const std::vector<std::pair<UtcTime, double>>& points) {
    if (points.size() < 2)
        return std::nullopt;
    // Centre the times on the first point so the sums stay small and exact in double.
    const auto t0 = points.front().first;
    double sumT = 0, sumY = 0;
    for (const auto& [t, y] : points) {
        sumT += double((t - t0).count());
        sumY += y;
    }
    const double n = double(points.size());
    const double meanT = sumT / n, meanY = sumY / n;
    double sxx = 0, sxy = 0;
    for (const auto& [t, y] : points) {
        const double dt = double((t - t0).count()) - meanT;
        sxx += dt * dt;
        sxy += dt * (y - meanY);
    }
    if (sxx <= 0)
        return std::nullopt;
    return sxy / sxx;
}

int localYear(UtcTime t, UtcOffset offset) {
    using namespace std::chrono;
    const auto local = t + minutes{offset.minutes};
    return int(year_month_day{floor<days>(local)}.year());
}

int hoursInYear(int year) {
    return std::chrono::year{year}.is_leap() ? 8784 : 8760;
}

} // namespace parktwin::sensors
