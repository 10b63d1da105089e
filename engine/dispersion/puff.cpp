// Gaussian puff model (INPUFF formulation: Petersen and Lavdas 1986, EPA-600/8-86/024).
//
// Each puff carries the mass released over one release interval. It moves with the wind at
// its release height (ISC3 power law, 10 m floor on the height, 1 m/s floor on the speed, as
// the plume model has it), and spreads by the ISC3 sigma curves of the current sample's
// stability and land use as a function of its travel distance. When the stability changes,
// the puff continues from the virtual distance at which the new curves give its present sigmas
// (INPUFF's treatment; CALPUFF, Scire et al. 2000, does the same). The along-wind sigma
// equals sigma-y, as INPUFF assumes. The vertical term reflects at the ground and at the mixing
// lid (none in E and F) with the same images as the plume model, so a steady release in a
// steady wind converges to the ISC3 plume. Calm samples hold puffs still and do not grow them.
// The wind field is uniform over the domain: one station's wind moves every puff. The sigma
// curves are the plume's, which include the meander of the wind over the averaging time, so a
// puff's peak is an ensemble mean, lower than an instantaneous peak would be.

#include "engine/dispersion/puff.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "engine/core/error.h"
#include "engine/dispersion/gaussian_terms.h"
#include "engine/dispersion/sigmas.h"
#include "engine/dispersion/wind_profile.h"

namespace parktwin::dispersion {
namespace {

// Beyond six sigma a puff adds less than 1.6e-8 of its centre value: skipped, as ISC3 skips
// receptors beyond six sigma-y of a plume.
constexpr double kMaxSigmaMultiple = 6.0;
const double kSqrt2Pi = std::sqrt(2.0 * std::numbers::pi);

struct Puff {
    std::size_t release = 0;
    Vec2 centre;
    double mass_g = 0;
    double sigmaY_m = 0;
    double sigmaZ_m = 0;
    double virtualY_m = 0; ///< travel distance at which the current curves give sigmaY_m
    double virtualZ_m = 0;
    int curveClass = -1;  ///< the stability the virtual distances refer to
    double updated_s = 0; ///< model time its state refers to
};

struct PuffEmission {
    double time_s; ///< since the model start
    std::size_t release;
    double mass_g;
};

double seconds(UtcTime a, UtcTime b) {
    return double((b - a).count());
}

std::string where(const MetHour& m, std::size_t index) {
    return "meteorology sample " + std::to_string(index + 1) + " (" +
           formatIsoTime(m.start, UtcOffset{}) + ")";
}

void checkMet(std::span<const MetHour> met) {
    if (met.empty())
        throw Error("puff model: no meteorology samples");
    for (std::size_t i = 0; i < met.size(); ++i) {
        const MetHour& m = met[i];
        if (i > 0 && m.start <= met[i - 1].start)
            throw Error("puff model: " + where(m, i) + " is not after the sample before it");
        if (!std::isfinite(m.windSpeed_ms) || m.windSpeed_ms < 0.0 ||
            !std::isfinite(m.windFromDir_deg) || !(m.anemometerHeight_m > 0.0) ||
            !(m.mixingHeight_m > 0.0) || !std::isfinite(m.mixingHeight_m))
            throw Error("puff model: " + where(m, i) +
                        " needs a finite wind >= 0, direction, anemometer height > 0 and "
                        "mixing height > 0");
    }
}

void checkRelease(const PuffRelease& r, UtcTime modelStart) {
    const std::string name = "puff model: release '" + r.id + "'";
    if (!(r.stop > r.start))
        throw Error(name + " stops at or before it starts");
    if (r.start < modelStart)
        throw Error(name + " starts before the first meteorology sample");
    for (double v : {r.releaseHeight_m, r.initialSigmaY_m, r.initialSigmaZ_m, r.emissionRate_gs})
        if (!std::isfinite(v) || v < 0.0)
            throw Error(name + ": height, initial sigmas and emission rate must be finite, >= 0");
    if (!std::isfinite(r.position.x) || !std::isfinite(r.position.y) ||
        !std::isfinite(r.baseElevation_m))
        throw Error(name + ": position and base elevation must be finite");
}

/// Every puff of every release, in time order: one per release interval, leaving at the
/// middle of its interval with the mass released over it.
std::vector<PuffEmission> emissions(std::span<const PuffRelease> releases, UtcTime modelStart,
                                    double interval_s) {
    std::vector<PuffEmission> out;
    for (std::size_t k = 0; k < releases.size(); ++k) {
        const PuffRelease& r = releases[k];
        const double start_s = seconds(modelStart, r.start);
        const double stop_s = seconds(modelStart, r.stop);
        for (double a = start_s; a < stop_s; a += interval_s) {
            const double b = std::min(a + interval_s, stop_s);
            out.push_back({0.5 * (a + b), k, r.emissionRate_gs * (b - a)});
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const PuffEmission& a, const PuffEmission& b) {
        return a.time_s < b.time_s;
    });
    return out;
}

class PuffModel {
public:
    PuffModel(std::span<const PuffRelease> releases, std::span<const MetHour> met,
              std::span<const Receptor> receptors, const PuffOptions& options)
        : releases_(releases), met_(met), receptors_(receptors), options_(options) {}

