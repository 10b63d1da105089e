// Volume, area and line sources of the ISC3 short-term model (EPA ISC3 user's guide,
// volume II, EPA-454/B-95-003b, sections 1.2 and 1.3; volume I, EPA-454/B-95-003a,
// section 3.3.2). They share the point model's sigma curves, wind power law, lid, terrain
// and decay; none has plume rise or building downwash.

#include "engine/dispersion/volume_area.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <vector>

#include "engine/core/error.h"
#include "engine/dispersion/gaussian_terms.h"
#include "engine/dispersion/sigmas.h"
#include "engine/dispersion/wind_profile.h"

namespace parktwin::dispersion {
namespace {

// Coefficients p, q of the rural lateral virtual distance xy = (sigma-y0 / p)^(1/q), xy in km
// (ISC3 vol II table 1-5), classes A-F.
constexpr double kLateralP[6] = {209.14, 154.46, 103.26, 68.26, 51.06, 33.92};
constexpr double kLateralQ[6] = {0.890, 0.902, 0.917, 0.919, 0.921, 0.919};

// ISC3 skips the vertical virtual distance for an initial sigma-z this small.
constexpr double kNegligibleSigmaZ0_m = 0.01;
// A volume source's concentration is not computed within 2.15 sigma-y0 + 1 m of its centre
// (ISC3 vol I section 3.3.2.2).
constexpr double kVolumeExclusionPad_m = 1.0;
// Nor less than 1 m downwind of it: the sigma curves are not defined nearer, and a receptor
// straight across the wind (x zero but for rounding) of a volume without sigma-z0 would get a
// sigma-z of almost nothing.
constexpr double kVolumeMinDownwind_m = 1.0;
// Beyond six sigma-y the crosswind term is below 1.6e-8 of the centreline: ISC3 skips it.
constexpr double kMaxSigmaYMultiple = 6.0;
// ISC3 integrates an area source from 1 m upwind of the receptor: the sigma curves are not
// defined nearer.
constexpr double kAreaMinUpwind_m = 1.0;
// Relative accuracy of the along-wind integration of area sources.
constexpr double kAreaRelativeTolerance = 1e-5;
constexpr int kAreaMaxDepth = 24;
constexpr int kAreaMinDepth = 1;
// A line is refused when its string of volumes would be longer than this (a road of 100 km at
// 1 m width): a width in the wrong unit, not a road.
constexpr double kMaxVolumesPerLine = 100000;

bool calmHour(const MetHour& met) {
    return met.calm || !(met.windSpeed_ms > 0.0);
}

void requireNonNegative(const std::string& kind, const std::string& id, const char* field,
                        double value) {
    if (!std::isfinite(value) || value < 0.0)
        throw Error(kind + " source '" + id + "': " + field +
                    " must be a finite number >= 0, got " + std::to_string(value));
}

void checkVolume(const VolumeSource& v) {
    requireNonNegative("volume", v.id, "release height", v.releaseHeight_m);
    requireNonNegative("volume", v.id, "initial sigma-y", v.initialSigmaY_m);
    requireNonNegative("volume", v.id, "initial sigma-z", v.initialSigmaZ_m);
    requireNonNegative("volume", v.id, "emission rate", v.emissionRate_gs);
    if (!std::isfinite(v.position.x) || !std::isfinite(v.position.y) ||
        !std::isfinite(v.baseElevation_m))
        throw Error("volume source '" + v.id + "': position and base elevation must be finite");
}

void checkArea(const AreaSource& a) {
    requireNonNegative("area", a.id, "release height", a.releaseHeight_m);
    requireNonNegative("area", a.id, "x length", a.xLength_m);
    requireNonNegative("area", a.id, "y length", a.yLength_m);
    requireNonNegative("area", a.id, "initial sigma-z", a.initialSigmaZ_m);
    requireNonNegative("area", a.id, "emission rate", a.emissionRate_gsm2);
    if (!std::isfinite(a.corner.x) || !std::isfinite(a.corner.y) ||
        !std::isfinite(a.baseElevation_m) || !std::isfinite(a.angle_deg))
        throw Error("area source '" + a.id + "': corner, angle and base elevation must be finite");
}

/// ISC3's vertical virtual distance for a rural source of initial sigma-z `sigmaZ0_m` (vol II
/// section 1.2.2, and its XVZ routine): start from 10 m, take the sigma-z band of x + xz,
/// solve sigma-z0 = a xz^b there, and stop when x + xz stays in that band; after five tries
/// keep the smaller of the last two estimates. The solution in each band of ISC3 vol II table
/// 1-2 is found once, so a receptor costs a few comparisons.
class RuralVerticalVirtualDistance {
public:
    RuralVerticalVirtualDistance(const SigmaCurves& curves, double sigmaZ0_m)
        : bands_(curves.coefficients().bands) {
        for (std::size_t k = 0;; ++k) {
            const SigmaZBand& band = bands_[k];
            Solution s;
            if (band.a > 0 && band.b > 0) {
                s.xz_m = 1e3 * std::pow(sigmaZ0_m / band.a, 1.0 / band.b);
                s.cap_m = 1e3 * std::pow(kMaxSigmaZ_m / band.a, 1.0 / band.b);
            }
            solutions_.push_back(s);
            if (!(band.upperKm < std::numeric_limits<double>::infinity()))
                break;
        }
    }

