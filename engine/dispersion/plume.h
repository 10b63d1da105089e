#pragma once
// Steady-state Gaussian plume for point sources over one hour of meteorology
// (EPA ISC3 user's guide, volume II, section 1.1).

#include <array>
#include <optional>
#include <span>
#include <string>

#include "engine/core/geometry.h"
#include "engine/core/met.h"

namespace parktwin::dispersion {

enum class LandUse { Rural, Urban };

/// Dimensions of the building that dominates a stack's wake for one wind sector, as ISC3's
/// BUILDHGT and BUILDWID keywords give them (height and projected width, metres).
struct BuildingWake {
    double height_m = 0;
    double width_m = 0;
};

/// Wake dimensions for the 36 flow-vector sectors of ISC3: index 0 is 10 degrees, index 35 is
/// 360 degrees, each the direction the wind blows toward.
using BuildingWakeTable = std::array<BuildingWake, 36>;

/// A stack as the plume model sees it, with this hour's emission rate.
struct PointSource {
    std::string id;
    Vec2 position;                ///< local frame, metres
    double baseElevation_m = 0;   ///< ground at the stack base
    double height_m = 0;          ///< release height above base
    double diameter_m = 0;
    double exitVelocity_ms = 0;
    double exitTemperature_K = 0;
    double emissionRate_gs = 0;
    /// Building downwash dimensions by sector; none means no building wake is modelled.
    std::optional<BuildingWakeTable> buildings;
};

/// A point where concentration is computed.
struct Receptor {
    Vec2 position;               ///< local frame, metres
    double groundElevation_m = 0;
    double flagpole_m = 0;       ///< height above ground
};

struct PlumeOptions {
    LandUse landUse = LandUse::Rural;
    bool stackTipDownwash = true;
    bool terrain = true; ///< ISC simple-terrain adjustment for receptors above the stack base
    /// First-order decay coefficient psi, 1/s, applied as exp(-psi x / u_s) (ISC3 vol II
    /// section 1.1.7); 0 means no decay.
    double decayCoefficient_per_s = 0;
    /// Point sources outside building wakes go through the four-receptor AVX2 loop when the
    /// processor has it; false keeps the scalar loop (the two agree to rounding).
    bool vectorLoop = true;
};

/// Adds each source's concentration for this hour, in µg/m³, at each receptor to `out`
/// (out.size() == receptors.size()). Calm hours add nothing.
void addHourConcentrations(std::span<const PointSource> sources, const MetHour& met,
                           std::span<const Receptor> receptors, const PlumeOptions& options,
                           std::span<double> out);

/// The plume of one source at one downwind distance for one hour, as SCREEN3 prints it.
struct PlumeGeometry {
    double height_m = 0; ///< effective plume height over flat terrain
    double sigmaY_m = 0;
    double sigmaZ_m = 0;
    /// "NO" without building downwash, "HS" Huber-Snyder, "SS" Schulman-Scire; empty inside
    /// the cavity (closer than 3 L), where ISC3 computes nothing.
    std::string downwash;
};

/// Plume height, sigma-y and sigma-z at `x_m` metres downwind of `src` for this hour
/// (x_m > 0), with the same rise, downwash and dispersion addHourConcentrations uses.
PlumeGeometry plumeGeometryAt(const PointSource& src, const MetHour& met,
                              const PlumeOptions& options, double x_m);

} // namespace parktwin::dispersion
