#include "engine/sensors/text_input.h"

#include "engine/core/error.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace parktwin::sensors {
namespace {

/// Length of the UTF-8 sequence starting at text[i], or 0 when it is not valid UTF-8
/// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t utf8SequenceLength(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char c = byte(i);
    if (c < 0x80)
        return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (i + n > text.size())
        return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi)
        return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
            return 0;
    return n;
}

std::string hexByte(unsigned char c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", c);
    return buf;
}

} // namespace

std::string readTextFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw InputError(file.string(), "", "cannot open the file for reading");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        throw InputError(file.string(), "", "read error");
    return ss.str();
}

std::string_view checkUtf8(std::string_view text, const std::string& fileName) {
    if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF"))
        throw InputError(fileName, "line 1",
                         "the file is UTF-16 (it starts with a UTF-16 byte-order mark); "
                         "expected UTF-8 text");
    if (text.starts_with("\xEF\xBB\xBF"))
        text.remove_prefix(3);

    int line = 1;
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        const std::string where = "line " + std::to_string(line);
        if (c == 0)
            throw InputError(fileName, where,
                             "NUL byte at column " + std::to_string(i - lineStart + 1) +
                                 ": not UTF-8 text (UTF-16 without a byte-order mark?)");
        const std::size_t n = utf8SequenceLength(text, i);
        if (n == 0)
            throw InputError(fileName, where,
                             "byte " + hexByte(c) + " at column " +
                                 std::to_string(i - lineStart + 1) +
                                 " is not UTF-8 (a Windows-1258 or other 8-bit code page?); "
                                 "expected UTF-8 text");
        if (c == '\n') {
            ++line;
            lineStart = i + 1;
        }
        i += n;
    }
    return text;
}

} // namespace parktwin::sensors
