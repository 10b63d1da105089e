#pragma once
// Parameter symbols and units of the sensor feeds, brought to one canonical form per quantity.
//
// Ambient concentrations are stored in µg/m³ ("ug/m3") at the reference conditions of QCVN
// 05:2023 (its µg/Nm³); stack-gas concentrations stay in mg/Nm³ ("mg/Nm3"), the unit of
// QCVN 19. Mixing ratios (ppm, ppb) of gases become µg/m³ at 25 °C and 101.325 kPa: QCVN
// 19:2009 defines its normal cubic metre at 25 °C and 760 mmHg (not yet verified against the
// official text; see ../shared/data/regulation/README.md).

#include <optional>
#include <string>
#include <string_view>

namespace parktwin::sensors {

/// Molar volume of an ideal gas at 25 °C and 101.325 kPa, in litres per mole:
/// R T / p = 8.314462618 J/(mol K) × 298.15 K / 101325 Pa (CODATA 2018 value of R).
inline constexpr double kMolarVolume25C_Lmol = 24.465;

/// The canonical symbol of a parameter as the feeds spell it: "PM2,5" (Thông tư 10/2021 uses
/// a decimal comma) and "PM2.5 - Principal" (AirNow) become "PM2.5", "Temp" becomes "TEMP",
/// "WSPM" "WS", "wd" "WD"; other symbols come back unchanged.
std::string canonicalParameter(std::string_view symbol);

/// Molar mass in g/mol of a gaseous parameter with a fixed formula (SO2, NO2, NO, CO, O3,
/// NH3, H2S, HCl, HF, Cl2, CH4); nullopt for particles, mixtures (NOx) and non-gases.
std::optional<double> molarMass_gmol(std::string_view parameter);

/// A value in its canonical unit.
struct NormalisedValue {
    double value = 0;
    std::string unit;
};

/// Converts `value` in `unit` (as a feed writes it: "µg/m³", "ug/m3", "UG/M3", "mg/Nm3", "ppm",
/// "°C", "m/s", ...) for `parameter` (canonical symbol) to the canonical unit of its kind.
/// Returns nullopt when the unit is unknown or does not apply to the parameter (ppm of a
/// particle, for instance).
std::optional<NormalisedValue> normaliseUnit(std::string_view parameter, double value,
                                             std::string_view unit);

} // namespace parktwin::sensors
