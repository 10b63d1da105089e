#pragma once
// Validation of what a feed delivers: units normalised, missing and impossible values refused
// and counted by reason, calibration and fault readings kept but flagged.

#include "engine/sensors/reading.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace parktwin::sensors {

/// A measurement as a parser found it, before validation.
struct RawReading {
    std::string station;
    std::string parameter;       ///< symbol as the source writes it
    std::optional<double> value; ///< nullopt when the source left it empty or wrote NA
    std::string unit;            ///< as the source writes it
    UtcTime time;                ///< UTC end of the averaging period
    ReadingStatus status = ReadingStatus::Measuring;
    int period_s = 0;
    bool sourceInvalid = false; ///< the source's own QC marked the value invalid
};

/// Why a reading was refused.
enum class RefusalReason {
    Missing,       ///< no value (empty field, NA)
    NotANumber,    ///< NaN or infinite
    MissingMarker, ///< -999 or -9999, the usual "no data" codes of monitoring networks
    Impossible,    ///< outside what the quantity can physically be
    UnknownUnit,   ///< a unit we cannot convert, or one that does not fit the parameter
    SourceInvalid, ///< the source's QC flagged it invalid
};
inline constexpr int kRefusalReasonCount = 6;

/// Short name of a reason, for logs and JSON ("missing", "nan", "minus-999", ...).
const char* refusalReasonName(RefusalReason reason);

/// Counts of one validation run.
struct ValidationCounts {
    long accepted = 0; ///< readings passed on (flagged ones included)
    long flagged = 0;  ///< accepted with a status other than 00 (calibrating, fault, suspect)
    std::array<long, kRefusalReasonCount> refused{};

    long refusedTotal() const;
    long refusedFor(RefusalReason r) const { return refused[static_cast<int>(r)]; }
    ValidationCounts& operator+=(const ValidationCounts& o);
    /// "12 accepted (2 flagged), refused: 3 minus-999, 1 nan" for a log line.
    std::string summary() const;
};

/// The validated reading, or the reason it was refused; counts the outcome in `counts`.
/// A value outside the physically possible range of its parameter (a concentration below the
/// -10 µg/m³ noise floor of analysers or heavier than the pure gas,
/// wind over 75 m/s, a direction outside 0..360°, relative humidity over 100 %) is refused.
std::optional<Reading> validate(const RawReading& raw, ValidationCounts& counts,
                                RefusalReason* reason = nullptr);

} // namespace parktwin::sensors