    void useSample(std::size_t metIndex) {
        const MetHour& m = met_[metIndex];
        metIndex_ = metIndex;
        calm_ = m.calm || !(m.windSpeed_ms > 0.0);
        curves_ = SigmaCurves(options_.landUse, m.stability);
        downwind_ = downwindUnit(m.windFromDir_deg);
        lid_ = hasMixingLid(m.stability);
        wind_ms_.assign(releases_.size(), 0.0);
        mixing_m_.assign(releases_.size(), 0.0);
        for (std::size_t k = 0; k < releases_.size(); ++k) {
            const double h_m = releases_[k].releaseHeight_m;
            if (!calm_)
                wind_ms_[k] = stackHeightWind_ms(m.windSpeed_ms, m.anemometerHeight_m, h_m,
                                                 options_.landUse, m.stability);
            mixing_m_[k] = effectiveMixingHeight_m(m, h_m);
        }
    }

    void emit(const PuffEmission& e) {
        const PuffRelease& r = releases_[e.release];
        Puff p;
        p.release = e.release;
        p.centre = r.position;
        p.mass_g = e.mass_g;
        p.sigmaY_m = r.initialSigmaY_m;
        p.sigmaZ_m = r.initialSigmaZ_m;
        p.updated_s = e.time_s;
        puffs_.push_back(p);
    }

    /// Moves and grows every puff to model time `to_s` under the current sample.
    void advance(double to_s) {
        const int stability = int(met_[metIndex_].stability);
        for (Puff& p : puffs_) {
            const double dt_s = to_s - p.updated_s;
            if (dt_s <= 0.0)
                continue;
            p.updated_s = to_s;
            if (options_.decayCoefficient_per_s > 0)
                p.mass_g *= std::exp(-options_.decayCoefficient_per_s * dt_s);
            if (calm_)
                continue;
            const double travel_m = wind_ms_[p.release] * dt_s;
            p.centre = p.centre + downwind_ * travel_m;
            if (p.curveClass != stability) {
                p.virtualY_m =
                    p.sigmaY_m > 0
                        ? invertIncreasing([&](double x) { return curves_.at(x).y_m; }, p.sigmaY_m)
                        : 0.0;
                p.virtualZ_m =
                    p.sigmaZ_m > 0
                        ? invertIncreasing([&](double x) { return zCurve(x); }, p.sigmaZ_m)
                        : 0.0;
                p.curveClass = stability;
            }
            p.virtualY_m += travel_m;
            p.virtualZ_m += travel_m;
            p.sigmaY_m = curves_.at(p.virtualY_m).y_m;
            p.sigmaZ_m = zCurve(p.virtualZ_m);
        }
    }

    void sample(std::span<double> out) const {
        for (std::size_t i = 0; i < receptors_.size(); ++i)
            out[i] = concentrationAt(receptors_[i]);
    }

private:
    double zCurve(double x_m) const { return std::min(curves_.at(x_m).z_m, kMaxSigmaZ_m); }

