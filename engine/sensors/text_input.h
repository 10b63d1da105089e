#pragma once
// Reading a feed's text file whole and checking that it is UTF-8, as every sensor format
// here requires: a UTF-16 file or one in a legacy 8-bit code page (Windows-1258, TCVN3) is
// refused with the line where it shows, never read as garbage.

#include <filesystem>
#include <string>
#include <string_view>

namespace parktwin::sensors {

/// The file's bytes; throws InputError naming the file when it cannot be read.
std::string readTextFile(const std::filesystem::path& file);

/// Returns the text without a UTF-8 byte-order mark. Throws InputError naming `fileName` and
/// the line when the text is UTF-16 (a byte-order mark or NUL bytes) or holds a byte
/// sequence that is not UTF-8.
std::string_view checkUtf8(std::string_view text, const std::string& fileName);

} // namespace parktwin::sensors
