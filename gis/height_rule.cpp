#include "gis/height_rule.h"

#include <cctype>
#include <charconv>

namespace parktwin::gis {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

// Leading decimal number, accepting a comma as the decimal mark; the rest is returned in
// `rest`.
std::optional<double> leadingNumber(std::string_view s, std::string_view& rest) {
    std::string digits;
    size_t k = 0;
    bool seenMark = false;
    for (; k < s.size(); ++k) {
        const char c = s[k];
        if (std::isdigit(static_cast<unsigned char>(c)))
            digits += c;
        else if ((c == '.' || c == ',') && !seenMark) {
            seenMark = true;
            digits += '.';
        } else
            break;
    }
    if (digits.empty() || digits == ".")
        return std::nullopt;
    double value = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc())
        return std::nullopt;
    rest = trim(s.substr(k));
    return value;
}

} // namespace

std::optional<double> parseLength_m(std::string_view text) {
    std::string_view rest;
    auto value = leadingNumber(trim(text), rest);
    if (!value || *value <= 0)
        return std::nullopt;

    // International foot = 0.3048 m exactly (NIST SP 811, appendix B).
    constexpr double kFoot_m = 0.3048;
    if (rest.empty() || rest == "m" || rest == "meters" || rest == "metres" || rest == "meter")
        return *value;
    if (rest == "ft" || rest == "'" || rest == "feet")
        return *value * kFoot_m;
    return std::nullopt;
}

std::optional<double> parseLevels(std::string_view text) {
    std::string_view rest;
    auto value = leadingNumber(trim(text), rest);
    if (!value || *value <= 0)
        return std::nullopt;
    if (!rest.empty() && rest.front() != ';')
        return std::nullopt;
    return *value;
}

HeightDecision decideHeight(
    const HeightRule& rule,
    const std::function<std::optional<std::string>(const std::string&)>& attribute) {
    if (!rule.heightAttribute.empty()) {
        if (auto text = attribute(rule.heightAttribute))
            if (auto h = parseLength_m(*text))
                return {*h, HeightSource::HeightAttribute};
    }
    if (!rule.levelsAttribute.empty()) {
        if (auto text = attribute(rule.levelsAttribute))
            if (auto levels = parseLevels(*text))
                return {*levels * rule.storeyHeight_m, HeightSource::Levels};
    }
    return {rule.defaultHeight_m, HeightSource::Default};
}

} // namespace parktwin::gis