    double at(double x_m) const {
        double previous_m = 10.0, current_m = 10.0;
        for (int n = 0; n < 5; ++n) {
            const std::size_t k = bandAt(x_m + current_m);
            // Sigma-z at its 5,000 m cap: the distance does not matter.
            if (capped(k, x_m + current_m))
                return current_m;
            previous_m = current_m;
            current_m = solutions_[k].xz_m;
            if (bandAt(x_m + current_m) == k && !capped(k, x_m + current_m))
                return current_m;
        }
        return std::min(previous_m, current_m);
    }

private:
    struct Solution {
        double xz_m = 0;  ///< sigma-z0 = a xz^b in this band
        double cap_m = 0; ///< the band's law reaches 5,000 m here (0: the band is the cap)
    };

    std::size_t bandAt(double x_m) const {
        const double xkm = x_m * 1e-3;
        std::size_t k = 0;
        while (xkm >= bands_[k].upperKm)
            ++k;
        return k;
    }
    bool capped(std::size_t k, double x_m) const {
        return solutions_[k].cap_m <= 0 || x_m >= solutions_[k].cap_m;
    }

    const SigmaZBand* bands_;
    std::vector<Solution> solutions_;
};

/// What a volume or area source needs for one hour.
struct ReleaseHour {
    double wind_ms = 1;
    double mixingHeight_m = 0;
    bool lid = true;
    bool aboveLid = false;
};

ReleaseHour prepareRelease(double releaseHeight_m, const MetHour& met, LandUse landUse) {
    ReleaseHour r;
    r.wind_ms = stackHeightWind_ms(met.windSpeed_ms, met.anemometerHeight_m, releaseHeight_m,
                                   landUse, met.stability);
    r.mixingHeight_m = effectiveMixingHeight_m(met, releaseHeight_m);
    r.lid = hasMixingLid(met.stability);
    // A release above the lid in an unstable or neutral hour does not reach the ground (ISC3).
    r.aboveLid = r.lid && releaseHeight_m > r.mixingHeight_m;
    return r;
}

double decayFactor(const PlumeOptions& options, double x_m, double wind_ms) {
    if (options.decayCoefficient_per_s <= 0.0)
        return 1.0;
    return std::exp(-options.decayCoefficient_per_s * x_m / wind_ms);
}

void addVolume(const VolumeSource& src, const SigmaCurves& curves, Vec2 downwind,
               const MetHour& met, std::span<const Receptor> receptors, const PlumeOptions& options,
               std::span<double> out) {
    const ReleaseHour rel = prepareRelease(src.releaseHeight_m, met, options.landUse);
    if (rel.aboveLid)
        return;
    const double xy_m =
        lateralVirtualDistance_m(options.landUse, met.stability, src.initialSigmaY_m);
    const double exclusion_m = 2.15 * src.initialSigmaY_m + kVolumeExclusionPad_m;
    // The vertical virtual distance depends on the receptor only through the rural sigma-z
    // band of x + xz; urban curves are single formulas, so it is found once (negative: per
    // receptor).
    const bool perReceptorXz =
        options.landUse == LandUse::Rural && src.initialSigmaZ_m > kNegligibleSigmaZ0_m;
    const double xzFixed_m =
        perReceptorXz ? -1.0
                      : verticalVirtualDistance_m(options.landUse, met.stability,
                                                  src.initialSigmaZ_m, 0.0);
    const RuralVerticalVirtualDistance xvz(curves, src.initialSigmaZ_m);
    const double scale =
        src.emissionRate_gs * kGramsToMicrograms / (2.0 * std::numbers::pi * rel.wind_ms);

    for (std::size_t i = 0; i < receptors.size(); ++i) {
        const Receptor& r = receptors[i];
        const double dx = r.position.x - src.position.x;
        const double dy = r.position.y - src.position.y;
        const double x_m = dx * downwind.x + dy * downwind.y;
        const double y_m = dx * downwind.y - dy * downwind.x;
        if (x_m < kVolumeMinDownwind_m || std::hypot(dx, dy) < exclusion_m)
            continue;

        const double sy_m = curves.at(x_m + xy_m).y_m;
        if (std::abs(y_m) > kMaxSigmaYMultiple * sy_m)
            continue;
        const double xz_m = perReceptorXz ? xvz.at(x_m) : xzFixed_m;
        const double sz_m = std::min(curves.at(x_m + xz_m).z_m, kMaxSigmaZ_m);

        const double he_m = options.terrain
                                ? terrainAdjustedHeight_m(src.releaseHeight_m, src.baseElevation_m,
                                                          r.groundElevation_m)
                                : src.releaseHeight_m;
        const double yTerm = std::exp(-0.5 * y_m * y_m / (sy_m * sy_m));
        const double vTerm = verticalTerm(r.flagpole_m, he_m, sz_m, rel.mixingHeight_m, rel.lid);
        out[i] += scale * yTerm * vTerm / (sy_m * sz_m) * decayFactor(options, x_m, rel.wind_ms);
    }
}

/// A corner of an area in the receptor's wind frame: `upwind_m` upwind of the receptor and
/// `cross_m` to the side.
struct WindPoint {
    double upwind_m;
    double cross_m;
};

/// The crosswind extent [lo, hi] of a convex polygon at an upwind distance; false if the line
/// misses it.
bool crosswindExtent(const std::array<WindPoint, 4>& poly, double upwind_m, double& lo,
                     double& hi) {
    lo = INFINITY;
    hi = -INFINITY;
    for (std::size_t k = 0; k < poly.size(); ++k) {
        const WindPoint& p = poly[k];
        const WindPoint& q = poly[(k + 1) % poly.size()];
        const double dp = upwind_m - p.upwind_m;
        const double dq = upwind_m - q.upwind_m;
        if (dp * dq > 0.0)
            continue;
        double c;
        if (p.upwind_m == q.upwind_m) {
            lo = std::min({lo, p.cross_m, q.cross_m});
            hi = std::max({hi, p.cross_m, q.cross_m});
            continue;
        }
        c = p.cross_m + (q.cross_m - p.cross_m) * dp / (q.upwind_m - p.upwind_m);
        lo = std::min(lo, c);
        hi = std::max(hi, c);
    }
    return lo <= hi;
}

/// Probability that a standard normal variable falls in [lo, hi], from the tail that is small
/// so that far off the axis the difference does not cancel to noise.
inline double normalProbability(double lo, double hi) {
    const double k = 1.0 / std::numbers::sqrt2;
    if (lo >= 0.0)
        return 0.5 * (std::erfc(lo * k) - std::erfc(hi * k));
    if (hi <= 0.0)
        return 0.5 * (std::erfc(-hi * k) - std::erfc(-lo * k));
    return 1.0 - 0.5 * (std::erfc(hi * k) + std::erfc(-lo * k));
}

/// Adaptive Simpson on [a, b], Lyness' error estimate.
double adaptiveSimpson(const std::function<double(double)>& f, double a, double b, double fa,
                       double fm, double fb, double whole, double tol, int depth) {
    const double m = 0.5 * (a + b);
    const double lm = 0.5 * (a + m), rm = 0.5 * (m + b);
    const double flm = f(lm), frm = f(rm);
    const double left = (m - a) / 6.0 * (fa + 4.0 * flm + fm);
    const double right = (b - m) / 6.0 * (fm + 4.0 * frm + fb);
    const double delta = left + right - whole;
    if (depth >= kAreaMaxDepth || (depth >= kAreaMinDepth && std::abs(delta) <= 15.0 * tol))
        return left + right + delta / 15.0;
    return adaptiveSimpson(f, a, m, fa, flm, fm, left, 0.5 * tol, depth + 1) +
           adaptiveSimpson(f, m, b, fm, frm, fb, right, 0.5 * tol, depth + 1);
}

/// Integral of f over [a, b] to `relTol` of its value: composite Simpson on a few panels gives
/// the scale, then each panel is refined adaptively.
double integrate(const std::function<double(double)>& f, double a, double b, double relTol) {
    constexpr int kPanels = 4;
    const double h = (b - a) / kPanels;
    double fx[2 * kPanels + 1];
    for (int k = 0; k <= 2 * kPanels; ++k)
        fx[k] = f(a + 0.5 * h * k);
    double panels[kPanels];
    double estimate = 0.0;
    for (int p = 0; p < kPanels; ++p) {
        panels[p] = h / 6.0 * (fx[2 * p] + 4.0 * fx[2 * p + 1] + fx[2 * p + 2]);
        estimate += panels[p];
    }
    const double tol = relTol * std::abs(estimate) / kPanels + 1e-300;
    double sum = 0.0;
    for (int p = 0; p < kPanels; ++p)
        sum += adaptiveSimpson(f, a + h * p, a + h * (p + 1), fx[2 * p], fx[2 * p + 1],
                               fx[2 * p + 2], panels[p], tol, kAreaMinDepth);
    return sum;
}

void addArea(const AreaSource& src, const SigmaCurves& curves, Vec2 downwind, const MetHour& met,
             std::span<const Receptor> receptors, const PlumeOptions& options,
             std::span<double> out) {
    const ReleaseHour rel = prepareRelease(src.releaseHeight_m, met, options.landUse);
    if (rel.aboveLid || src.xLength_m <= 0.0 || src.yLength_m <= 0.0)
        return;
    const std::array<Vec2, 4> corners = areaCorners(src);
    // ISC3 vol II eq. 1-58 with the crosswind integral in closed form:
    // chi = q K / (sqrt(2 pi) u) * integral over x of V D (Phi(y2/sy) - Phi(y1/sy)) / sz dx.
    const double scale = src.emissionRate_gsm2 * kGramsToMicrograms /
                         (std::sqrt(2.0 * std::numbers::pi) * rel.wind_ms);
    const double sz02 = src.initialSigmaZ_m * src.initialSigmaZ_m;

    for (std::size_t i = 0; i < receptors.size(); ++i) {
        const Receptor& r = receptors[i];
        std::array<WindPoint, 4> poly;
        double farthest_m = -INFINITY;
        double nearestSide_m = INFINITY, farthestSide_m = -INFINITY;
        std::array<double, 4> breaks;
        for (std::size_t k = 0; k < 4; ++k) {
            const Vec2 rel_m = corners[k] - r.position;
            poly[k] = {-(rel_m.x * downwind.x + rel_m.y * downwind.y),
                       rel_m.x * downwind.y - rel_m.y * downwind.x};
            breaks[k] = poly[k].upwind_m;
            farthest_m = std::max(farthest_m, poly[k].upwind_m);
            nearestSide_m = std::min(nearestSide_m, poly[k].cross_m);
            farthestSide_m = std::max(farthestSide_m, poly[k].cross_m);
        }
        if (farthest_m <= kAreaMinUpwind_m)
            continue;
        // The whole area more than six sigma-y (at its farthest point, where sigma-y is
        // largest) to one side: below 1e-9 of the centreline, skipped as ISC3 skips such
        // receptors of a plume.
        const double side_m = nearestSide_m > 0.0   ? nearestSide_m
                              : farthestSide_m < 0.0 ? -farthestSide_m
                                                     : 0.0;
        if (side_m > kMaxSigmaYMultiple * curves.at(farthest_m).y_m)
            continue;

        const double he_m = options.terrain
                                ? terrainAdjustedHeight_m(src.releaseHeight_m, src.baseElevation_m,
                                                          r.groundElevation_m)
                                : src.releaseHeight_m;
        // Integrate in ln x: the integrand falls off as about 1/x near the receptor.
        const auto integrand = [&](double lnX) {
            const double x_m = std::exp(lnX);
            double lo, hi;
            if (!crosswindExtent(poly, x_m, lo, hi))
                return 0.0;
            const Sigmas s = curves.at(x_m);
            const double sz_m = std::min(std::sqrt(s.z_m * s.z_m + sz02), kMaxSigmaZ_m);
            const double lateral = normalProbability(lo / s.y_m, hi / s.y_m);
            const double vTerm =
                verticalTerm(r.flagpole_m, he_m, sz_m, rel.mixingHeight_m, rel.lid);
            return lateral * vTerm / sz_m * decayFactor(options, x_m, rel.wind_ms) * x_m;
        };

        std::sort(breaks.begin(), breaks.end());
        double sum = 0.0;
        double start_m = kAreaMinUpwind_m;
        for (double edge_m : breaks) {
            if (edge_m <= start_m)
                continue;
            const double a = std::log(start_m), b = std::log(edge_m);
            sum += integrate(integrand, a, b, kAreaRelativeTolerance);
            start_m = edge_m;
        }
        out[i] += scale * sum;
    }
}

template <class Source, class Check, class Add>
void addHour(std::span<const Source> sources, const MetHour& met,
             std::span<const Receptor> receptors, const PlumeOptions& options,
             std::span<double> out, const char* what, Check check, Add add) {
    if (out.size() != receptors.size())
        throw Error(std::string(what) + ": " + std::to_string(out.size()) + " output values for " +
                    std::to_string(receptors.size()) + " receptors");
    for (const Source& s : sources)
        check(s);
    // ISC3 treats an hour with a zero anemometer wind as calm and gives it no concentration.
    if (calmHour(met))
        return;
    const Vec2 downwind = downwindUnit(met.windFromDir_deg);
    const SigmaCurves curves(options.landUse, met.stability);
    for (const Source& s : sources)
        add(s, curves, downwind, met, receptors, options, out);
}

} // namespace

double lateralVirtualDistance_m(LandUse landUse, Stability stability, double initialSigmaY_m) {
    if (initialSigmaY_m <= 0.0)
        return 0.0;
    if (landUse == LandUse::Rural) {
        const int k = std::clamp(int(stability) - 1, 0, 5);
        return 1e3 * std::pow(initialSigmaY_m / kLateralP[k], 1.0 / kLateralQ[k]);
    }
    const SigmaCurves curves(landUse, stability);
    return invertIncreasing([&](double x) { return curves.urbanAt(x).y_m; }, initialSigmaY_m);
}

double verticalVirtualDistance_m(LandUse landUse, Stability stability, double initialSigmaZ_m,
                                 double x_m) {
    if (initialSigmaZ_m <= kNegligibleSigmaZ0_m)
        return 0.0;
    const SigmaCurves curves(landUse, stability);
    if (landUse == LandUse::Rural)
        return RuralVerticalVirtualDistance(curves, initialSigmaZ_m).at(std::max(x_m, 0.0));
    return invertIncreasing([&](double x) { return curves.urbanAt(x).z_m; }, initialSigmaZ_m);
}

std::array<Vec2, 4> areaCorners(const AreaSource& area) {
    // Sides along east (x) and north (y) before the rotation, which turns them clockwise by
    // angle_deg about the reference corner (ISC3 vol I, SO AREA keyword).
    const double a = area.angle_deg * std::numbers::pi / 180.0;
    const auto turn = [&](double east_m, double north_m) {
        return Vec2{area.corner.x + east_m * std::cos(a) + north_m * std::sin(a),
                    area.corner.y - east_m * std::sin(a) + north_m * std::cos(a)};
    };
    return {turn(0, 0), turn(area.xLength_m, 0), turn(area.xLength_m, area.yLength_m),
            turn(0, area.yLength_m)};
}

void addVolumeHour(std::span<const VolumeSource> sources, const MetHour& met,
                   std::span<const Receptor> receptors, const PlumeOptions& options,
                   std::span<double> out) {
    addHour(sources, met, receptors, options, out, "addVolumeHour", checkVolume, addVolume);
}

void addAreaHour(std::span<const AreaSource> sources, const MetHour& met,
                 std::span<const Receptor> receptors, const PlumeOptions& options,
                 std::span<double> out) {
    addHour(sources, met, receptors, options, out, "addAreaHour", checkArea, addArea);
}

std::vector<VolumeSource> lineAsVolumes(const LineSource& line) {
    if (!(line.width_m > 0.0) || !std::isfinite(line.width_m))
        throw Error("line source '" + line.id + "': width must be above 0 m");
    requireNonNegative("line", line.id, "emission rate", line.emissionRate_gsm);
    requireNonNegative("line", line.id, "release height", line.releaseHeight_m);
    requireNonNegative("line", line.id, "initial sigma-z", line.initialSigmaZ_m);

    std::vector<double> cumulative_m{0.0};
    for (std::size_t k = 1; k < line.centreline.size(); ++k)
        cumulative_m.push_back(cumulative_m.back() +
                               length(line.centreline[k] - line.centreline[k - 1]));
    if (line.centreline.size() < 2 || !(cumulative_m.back() > 0.0) ||
        !std::isfinite(cumulative_m.back()))
        throw Error("line source '" + line.id +
                    "': the centreline needs at least two distinct, finite points");

    // Adjacent volumes, one road width apart, each with sigma-y0 = W / 2.15 (ISC3 vol I
    // section 3.3.2.2, vol II section 1.2.2); the spacing is stretched slightly so the string
    // ends exactly at the road's ends.
    const double total_m = cumulative_m.back();
    if (total_m / line.width_m > kMaxVolumesPerLine)
        throw Error("line source '" + line.id + "': " + std::to_string(total_m) + " m at " +
                    std::to_string(line.width_m) + " m width would take more than " +
                    std::to_string(int(kMaxVolumesPerLine)) + " volume sources");
    const int count = std::max(1, int(std::lround(total_m / line.width_m)));
    const double spacing_m = total_m / count;
    std::vector<VolumeSource> volumes;
    volumes.reserve(count);
    std::size_t segment = 1;
    for (int k = 0; k < count; ++k) {
        const double along_m = (k + 0.5) * spacing_m;
        while (segment + 1 < cumulative_m.size() && cumulative_m[segment] < along_m)
            ++segment;
        const Vec2 a = line.centreline[segment - 1], b = line.centreline[segment];
        const double piece_m = cumulative_m[segment] - cumulative_m[segment - 1];
        const double t = piece_m > 0 ? (along_m - cumulative_m[segment - 1]) / piece_m : 0.0;

        VolumeSource v;
        v.id = line.id + "#" + std::to_string(k + 1);
        v.position = a + (b - a) * t;
        v.baseElevation_m = line.baseElevation_m;
        v.releaseHeight_m = line.releaseHeight_m;
        v.initialSigmaY_m = spacing_m / 2.15;
        v.initialSigmaZ_m = line.initialSigmaZ_m;
        v.emissionRate_gs = line.emissionRate_gsm * spacing_m;
        volumes.push_back(v);
    }
    return volumes;
}

} // namespace parktwin::dispersion
