#pragma once
// Small helpers the met CSV readers share: field splitting and strict number parsing.

#include <charconv>
#include <optional>
#include <string_view>
#include <vector>

namespace parktwin::met::csv {

/// Field text without surrounding blanks and one pair of double quotes.
inline std::string_view unquote(std::string_view f) {
    while (!f.empty() && (f.front() == ' ' || f.front() == '\t'))
        f.remove_prefix(1);
    while (!f.empty() && (f.back() == ' ' || f.back() == '\t' || f.back() == '\r'))
        f.remove_suffix(1);
    if (f.size() >= 2 && f.front() == '"' && f.back() == '"')
        f = f.substr(1, f.size() - 2);
    return f;
}

/// Splits one line at commas into `out` (cleared first). Quoted fields hold no commas in
/// the formats read here.
inline void split(std::string_view line, std::vector<std::string_view>& out) {
    out.clear();
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = line.find(',', start);
        if (comma == std::string_view::npos) {
            out.push_back(unquote(line.substr(start)));
            return;
        }
        out.push_back(unquote(line.substr(start, comma - start)));
        start = comma + 1;
    }
}

/// The whole field as a number, or nullopt.
inline std::optional<double> toDouble(std::string_view f) {
    double v = 0;
    if (!f.empty() && f.front() == '+')
        f.remove_prefix(1);
    const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
    if (ec != std::errc() || end != f.data() + f.size() || f.empty())
        return std::nullopt;
    return v;
}

/// The whole field as an integer, or nullopt.
inline std::optional<int> toInt(std::string_view f) {
    int v = 0;
    const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
    if (ec != std::errc() || end != f.data() + f.size() || f.empty())
        return std::nullopt;
    return v;
}

} // namespace parktwin::met::csv
