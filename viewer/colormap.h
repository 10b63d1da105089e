#pragma once
// The logarithmic colour scale shared by the plume drape and the legend.

#include <vector>

namespace parktwin::viewer {

struct Rgb {
    float r = 0, g = 0, b = 0; ///< each in [0, 1]
};

/// A logarithmic scale between a floor and a maximum concentration, µg/m³.
struct LogScale {
    double floor_ugm3 = 1e-3;
    double max_ugm3 = 1.0;
};

/// A scale whose top is `max_ugm3` and whose floor is max / `dynamicRange`
/// (three decades by default). A non-positive or non-finite max gives the scale [1e-3, 1].
LogScale scaleForMaximum(double max_ugm3, double dynamicRange = 1000.0);

/// Position of a value on the scale, 0 at the floor and 1 at the maximum, clamped;
/// log10(v / floor) / log10(max / floor). NaN for values below the floor or not finite.
double scalePosition(double value_ugm3, const LogScale& scale);

/// The colour of a concentration; values at or above the maximum get the top colour.
/// Callers treat values under the floor as transparent (scalePosition is NaN there);
/// this function then returns the bottom colour.
Rgb colourFor(double value_ugm3, const LogScale& scale);

/// The colour at a scale position t in [0, 1] (clamped): a piecewise-linear ramp through
/// blue, cyan, green, yellow, orange and dark red.
Rgb colourAt(double t);

/// Legend ticks: the powers of ten within [floor, max] (at least the two ends when the
/// range spans under a decade), ascending, µg/m³.
std::vector<double> logTicks(const LogScale& scale);

} // namespace parktwin::viewer
