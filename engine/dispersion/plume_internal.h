#pragma once
// What the point-source model prepares for one source and one hour, shared by the scalar
// receptor loop (plume.cpp) and its vectorised form (plume_simd.cpp). Not a public interface.

#include <cstddef>
#include <span>

#include "engine/core/geometry.h"
#include "engine/core/met.h"
#include "engine/dispersion/plume.h"
#include "engine/dispersion/plume_rise.h"
#include "engine/dispersion/sigmas.h"

namespace parktwin::dispersion::detail {

// Receptors more than 50 degrees off the plume axis are skipped, as in ISC3: |y| > tan(50°) x.
inline constexpr double kTan50 = 1.19175359;
// Beyond six sigma-y the crosswind term is below 1.6e-8 of the centreline: ISC3 skips it.
inline constexpr double kMaxSigmaYMultiple = 6.0;
inline constexpr double kLn1000 = 6.907755278982137; // ln(1000), metres to kilometres

enum class Downwash { None, HuberSnyder, SchulmanScire };

/// The building wake of one source for one hour (ISC3 vol II section 1.1.5.3).
struct Wake {
    Downwash kind = Downwash::None;
    double height_m = 0;   ///< hb
    double width_m = 0;    ///< hw, projected width for this hour's flow sector
    double length_m = 0;   ///< L = min(hb, hw)
    double zScale_m = 0;   ///< length of the sigma-z enhancement: hb for Huber-Snyder, L else
    bool enhanceY = false; ///< sigma-y is enhanced only while the wake-test height <= 1.2 hb
    double xzVirtual_m = 0; ///< sigma-z(10 zScale + xz) = 1.2 zScale, A 1.2 L for S-S
    double xyVirtual_m = 0; ///< sigma-y(10 L + xy) = 0.35 hw + 0.5 L
    double decay = 1;      ///< Schulman-Scire factor A on the building sigma-z
    double r0_m = 0;       ///< Schulman-Scire initial plume radius, sqrt(2) sigma-z(3 L)
};

/// What one source needs for one hour, computed once before the receptor loop.
struct SourceHour {
    Vec2 position;
    double baseElevation_m = 0;
    double stackHeight_m = 0;
    double plumeHeightFlat_m = 0; ///< release height after downwash plus final rise
    double scale = 0;             ///< Q * 1e6 / (2 pi us), µg/m³ times m²
    PlumeRise rise;
    double finalBid2_m2 = 0;      ///< (final rise / 3.5)², the BID term past final rise
    double buoyantGradualCoef = 0; ///< 1.60 Fb^(1/3) / us, so the 2/3 law is coef x^(2/3)
    double release_m = 0;         ///< release height after stack-tip downwash
    double windAtStack_ms = 1;
    double decayPerMetre = 0;     ///< psi / us, so decay is exp(-x decayPerMetre)
    Wake wake;
};

/// The concentration, µg/m³, of a source outside any building wake at a receptor `x_m`
/// downwind and `y_m` crosswind, inside the 50-degree sector; 0 past six sigma-y.
double plumeConcentration(const SourceHour& s, const SigmaCurves& curves, double x_m,
                          double y_m, const Receptor& r, double zi_m, bool lid,
                          const PlumeOptions& options);

/// True when this processor runs the vectorised receptor loop (AVX2 with FMA).
bool vectorLoopAvailable();

/// The receptor loop of a source outside any building wake, four receptors at a time: the
/// same terms as plumeConcentration(), with the exponentials and logarithms of glibc's vector
/// math library. Adds into `out`. Call only when vectorLoopAvailable().
void addSourceVector(const SourceHour& s, const SigmaCurves& curves, Vec2 downwind, double zi_m,
                     bool lid, std::span<const Receptor> receptors, const PlumeOptions& options,
                     std::span<double> out);

} // namespace parktwin::dispersion::detail
