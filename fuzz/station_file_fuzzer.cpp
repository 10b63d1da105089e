// libFuzzer target: any bytes as a Thông tư 10/2021 station file, and as its file name.
// The parser may refuse the input with parktwin::Error; anything else (a crash, a sanitizer
// report, another exception) is a bug.

#include "engine/core/error.h"
#include "engine/sensors/station_file.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace parktwin;
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    // The first line doubles as a file name, which feeds the station id and file time.
    const std::string name(text.substr(0, std::min<std::size_t>(text.find('\n'), 80)));
    (void)sensors::parseStationFileName(name, UtcOffset{420});

    try {
        const auto raw = sensors::parseStationFile(text, "fuzz.txt", "KK01", UtcOffset{420});
        sensors::ValidationCounts counts;
        for (const sensors::RawReading& r : raw)
            (void)sensors::validate(r, counts);
    } catch (const Error&) {
    }
    return 0;
}
