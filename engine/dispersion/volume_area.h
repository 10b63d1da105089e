#pragma once
// Volume, area and line sources of the ISC3 short-term model (EPA ISC3 user's guide,
// volume II, EPA-454/B-95-003b, sections 1.2 and 1.3), sharing the point-source model's
// meteorology, sigma curves, receptors and options (plume.h).

#include <span>
#include <string>
#include <vector>

#include "engine/core/geometry.h"
#include "engine/core/met.h"
#include "engine/dispersion/plume.h"

namespace parktwin::dispersion {

/// ISC3 VOLUME source: a release with initial lateral and vertical spread.
struct VolumeSource {
    std::string id;
    Vec2 position;                ///< centre, local frame, metres
    double baseElevation_m = 0;
    double releaseHeight_m = 0;   ///< centre of the volume above ground
    double initialSigmaY_m = 0;   ///< sigma-y0
    double initialSigmaZ_m = 0;   ///< sigma-z0
    double emissionRate_gs = 0;
};

/// ISC3 AREA source: a rectangle with one corner at `corner`, sides xLength_m and yLength_m,
/// rotated clockwise by angle_deg from north about that corner (ISC3 AREA keyword).
struct AreaSource {
    std::string id;
    Vec2 corner;                  ///< the rectangle's reference (south-west before rotation) corner
    double baseElevation_m = 0;
    double releaseHeight_m = 0;
    double xLength_m = 0;
    double yLength_m = 0;
    double angle_deg = 0;
    double initialSigmaZ_m = 0;
    double emissionRate_gsm2 = 0; ///< grams per second per square metre
};

/// Adds each volume source's concentration for this hour, in µg/m³, at each receptor.
void addVolumeHour(std::span<const VolumeSource> sources, const MetHour& met,
                   std::span<const Receptor> receptors, const PlumeOptions& options,
                   std::span<double> out);

/// Adds each area source's concentration for this hour, in µg/m³, at each receptor.
void addAreaHour(std::span<const AreaSource> sources, const MetHour& met,
                 std::span<const Receptor> receptors, const PlumeOptions& options,
                 std::span<double> out);

/// A road as a line source: its centreline, the width of the emitting band, and the emission
/// per metre of road.
struct LineSource {
    std::string id;
    std::vector<Vec2> centreline;  ///< local frame, metres, at least two points
    double baseElevation_m = 0;
    double width_m = 0;            ///< road plus the turbulent zone of the traffic
    double releaseHeight_m = 0;
    double initialSigmaZ_m = 0;
    double emissionRate_gsm = 0;   ///< grams per second per metre
};

/// Replaces a line source by the string of adjacent volume sources ISC guidance prescribes
/// (ISC3 user's guide, volume I, section 3.3.2.2 and volume II, section 1.2.2).
std::vector<VolumeSource> lineAsVolumes(const LineSource& line);

} // namespace parktwin::dispersion
