#pragma once
// The background concentration of a scenario, hour by hour: a constant, or a monitor's
// hourly record read from a CSV file.

#include <vector>

#include "engine/scenario/scenario.h"

namespace parktwin::scenario {

struct BackgroundSeries {
    std::vector<double> hourly_ugm3; ///< one value per scenario hour; NaN where not known
    int missingHours = 0;            ///< hours of the period without a usable value
    std::string source;              ///< "constant 12 ug/m3" or the file and column
};

/// The scenario's background for each of its hours, or an empty series when it has none.
/// A CSV record's stamps mark the start of their hour in the file's zone; either one column
/// holds ISO 8601 stamps (`time_column`) or the columns year, month, day, hour do (the PRSA
/// station files). Empty, NA, non-finite and negative values make their hour missing.
/// Throws InputError naming the file and line of a malformed row, a stamp off the hour, or
/// a duplicated hour (with the line of its first appearance).
BackgroundSeries loadBackground(const Scenario& scenario);

} // namespace parktwin::scenario
