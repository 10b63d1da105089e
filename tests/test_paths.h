#pragma once
// Where tests find the bundled assets and the shared validation data.

#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace parktwin::test {

inline std::filesystem::path sourceDir() { return PARKTWIN_SOURCE_DIR; }
inline std::filesystem::path assetsDir() { return sourceDir() / "assets"; }

/// The shared data folder beside the checkout, or $PARKTWIN_SHARED_DATA.
inline std::filesystem::path sharedDataDir() {
    if (const char* env = std::getenv("PARKTWIN_SHARED_DATA"))
        return env;
    return sourceDir() / ".." / "shared" / "data";
}

inline bool underCi() {
    const char* ci = std::getenv("CI");
    return ci && std::string(ci) == "true";
}

/// A scratch folder unique to the running test.
inline std::filesystem::path scratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    auto dir = std::filesystem::path(PARKTWIN_BINARY_DIR) / "test-scratch" /
               (std::string(info->test_suite_name()) + "." + info->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

} // namespace parktwin::test

/// Skips the test when a shared data file is absent, except under CI=true where it fails.
#define PARKTWIN_REQUIRE_SHARED(path)                                                        \
    do {                                                                                     \
        if (!std::filesystem::exists(path)) {                                                \
            if (parktwin::test::underCi())                                                   \
                FAIL() << "validation data missing under CI: " << (path);                    \
            GTEST_SKIP() << "validation data not found: " << (path);                         \
        }                                                                                    \
    } while (0)
