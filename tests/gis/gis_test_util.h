#pragma once
// Helpers shared by the gis tests: writing small manifests into a scratch folder.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "gis/park_loader.h"
#include "log_capture.h"
#include "test_paths.h"

#define EXPECT_CONTAINS(text, part)                                                          \
    EXPECT_NE((text).find(part), std::string::npos) << "\"" << (text) << "\" lacks " << (part)

namespace parktwin::test {

/// Runs loadPark and returns the InputError's message; fails the test when nothing is thrown.
inline std::string loadError(const std::filesystem::path& manifest) {
    try {
        gis::loadPark(manifest);
    } catch (const InputError& e) {
        return e.what();
    }
    ADD_FAILURE() << "no InputError for " << manifest;
    return {};
}


inline std::filesystem::path dataDir() { return sourceDir() / "tests" / "data"; }

/// Writes `text` to dir/name and returns the path.
inline std::filesystem::path writeFile(const std::filesystem::path& dir, const std::string& name,
                                       const std::string& text) {
    const auto path = dir / name;
    std::ofstream(path) << text;
    return path;
}

/// A manifest with a flat terrain and the given boundary file (absolute path) plus extra
/// layer tables.
inline std::string flatManifest(const std::filesystem::path& boundary,
                                const std::string& extraLayers = "",
                                const std::string& crs = "auto") {
    return "name = \"test park\"\ntime_zone = \"+07:00\"\ncrs = \"" + crs +
           "\"\nextent_margin_m = 100\n[terrain]\nflat_elevation_m = 20\n"
           "[[layers]]\nrole = \"boundary\"\nfile = \"" +
           boundary.string() + "\"\n" + extraLayers;
}

} // namespace parktwin::test
