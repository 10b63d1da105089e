#pragma once
// Regulatory limits (QCVN ambient and emission limits) from a thresholds CSV file with the
// columns regulation,status,parameter,column_or_period,limit,unit,grade,note.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace parktwin {

struct Threshold {
    std::string regulation; ///< e.g. "QCVN 05:2023/BTNMT"
    std::string status;     ///< e.g. "in force"
    std::string parameter;  ///< e.g. "SO2"
    std::string period;     ///< averaging period ("1h", "8h", "24h", "year") or column
    double limit = 0;       ///< upper limit; for a range such as pH "6-9", its top
    double lowerLimit = -1; ///< bottom of a range limit, or -1 when there is none
    std::string unit;       ///< as written, e.g. "ug/Nm3"
    std::string grade;      ///< how well the value was verified (S, S1, M, P)
    std::string note;
};

struct ThresholdTable {
    std::filesystem::path source;
    std::vector<Threshold> rows;

    /// The ambient limit in µg/m³ for a pollutant and period under the given regulation
    /// (default QCVN 05:2023), or nullopt when the table has none.
    std::optional<Threshold> ambient(const std::string& parameter, const std::string& period,
                                     const std::string& regulation = "QCVN 05:2023") const;
};

/// Reads a thresholds CSV. Throws InputError naming the file and line of a malformed row.
ThresholdTable readThresholds(const std::filesystem::path& file);

} // namespace parktwin
