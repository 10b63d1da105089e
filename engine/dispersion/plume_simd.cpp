// The point-source receptor loop four receptors at a time, with AVX2 and FMA, calling glibc's
// vector math library (libmvec) for the exponentials and logarithms. It computes the same
// terms as the scalar loop of plume.cpp, in the same order, so the two agree to rounding; the
// rare receptor the vector form does not cover (a rural half-angle past 0.8 rad, a momentum
// jet still rising) is handed to the scalar function.
//
// Two passes per source: the first keeps the receptors inside the 50-degree downwind sector,
// packing their along-wind and crosswind distances into contiguous arrays (on a regular grid
// about half the receptors are upwind); the second evaluates the plume on the packed arrays.
// Only the functions between the target pragmas use AVX2, and they run only when the
// processor reports it, so the library still runs on any x86-64.

#include "engine/dispersion/plume_internal.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "engine/dispersion/gaussian_terms.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define PARKTWIN_PLUME_AVX2 1
#include <immintrin.h>
#endif

namespace parktwin::dispersion::detail {

#ifdef PARKTWIN_PLUME_AVX2

namespace {

/// Receptors of one source-hour that lie inside the sector, in structure-of-arrays form.
struct Packed {
    std::vector<double> x, y, elevation, flagpole, c;
    std::vector<std::int64_t> index;