    double concentrationAt(const Receptor& r) const {
        double sum = 0.0;
        for (const Puff& p : puffs_) {
            if (!(p.sigmaY_m > 0.0) || !(p.sigmaZ_m > 0.0))
                continue; // still at the source with no spread: a point, seen by no receptor
            const PuffRelease& rel = releases_[p.release];
            const double zi_m = mixing_m_[p.release];
            if (lid_ && rel.releaseHeight_m > zi_m)
                continue; // above the lid in an unstable or neutral sample, as in ISC3
            const double dx = r.position.x - p.centre.x;
            const double dy = r.position.y - p.centre.y;
            const double r2 = dx * dx + dy * dy;
            const double limit = kMaxSigmaMultiple * p.sigmaY_m;
            if (r2 > limit * limit)
                continue;
            const double he_m =
                options_.terrain ? terrainAdjustedHeight_m(rel.releaseHeight_m, rel.baseElevation_m,
                                                           r.groundElevation_m)
                                 : rel.releaseHeight_m;
            const double sy2 = p.sigmaY_m * p.sigmaY_m;
            const double horizontal = std::exp(-0.5 * r2 / sy2) / (2.0 * std::numbers::pi * sy2);
            const double vertical =
                verticalTerm(r.flagpole_m, he_m, p.sigmaZ_m, zi_m, lid_) / (kSqrt2Pi * p.sigmaZ_m);
            sum += p.mass_g * horizontal * vertical;
        }
        return sum * kGramsToMicrograms;
    }

    std::span<const PuffRelease> releases_;
    std::span<const MetHour> met_;
    std::span<const Receptor> receptors_;
    PuffOptions options_;

    std::size_t metIndex_ = 0;
    bool calm_ = false;
    bool lid_ = true;
    SigmaCurves curves_{LandUse::Rural, Stability::D};
    Vec2 downwind_;
    std::vector<double> wind_ms_;  ///< per release, this sample
    std::vector<double> mixing_m_; ///< per release, this sample
    std::vector<Puff> puffs_;
};

} // namespace

std::vector<Receptor> sensorReceptors(const ParkModel& park) {
    std::vector<Receptor> out;
    out.reserve(park.sensors.size());
    for (const Sensor& sensor : park.sensors)
        out.push_back({sensor.position, park.terrain.heightAt(sensor.position), sensor.height_m});
    return out;
}

PuffSamples runPuffModel(std::span<const PuffRelease> releases, std::span<const MetHour> met,
                         std::span<const Receptor> receptors, UtcTime first, UtcTime last,
                         std::chrono::seconds every, const PuffOptions& options) {
    checkMet(met);
    const UtcTime modelStart = met.front().start;
    const UtcTime modelEnd = met.back().start + std::chrono::hours(1);
    for (const PuffRelease& r : releases)
        checkRelease(r, modelStart);
    if (every.count() <= 0)
        throw Error("puff model: the sampling interval must be above zero");
    if (!(options.releaseInterval_s > 0.0) || !std::isfinite(options.releaseInterval_s))
        throw Error("puff model: the puff release interval must be above zero");
    if (first < modelStart || last > modelEnd || last < first)
        throw Error("puff model: samples from " + formatIsoTime(first, UtcOffset{}) + " to " +
                    formatIsoTime(last, UtcOffset{}) + " fall outside the meteorology (" +
                    formatIsoTime(modelStart, UtcOffset{}) + " to " +
                    formatIsoTime(modelEnd, UtcOffset{}) + ")");

    PuffSamples result;
    result.receptorCount = receptors.size();
    for (UtcTime t = first; t <= last; t += every)
        result.times.push_back(t);
    result.values_ugm3.assign(result.times.size() * receptors.size(), 0.0);

    const std::vector<PuffEmission> puffs =
        emissions(releases, modelStart, options.releaseInterval_s);
    PuffModel model(releases, met, receptors, options);
    model.useSample(0);
    std::size_t nextMet = 1, nextPuff = 0;
    for (std::size_t s = 0; s < result.times.size(); ++s) {
        const double sample_s = seconds(modelStart, result.times[s]);
        // Step from one change of meteorology to the next up to the sample time; puffs that
        // leave within a step start from their own departure time.
        while (true) {
            const double metChange_s =
                nextMet < met.size() ? seconds(modelStart, met[nextMet].start) : INFINITY;
            const double next_s = std::min(metChange_s, sample_s);
            while (nextPuff < puffs.size() && puffs[nextPuff].time_s <= next_s)
                model.emit(puffs[nextPuff++]);
            model.advance(next_s);
            if (metChange_s <= next_s)
                model.useSample(nextMet++);
            if (next_s >= sample_s)
                break;
        }
        model.sample(std::span(result.values_ugm3).subspan(s * receptors.size(), receptors.size()));
    }
    return result;
}

} // namespace parktwin::dispersion
