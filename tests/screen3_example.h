#pragma once
// The distance table of SCREEN3's example output (validation/isc3/screen3/EXAMPLE.OUT), read
// for tests that compare against EPA's printed values.

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "test_paths.h"

namespace parktwin::test {

inline std::filesystem::path screen3ExampleOutput() {
    return sharedDataDir() / "validation" / "isc3" / "screen3" / "EXAMPLE.OUT";
}

/// One printed row: "DIST CONC STAB U10M USTK MIX HT ..." of the automated distances.
struct Screen3Row {
    std::string line; ///< as printed, for failure messages
    double distance_m = 0;
    int stabilityClass = 0; ///< 1 = A ... 6 = F
    double u10_ms = 0;
    double uStack_ms = 0;
    double mixingHeight_m = 0;
};

/// The rows of the distance table; rows with stability 0 (no calculation) are left out.
inline std::vector<Screen3Row> screen3DistanceRows() {
    std::ifstream in(screen3ExampleOutput());
    const std::regex row(
        R"(^\s*(\d+)\.\s+([.0-9]+)\s+([1-6])\s+([.0-9]+)\s+([.0-9]+)\s+([.0-9]+)\s.*)");
    std::vector<Screen3Row> rows;
    std::string line;
    while (std::getline(in, line)) {
        std::smatch m;
        if (!std::regex_match(line, m, row))
            continue;
        rows.push_back({line, std::stod(m[1].str()), std::stoi(m[3].str()),
                        std::stod(m[4].str()), std::stod(m[5].str()), std::stod(m[6].str())});
    }
    return rows;
}

} // namespace parktwin::test