    void reserve(std::size_t n) {
        // Four more than the receptors: the packing stores whole vectors past the count.
        for (auto* v : {&x, &y, &elevation, &flagpole, &c})
            if (v->size() < n + 4)
                v->resize(n + 4);
        if (index.size() < n + 4)
            index.resize(n + 4);
    }
};

/// Each thread of the hour pool packs into its own buffers.
Packed& packedBuffers() {
    thread_local Packed packed;
    return packed;
}

} // namespace

bool vectorLoopAvailable() {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

namespace {

static_assert(sizeof(Receptor) == 4 * sizeof(double), "a receptor is loaded as one vector");
static_assert(offsetof(Receptor, groundElevation_m) == 2 * sizeof(double));
static_assert(offsetof(Receptor, flagpole_m) == 3 * sizeof(double));

/// For each 4-bit mask, the 32-bit lane permutation that moves the selected 64-bit lanes to
/// the front, in order.
struct PackTable {
    alignas(32) std::int32_t lanes[16][8] = {};
    constexpr PackTable() {
        for (int mask = 0; mask < 16; ++mask) {
            int out = 0;
            for (int lane = 0; lane < 4; ++lane)
                if (mask & (1 << lane)) {
                    lanes[mask][2 * out] = 2 * lane;
                    lanes[mask][2 * out + 1] = 2 * lane + 1;
                    ++out;
                }
        }
    }
};
constexpr PackTable kPackTable;

} // namespace

#pragma GCC push_options
#pragma GCC target("avx2,fma")

extern "C" __m256d _ZGVdN4v_exp(__m256d);
extern "C" __m256d _ZGVdN4v_log(__m256d);

namespace {

// Below this argument exp underflows to the smallest normals and libmvec leaves its fast path
// for a scalar call per lane; the scalar loop's exp would give at most 1e-304 there, so zero.
constexpr double kExpFloor = -700.0;
// Every band table ends with an unbounded band.
constexpr double kLastBandKm = 1e300;

inline __m256d expOrZero(__m256d a) {
    const __m256d floor = _mm256_set1_pd(kExpFloor);
    const __m256d tooSmall = _mm256_cmp_pd(a, floor, _CMP_LT_OQ);
    const __m256d e = _ZGVdN4v_exp(_mm256_max_pd(a, floor));
    return _mm256_andnot_pd(tooSmall, e);
}

inline __m256d absPd(__m256d v) { return _mm256_andnot_pd(_mm256_set1_pd(-0.0), v); }
inline __m256d sq(__m256d v) { return _mm256_mul_pd(v, v); }
inline __m256d set(double v) { return _mm256_set1_pd(v); }

inline __m256d pack(__m256d v, __m256i perm) {
    return _mm256_castsi256_pd(_mm256_permutevar8x32_epi32(_mm256_castpd_si256(v), perm));
}

/// First pass: appends, from position `count` on, the receptors among the `n` (a multiple of
/// four) at `base` that lie in the 50-degree sector at least a metre from the stack, numbered
/// from `firstIndex`; returns the new count.
std::size_t packSector(const SourceHour& s, Vec2 downwind, const double* base, std::size_t n,
                       std::int64_t firstIndex, std::size_t count, double* px_out,
                       double* py_out, double* elev_out, double* flag_out,
                       std::int64_t* index_out) {
    const __m256d sx = set(s.position.x), sy = set(s.position.y);
    const __m256d ux = set(downwind.x), uy = set(downwind.y);
    const __m256d tan50 = set(kTan50), one = set(1.0), zero = _mm256_setzero_pd();
    for (std::size_t i = 0; i < n; i += 4) {
        // Four receptors (x, y, elevation, flagpole) transposed into four columns.
        const __m256d r0 = _mm256_loadu_pd(base + 4 * i);
        const __m256d r1 = _mm256_loadu_pd(base + 4 * i + 4);
        const __m256d r2 = _mm256_loadu_pd(base + 4 * i + 8);
        const __m256d r3 = _mm256_loadu_pd(base + 4 * i + 12);
        const __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
        const __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
        const __m256d px = _mm256_permute2f128_pd(t0, t2, 0x20);
        const __m256d elev = _mm256_permute2f128_pd(t0, t2, 0x31);
        const __m256d py = _mm256_permute2f128_pd(t1, t3, 0x20);
        const __m256d flag = _mm256_permute2f128_pd(t1, t3, 0x31);

        const __m256d dx = _mm256_sub_pd(px, sx), dy = _mm256_sub_pd(py, sy);
        const __m256d x = _mm256_add_pd(_mm256_mul_pd(dx, ux), _mm256_mul_pd(dy, uy));
        const __m256d y = _mm256_sub_pd(_mm256_mul_pd(dx, uy), _mm256_mul_pd(dy, ux));
        const __m256d r2m = _mm256_add_pd(_mm256_mul_pd(dx, dx), _mm256_mul_pd(dy, dy));
        const __m256d in = _mm256_and_pd(
            _mm256_and_pd(_mm256_cmp_pd(x, zero, _CMP_GT_OQ),
                          _mm256_cmp_pd(absPd(y), _mm256_mul_pd(tan50, x), _CMP_LE_OQ)),
            _mm256_cmp_pd(r2m, one, _CMP_GE_OQ));
        const int mask = _mm256_movemask_pd(in);
        if (mask == 0)
            continue;
        const __m256i perm =
            _mm256_load_si256(reinterpret_cast<const __m256i*>(kPackTable.lanes[mask]));
        _mm256_storeu_pd(px_out + count, pack(x, perm));
        _mm256_storeu_pd(py_out + count, pack(y, perm));
        _mm256_storeu_pd(elev_out + count, pack(elev, perm));
        _mm256_storeu_pd(flag_out + count, pack(flag, perm));
        const __m256i idx = _mm256_add_epi64(_mm256_set1_epi64x(firstIndex + std::int64_t(i)),
                                             _mm256_setr_epi64x(0, 1, 2, 3));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(index_out + count),
                            _mm256_castpd_si256(pack(_mm256_castsi256_pd(idx), perm)));
        count += std::size_t(__builtin_popcount(unsigned(mask)));
    }
    return count;
}

/// Second pass: the plume at four packed receptors, written to `conc`. Lanes the vector form
/// does not cover come back set in the returned mask, for the scalar function.
int plumeFour(const SourceHour& s, const SigmaCurves::Coefficients& k, bool urban, double zi_m,
              bool lid, bool terrain, const double* px, const double* py, const double* pelev,
              const double* pflag, double* conc) {
    const __m256d x = _mm256_loadu_pd(px);
    const __m256d y = _mm256_loadu_pd(py);
    const bool hasBid = s.rise.final_m > 0;
    int scalarLanes = 0;

    __m256d lnX = _mm256_setzero_pd();
    __m256d sy, sz;
    if (urban) {
        if (hasBid)
            lnX = _ZGVdN4v_log(x);
        sy = _mm256_div_pd(_mm256_mul_pd(set(k.ya), x),
                           _mm256_sqrt_pd(_mm256_fmadd_pd(set(0.0004), x, set(1.0))));
        const __m256d root = _mm256_sqrt_pd(_mm256_fmadd_pd(set(k.zb), x, set(1.0)));
        sz = _mm256_mul_pd(set(k.za), x);
        if (k.zRootPower > 0)
            sz = _mm256_mul_pd(sz, root);
        else if (k.zRootPower < 0)
            sz = _mm256_div_pd(sz, root);
    } else {
        lnX = _ZGVdN4v_log(x);
        const __m256d lnXkm = _mm256_sub_pd(lnX, set(kLn1000));
        // Vol II section 1.1.5: sigma-y = 465.11628 x tan(TH), TH in radians, x in km; tan
        // by the continued fraction of sigmas.h, valid to 0.8 rad.
        const __m256d th =
            _mm256_mul_pd(set(0.017453293), _mm256_fnmadd_pd(set(k.d), lnXkm, set(k.c)));
        scalarLanes |= _mm256_movemask_pd(_mm256_cmp_pd(absPd(th), set(0.8), _CMP_NLE_UQ));
        const __m256d x2 = sq(th);
        __m256d n = set(11.0), d = set(1.0);
        constexpr double kOdd[] = {9.0, 7.0, 5.0, 3.0, 1.0};
        for (int level = 0; level < 5; ++level) {
            const __m256d next = _mm256_fnmadd_pd(x2, d, _mm256_mul_pd(set(kOdd[level]), n));
            d = n;
            n = next;
        }
        const __m256d tanTh = _mm256_div_pd(_mm256_mul_pd(th, d), n);
        const __m256d xkm = _mm256_mul_pd(x, set(1e-3));
        sy = _mm256_mul_pd(_mm256_mul_pd(set(465.11628), xkm), tanTh);

        // The sigma-z band of each lane: bands are in increasing distance, the last unbounded.
        __m256d lnA = set(k.bands[0].lnA), b = set(k.bands[0].b);
        __m256d capped = k.bands[0].a <= 0 ? _mm256_castsi256_pd(_mm256_set1_epi64x(-1))
                                           : _mm256_setzero_pd();
        for (const SigmaZBand* band = k.bands; band->upperKm <= kLastBandKm; ++band) {
            const __m256d beyond = _mm256_cmp_pd(xkm, set(band->upperKm), _CMP_GE_OQ);
            const SigmaZBand& next = band[1];
            lnA = _mm256_blendv_pd(lnA, set(next.lnA), beyond);
            b = _mm256_blendv_pd(b, set(next.b), beyond);
            const __m256d nextCapped = next.a <= 0 ? _mm256_castsi256_pd(_mm256_set1_epi64x(-1))
                                                   : _mm256_setzero_pd();
            capped = _mm256_blendv_pd(capped, nextCapped, beyond);
        }
        sz = _ZGVdN4v_exp(_mm256_fmadd_pd(b, lnXkm, lnA));
        sz = _mm256_blendv_pd(sz, set(kMaxSigmaZ_m), capped);
    }
    sz = _mm256_min_pd(sz, set(kMaxSigmaZ_m));

    if (hasBid) {
        // Buoyancy-induced dispersion, (rise / 3.5)², with the gradual rise before final rise.
        const __m256d far = _mm256_cmp_pd(x, set(s.rise.finalDistance_m), _CMP_GE_OQ);
        __m256d bid2 = set(s.finalBid2_m2);
        const int rising = ~_mm256_movemask_pd(far) & 0xF;
        if (rising) {
            if (s.rise.buoyancyDominated) {
                const __m256d two3 = _mm256_mul_pd(set(2.0 / 3.0), lnX);
                const __m256d dh = _mm256_min_pd(
                    _mm256_mul_pd(set(s.buoyantGradualCoef), _ZGVdN4v_exp(two3)),
                    set(s.rise.final_m));
                const __m256d q = _mm256_div_pd(dh, set(3.5));
                bid2 = _mm256_blendv_pd(sq(q), bid2, far);
            } else {
                scalarLanes |= rising;
            }
        }
        sy = _mm256_sqrt_pd(_mm256_add_pd(sq(sy), bid2));
        sz = _mm256_min_pd(_mm256_sqrt_pd(_mm256_add_pd(sq(sz), bid2)), set(kMaxSigmaZ_m));
    }
    const __m256d keep =
        _mm256_cmp_pd(absPd(y), _mm256_mul_pd(set(kMaxSigmaYMultiple), sy), _CMP_LE_OQ);
    if (_mm256_movemask_pd(keep) == 0) {
        _mm256_storeu_pd(conc, _mm256_setzero_pd());
        return scalarLanes;
    }

    const __m256d zr = _mm256_loadu_pd(pflag);
    __m256d he = set(s.plumeHeightFlat_m);
    if (terrain) {
        // ISC simple terrain, as terrainAdjusted_m() in plume.cpp.
        const __m256d above = _mm256_min_pd(
            _mm256_max_pd(_mm256_sub_pd(_mm256_loadu_pd(pelev),
                                        set(s.baseElevation_m)),
                          _mm256_setzero_pd()),
            set(s.stackHeight_m));
        he = _mm256_max_pd(_mm256_sub_pd(he, above), _mm256_setzero_pd());
    }

    const __m256d lateral = _mm256_div_pd(_mm256_mul_pd(set(-0.5), sq(y)), sq(sy));
    const __m256d inv2s2 = _mm256_div_pd(set(0.5), sq(sz));
    const __m256d below = _mm256_sub_pd(zr, he), image = _mm256_add_pd(zr, he);
    const __m256d belowExp = _mm256_mul_pd(sq(below), inv2s2);
    const __m256d imageExp = _mm256_mul_pd(sq(image), inv2s2);

    // Under a lid: uniform mixing once sigma-z >= 1.6 zi, else the image series unless its
    // nearest images are past 21 units of 2 sigma-z² (gaussian_terms.h, verticalTerm()).
    __m256d uniform = _mm256_setzero_pd(), series = _mm256_setzero_pd();
    if (lid) {
        const __m256d zi = set(zi_m);
        uniform = _mm256_cmp_pd(sz, _mm256_mul_pd(set(1.6), zi), _CMP_GE_OQ);
        const __m256d nearLid = _mm256_fmadd_pd(set(2.0), zi, below);
        const __m256d nearGround = _mm256_fnmadd_pd(set(2.0), zi, image);
        const __m256d nearest = _mm256_mul_pd(_mm256_min_pd(sq(nearLid), sq(nearGround)),
                                              inv2s2);
        series = _mm256_andnot_pd(
            uniform, _mm256_cmp_pd(nearest, set(21.0), _CMP_LE_OQ));
    }
    const __m256d scaleOver = _mm256_div_pd(set(s.scale), _mm256_mul_pd(sy, sz));
    const __m256d decay = _mm256_mul_pd(x, set(-s.decayPerMetre));
    __m256d c;
    if (_mm256_movemask_pd(_mm256_and_pd(keep, _mm256_or_pd(uniform, series))) == 0) {
        // The usual case: crosswind, decay and the two vertical terms in two exponentials.
        __m256d e = lateral;
        if (s.decayPerMetre > 0)
            e = _mm256_add_pd(e, decay);
        const __m256d v = _mm256_add_pd(expOrZero(_mm256_sub_pd(e, belowExp)),
                                        expOrZero(_mm256_sub_pd(e, imageExp)));
        c = _mm256_mul_pd(scaleOver, v);
    } else {
        __m256d v = _mm256_add_pd(expOrZero(_mm256_sub_pd(_mm256_setzero_pd(), belowExp)),
                                  expOrZero(_mm256_sub_pd(_mm256_setzero_pd(), imageExp)));
        __m256d active = _mm256_and_pd(series, keep);
        const __m256d tolerance = set(5e-9);
        for (int i = 1; i <= 50 && _mm256_movemask_pd(active) != 0; ++i) {
            const __m256d h1 = _mm256_sub_pd(he, set(2.0 * i * zi_m));
            const __m256d h2 = _mm256_add_pd(he, set(2.0 * i * zi_m));
            const __m256d neg = _mm256_sub_pd(_mm256_setzero_pd(), inv2s2);
            const __m256d add = _mm256_add_pd(
                _mm256_add_pd(expOrZero(_mm256_mul_pd(sq(_mm256_sub_pd(zr, h1)), neg)),
                              expOrZero(_mm256_mul_pd(sq(_mm256_add_pd(zr, h1)), neg))),
                _mm256_add_pd(expOrZero(_mm256_mul_pd(sq(_mm256_sub_pd(zr, h2)), neg)),
                              expOrZero(_mm256_mul_pd(sq(_mm256_add_pd(zr, h2)), neg))));
            v = _mm256_add_pd(v, _mm256_and_pd(add, active));
            active = _mm256_and_pd(active, _mm256_cmp_pd(add, tolerance, _CMP_GE_OQ));
        }
        const __m256d mixed =
            _mm256_mul_pd(set(std::sqrt(2.0 * std::numbers::pi) / zi_m), sz);
        v = _mm256_blendv_pd(v, mixed, uniform);
        c = _mm256_mul_pd(_mm256_mul_pd(scaleOver, expOrZero(lateral)), v);
        if (s.decayPerMetre > 0)
            c = _mm256_mul_pd(c, expOrZero(decay));
    }
    _mm256_storeu_pd(conc, _mm256_and_pd(c, keep));
    return scalarLanes;
}

} // namespace

#pragma GCC pop_options

void addSourceVector(const SourceHour& s, const SigmaCurves& curves, Vec2 downwind, double zi_m,
                     bool lid, std::span<const Receptor> receptors, const PlumeOptions& options,
                     std::span<double> out) {
    const std::size_t vectorEnd = receptors.size() / 4 * 4;
    Packed& p = packedBuffers();
    p.reserve(receptors.size());
    std::size_t count = 0;
    if (vectorEnd > 0)
        count = packSector(s, downwind, &receptors[0].position.x, vectorEnd, 0, count,
                           p.x.data(), p.y.data(), p.elevation.data(), p.flagpole.data(),
                           p.index.data());
    if (vectorEnd < receptors.size()) {
        // The last one to three receptors go through the same loop, padded with receptors at
        // the stack itself, which the sector test leaves out: a receptor's value must not
        // depend on where a thread's slice of receptors ends.
        Receptor tail[4];
        for (Receptor& r : tail)
            r.position = s.position;
        std::copy(receptors.begin() + std::ptrdiff_t(vectorEnd), receptors.end(), tail);
        count = packSector(s, downwind, &tail[0].position.x, 4, std::int64_t(vectorEnd), count,
                           p.x.data(), p.y.data(), p.elevation.data(), p.flagpole.data(),
                           p.index.data());
    }
    // Pad the last vector with a harmless receptor; its result is not used.
    for (std::size_t j = count; j < count + 4; ++j) {
        p.x[j] = 1000.0;
        p.y[j] = p.elevation[j] = p.flagpole[j] = 0.0;
    }

    const SigmaCurves::Coefficients k = curves.coefficients();
    const bool urban = curves.urban();
    for (std::size_t j = 0; j < count; j += 4) {
        const int scalarLanes =
            plumeFour(s, k, urban, zi_m, lid, options.terrain, &p.x[j], &p.y[j],
                      &p.elevation[j], &p.flagpole[j], &p.c[j]);
        for (std::size_t q = j; q < j + 4 && q < count; ++q)
            if (scalarLanes & (1 << (q - j)))
                p.c[q] = plumeConcentration(s, curves, p.x[q], p.y[q],
                                            receptors[std::size_t(p.index[q])], zi_m, lid,
                                            options);
    }
    for (std::size_t j = 0; j < count; ++j)
        out[std::size_t(p.index[j])] += p.c[j];
}


#else

bool vectorLoopAvailable() { return false; }

// Never called: plume.cpp asks vectorLoopAvailable() first.
void addSourceVector(const SourceHour&, const SigmaCurves&, Vec2, double, bool,
                     std::span<const Receptor>, const PlumeOptions&, std::span<double>) {
    throw std::logic_error("addSourceVector: no vector loop on this processor");
}

#endif

} // namespace parktwin::dispersion::detail
