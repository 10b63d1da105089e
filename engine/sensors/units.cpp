#include "engine/sensors/units.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace parktwin::sensors {
namespace {

enum class Kind {
    MassConcentration,
    StackConcentration,
    MixingRatio,
    Speed,
    Direction,
    Temperature,
    Other
};

struct UnitRule {
    std::string_view spelling; ///< lower case, µ as "u", ³ as "3", no blanks or degree sign
    Kind kind;
    const char* canonical;
    double scale; ///< canonical = value × scale (+ offset)
    double offset = 0;
};

// ppm and ppb are handled apart (they need the molar mass). µg/Nm³ is QCVN 05:2023's own
// ambient unit: a µg/m³ at its reference conditions, so it joins µg/m³.
constexpr std::array<UnitRule, 24> kUnits = {{
    {"ug/m3", Kind::MassConcentration, "ug/m3", 1.0},
    {"ug/nm3", Kind::MassConcentration, "ug/m3", 1.0},
    {"mg/m3", Kind::MassConcentration, "ug/m3", 1e3},
    {"ng/m3", Kind::MassConcentration, "ug/m3", 1e-3},
    {"mg/nm3", Kind::StackConcentration, "mg/Nm3", 1.0},
    {"g/nm3", Kind::StackConcentration, "mg/Nm3", 1e3},
    {"m/s", Kind::Speed, "m/s", 1.0},
    {"km/h", Kind::Speed, "m/s", 1.0 / 3.6},
    {"deg", Kind::Direction, "deg", 1.0},
    {"degree", Kind::Direction, "deg", 1.0},
    {"degrees", Kind::Direction, "deg", 1.0},
    {"c", Kind::Temperature, "degC", 1.0},
    {"degc", Kind::Temperature, "degC", 1.0},
    {"oc", Kind::Temperature, "degC", 1.0},
    {"k", Kind::Temperature, "degC", 1.0, -273.15},
    {"%", Kind::Other, "%", 1.0},
    {"hpa", Kind::Other, "hPa", 1.0},
    {"mbar", Kind::Other, "hPa", 1.0},
    {"kpa", Kind::Other, "hPa", 10.0},
    {"pa", Kind::Other, "hPa", 0.01},
    {"mm", Kind::Other, "mm", 1.0},
    {"m3/h", Kind::Other, "m3/h", 1.0},
    {"mg/l", Kind::Other, "mg/L", 1.0},
    {"pt-co", Kind::Other, "Pt-Co", 1.0},
}};

// IUPAC 2021 standard atomic weights (abridged): H 1.008, C 12.011, N 14.007, O 15.999,
// F 18.998, S 32.06, Cl 35.45.
constexpr std::array<std::pair<std::string_view, double>, 11> kMolarMasses_gmol = {{
    {"SO2", 32.06 + 2 * 15.999},
    {"NO2", 14.007 + 2 * 15.999},
    {"NO", 14.007 + 15.999},
    {"CO", 12.011 + 15.999},
    {"O3", 3 * 15.999},
    {"NH3", 14.007 + 3 * 1.008},
    {"H2S", 2 * 1.008 + 32.06},
    {"HCl", 1.008 + 35.45},
    {"HF", 1.008 + 18.998},
    {"Cl2", 2 * 35.45},
    {"CH4", 12.011 + 4 * 1.008},
}};

/// The unit as a plain lower-case key: blanks and the degree sign dropped, µ/μ as u, ³ as 3.
std::string unitKey(std::string_view unit) {
    std::string out;
    for (std::size_t i = 0; i < unit.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(unit[i]);
        const std::string_view rest = unit.substr(i);
        if (rest.starts_with("\xC2\xB5") || rest.starts_with("\xCE\xBC")) { // µ (U+00B5, U+03BC)
            out += 'u';
            ++i;
        } else if (rest.starts_with("\xC2\xB3")) { // ³
            out += '3';
            ++i;
        } else if (rest.starts_with("\xC2\xB0")) { // °
            ++i;
        } else if (c != ' ' && c != '\t') {
            out += static_cast<char>(std::tolower(c));
        }
    }
    return out;
}

Kind kindOfParameter(std::string_view p) {
    if (p == "WS")
        return Kind::Speed;
    if (p == "WD")
        return Kind::Direction;
    if (p == "TEMP" || p == "DEWP")
        return Kind::Temperature;
    return Kind::Other;
}

} // namespace

std::string canonicalParameter(std::string_view symbol) {
    if (symbol == "PM2,5" || symbol == "PM2.5 - Principal" || symbol == "PM25")
        return "PM2.5";
    if (symbol == "Temp" || symbol == "temp")
        return "TEMP";
    if (symbol == "WSPM")
        return "WS";
    if (symbol == "wd")
        return "WD";
    return std::string(symbol);
}

std::optional<double> molarMass_gmol(std::string_view parameter) {
    for (const auto& [name, mass] : kMolarMasses_gmol)
        if (name == parameter)
            return mass;
    return std::nullopt;
}

std::optional<NormalisedValue> normaliseUnit(std::string_view parameter, double value,
                                             std::string_view unit) {
    const std::string key = unitKey(unit);
    const Kind wanted = kindOfParameter(parameter);

    // A mixing ratio becomes a mass concentration through the ideal-gas molar volume:
    // µg/m³ = ppm × M [g/mol] × 1000 / Vm [L/mol].
    if (key == "ppm" || key == "ppb") {
        const auto mass = molarMass_gmol(parameter);
        if (!mass)
            return std::nullopt;
        const double ppm = key == "ppm" ? value : value * 1e-3;
        return NormalisedValue{ppm * *mass * 1000.0 / kMolarVolume25C_Lmol, "ug/m3"};
    }
    // pH and other dimensionless quantities.
    if (key.empty() || key == "-" || key == "ph")
        return wanted == Kind::Other ? std::optional(NormalisedValue{value, "-"}) : std::nullopt;

    for (const UnitRule& rule : kUnits) {
        if (rule.spelling != key)
            continue;
        const bool fits = wanted == Kind::Other
                              ? rule.kind != Kind::Speed && rule.kind != Kind::Direction &&
                                    rule.kind != Kind::Temperature
                              : rule.kind == wanted;
        if (!fits)
            return std::nullopt;
        return NormalisedValue{value * rule.scale + rule.offset, rule.canonical};
    }
    return std::nullopt;
}

} // namespace parktwin::sensors
