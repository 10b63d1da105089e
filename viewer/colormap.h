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

/// A diverging scale for a change of concentration (variant minus baseline), µg/m³: the
/// magnitude on a log scale from `floor_ugm3` to `max_ugm3`, increases in reds and decreases
/// in blues, both lightest near the floor. Changes smaller than the floor are not shown.
struct DivergingScale {
    double floor_ugm3 = 1e-3;
    double max_ugm3 = 1.0;
};

/// The scale whose top is the largest magnitude `maxAbs_ugm3` and whose floor is that over
/// `dynamicRange`; a non-positive or non-finite magnitude gives [1e-3, 1].
DivergingScale divergingScaleFor(double maxAbs_ugm3, double dynamicRange = 1000.0);

/// Position of a change's magnitude on the scale, 0 at the floor and 1 at the top, clamped;
/// NaN when the magnitude is under the floor or the change is not finite.
double divergingPosition(double change_ugm3, const DivergingScale& scale);

/// The colour of a change: t = divergingPosition, from a light tint at t = 0 to dark red
/// (increase) or dark blue (decrease) at t = 1. Changes under the floor get the light tint.
Rgb colourForChange(double change_ugm3, const DivergingScale& scale);

/// The colour of a signed scale position s in [-1, 1]: decreases below 0, increases above.
Rgb divergingColourAt(double s);

} // namespace parktwin::viewer
