#include "viewer/colormap.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace parktwin::viewer {

namespace {

// Stops chosen to stay clear of the terrain's green-brown ramp, so the plume reads as an
// overlay, and to run from cool to hot as concentration rises.
struct Stop {
    double t;
    Rgb colour;
};
constexpr std::array<Stop, 5> kStops{{
    {0.00, {0.20f, 0.25f, 0.80f}},
    {0.25, {0.10f, 0.65f, 0.95f}},
    {0.50, {0.95f, 0.90f, 0.20f}},
    {0.75, {0.98f, 0.55f, 0.10f}},
    {1.00, {0.80f, 0.05f, 0.10f}},
}};

} // namespace

LogScale scaleForMaximum(double max_ugm3, double dynamicRange) {
    if (!std::isfinite(max_ugm3) || max_ugm3 <= 0.0)
        return LogScale{1e-3, 1.0};
    const double range =
        (std::isfinite(dynamicRange) && dynamicRange > 1.0) ? dynamicRange : 1000.0;
    return LogScale{max_ugm3 / range, max_ugm3};
}

double scalePosition(double value_ugm3, const LogScale& scale) {
    if (!std::isfinite(value_ugm3) || value_ugm3 < scale.floor_ugm3)
        return std::numeric_limits<double>::quiet_NaN();
    const double span = std::log10(scale.max_ugm3 / scale.floor_ugm3);
    if (!(span > 0.0))
        return 1.0;
    return std::clamp(std::log10(value_ugm3 / scale.floor_ugm3) / span, 0.0, 1.0);
}

Rgb colourAt(double t) {
    if (!std::isfinite(t))
        t = 0.0;
    t = std::clamp(t, 0.0, 1.0);
    for (size_t k = 1; k < kStops.size(); ++k) {
        if (t <= kStops[k].t) {
            const Stop& a = kStops[k - 1];
            const Stop& b = kStops[k];
            const float u = static_cast<float>((t - a.t) / (b.t - a.t));
            return {a.colour.r + u * (b.colour.r - a.colour.r),
                    a.colour.g + u * (b.colour.g - a.colour.g),
                    a.colour.b + u * (b.colour.b - a.colour.b)};
        }
    }
    return kStops.back().colour;
}

Rgb colourFor(double value_ugm3, const LogScale& scale) {
    return colourAt(scalePosition(value_ugm3, scale));
}

std::vector<double> logTicks(const LogScale& scale) {
    std::vector<double> ticks;
    if (!(scale.floor_ugm3 > 0.0) || !(scale.max_ugm3 > scale.floor_ugm3))
        return ticks;
    // A small tolerance keeps a floor of exactly 10^k (up to rounding) on the scale.
    const double eps = 1e-9;
    const int first = static_cast<int>(std::ceil(std::log10(scale.floor_ugm3) - eps));
    const int last = static_cast<int>(std::floor(std::log10(scale.max_ugm3) + eps));
    for (int k = first; k <= last; ++k)
        ticks.push_back(std::pow(10.0, k));
    if (ticks.size() < 2)
        ticks = {scale.floor_ugm3, scale.max_ugm3};
    return ticks;
}

DivergingScale divergingScaleFor(double maxAbs_ugm3, double dynamicRange) {
    const LogScale s = scaleForMaximum(maxAbs_ugm3, dynamicRange);
    return DivergingScale{s.floor_ugm3, s.max_ugm3};
}

double divergingPosition(double change_ugm3, const DivergingScale& scale) {
    return scalePosition(std::abs(change_ugm3), LogScale{scale.floor_ugm3, scale.max_ugm3});
}

Rgb divergingColourAt(double s) {
    if (!std::isfinite(s))
        s = 0.0;
    s = std::clamp(s, -1.0, 1.0);
    // Two single-hue ramps meeting at a near-white, so the sign reads at a glance and the
    // strength by darkness (after the ColorBrewer RdBu scheme, Brewer 2003).
    const Rgb light{0.97f, 0.95f, 0.93f};
    const Rgb increase{0.60f, 0.02f, 0.08f};
    const Rgb decrease{0.04f, 0.20f, 0.55f};
    const Rgb& end = s >= 0 ? increase : decrease;
    // Light tints are hard to tell from bare ground: start a third of the way along.
    const auto u = static_cast<float>(0.3 + 0.7 * std::abs(s));
    return {light.r + u * (end.r - light.r), light.g + u * (end.g - light.g),
            light.b + u * (end.b - light.b)};
}

Rgb colourForChange(double change_ugm3, const DivergingScale& scale) {
    double t = divergingPosition(change_ugm3, scale);
    if (std::isnan(t))
        t = 0.0;
    return divergingColourAt(change_ugm3 < 0 ? -t : t);
}

} // namespace parktwin::viewer
