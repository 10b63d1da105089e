#include "engine/sensors/validation.h"

#include "engine/sensors/units.h"

#include <cmath>

namespace parktwin::sensors {
namespace {

// Wind: WMO's extremes archive lists 113.2 m/s as the strongest surface gust measured
// (Barrow Island, 1996); with gust factors near 1.5 (Harper, Kepert and Ginger 2010,
// WMO/TD-No. 1555) no mean wind above 75 m/s has been seen. The met reader uses the same bound.
constexpr double kMaxWindSpeed_ms = 75.0;
// Air temperature: WMO extremes -89.2 °C (Vostok 1983) and 56.7 °C (Death Valley 1913). A
// "TEMP" may also be a stack-gas temperature, so only the lower bound is physical; the upper
// one is above any flue gas reaching a monitoring port.
constexpr double kMinTemperature_C = -90.0;
constexpr double kMaxTemperature_C = 1500.0;
// No single constituent can weigh more than the pure gas: at most M / Vm kg/m³ for a gas
// (2.6 kg/m³ for SO2 at 25 °C); particles and mixtures are bounded by 10 kg/m³, far above
// any dust load a gas stream can carry.
constexpr double kMaxParticleConcentration_ugm3 = 1e10;

// Analysers drift and are noisy around zero, so clean air gives small negative means: the
// Hà Nội embassy record marks hours down to -4.0 µg/m³ "Valid". Values down to -10 µg/m³ are
// kept as measured (clipping them to zero would bias means upward); lower ones are faults.
constexpr double kNoiseFloor_ugm3 = -10.0;

bool isMissingMarker(double v) {
    return v == -999.0 || v == -9999.0;
}

/// Upper bound of a concentration in its canonical unit, from the density of the pure gas.
double maxConcentration(const std::string& parameter, const std::string& unit) {
    double max_ugm3 = kMaxParticleConcentration_ugm3;
    if (const auto mass = molarMass_gmol(parameter))
        max_ugm3 = *mass / kMolarVolume25C_Lmol * 1e9; // g/L → µg/m³
    return unit == "mg/Nm3" ? max_ugm3 * 1e-3 : max_ugm3;
}

bool isPossible(const Reading& r) {
    const std::string& p = r.parameter;
    const double v = r.value;
    if (r.unit == "ug/m3")
        return v >= kNoiseFloor_ugm3 && v <= maxConcentration(p, r.unit);
    if (r.unit == "mg/Nm3")
        return v >= kNoiseFloor_ugm3 * 1e-3 && v <= maxConcentration(p, r.unit);
    if (p == "WS")
        return v >= 0 && v <= kMaxWindSpeed_ms;
    if (p == "WD")
        return v >= 0 && v <= 360;
    if (p == "TEMP" || p == "DEWP")
        return v >= kMinTemperature_C && v <= kMaxTemperature_C;
    if (r.unit == "%")
        return v >= 0 && v <= 100;
    if (p == "pH")
        return v >= 0 && v <= 14;
    // Pressures, flows, rain, water concentrations: no negative amounts.
    return v >= 0;
}

RefusalReason refuse(RefusalReason r, ValidationCounts& counts, RefusalReason* out) {
    ++counts.refused[static_cast<int>(r)];
    if (out)
        *out = r;
    return r;
}

} // namespace

const char* refusalReasonName(RefusalReason reason) {
    switch (reason) {
    case RefusalReason::Missing:
        return "missing";
    case RefusalReason::NotANumber:
        return "nan";
    case RefusalReason::MissingMarker:
        return "minus-999";
    case RefusalReason::Impossible:
        return "impossible";
    case RefusalReason::UnknownUnit:
        return "unknown-unit";
    case RefusalReason::SourceInvalid:
        return "source-invalid";
    }
    return "unknown";
}

long ValidationCounts::refusedTotal() const {
    long total = 0;
    for (long n : refused)
        total += n;
    return total;
}

ValidationCounts& ValidationCounts::operator+=(const ValidationCounts& o) {
    accepted += o.accepted;
    flagged += o.flagged;
    for (int i = 0; i < kRefusalReasonCount; ++i)
        refused[i] += o.refused[i];
    return *this;
}

std::string ValidationCounts::summary() const {
    std::string out =
        std::to_string(accepted) + " accepted (" + std::to_string(flagged) + " flagged)";
    if (refusedTotal() == 0)
        return out + ", none refused";
    out += ", refused:";
    const char* sep = " ";
    for (int i = 0; i < kRefusalReasonCount; ++i) {
        if (refused[i] == 0)
            continue;
        out += sep + std::to_string(refused[i]) + " " +
               refusalReasonName(static_cast<RefusalReason>(i));
        sep = ", ";
    }
    return out;
}

std::optional<Reading> validate(const RawReading& raw, ValidationCounts& counts,
                                RefusalReason* reason) {
    if (raw.sourceInvalid) {
        refuse(RefusalReason::SourceInvalid, counts, reason);
        return std::nullopt;
    }
    if (!raw.value) {
        refuse(RefusalReason::Missing, counts, reason);
        return std::nullopt;
    }
    if (!std::isfinite(*raw.value)) {
        refuse(RefusalReason::NotANumber, counts, reason);
        return std::nullopt;
    }
    if (isMissingMarker(*raw.value)) {
        refuse(RefusalReason::MissingMarker, counts, reason);
        return std::nullopt;
    }

    Reading r;
    r.station = raw.station;
    r.parameter = canonicalParameter(raw.parameter);
    const auto normalised = normaliseUnit(r.parameter, *raw.value, raw.unit);
    if (!normalised) {
        refuse(RefusalReason::UnknownUnit, counts, reason);
        return std::nullopt;
    }
    r.value = normalised->value;
    r.unit = normalised->unit;
    r.time = raw.time;
    r.status = raw.status;
    r.period_s = raw.period_s;
    if (!isPossible(r)) {
        refuse(RefusalReason::Impossible, counts, reason);
        return std::nullopt;
    }

    ++counts.accepted;
    if (!isUsable(r))
        ++counts.flagged;
    return r;
}

} // namespace parktwin::sensors
