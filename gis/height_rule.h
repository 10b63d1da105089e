#pragma once
// The building height rule of the park manifest: an explicit height, else storeys times a
// storey height, else a default. OSM writes heights as free text, so parsing is lenient.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/park.h"

namespace parktwin::gis {

struct HeightRule {
    std::string heightAttribute = "height";
    std::string levelsAttribute = "building:levels";
    double storeyHeight_m = 3.0;
    double defaultHeight_m = 9.0;
};

struct HeightDecision {
    double height_m = 0;
    HeightSource source = HeightSource::Default;
};

/// Parses a length as OSM writes it ("12", "12.5", "12 m", "12,5 m", "40 ft", "40'");
/// returns metres, or nothing when the text is not a positive length.
std::optional<double> parseLength_m(std::string_view text);

/// Parses a storey count ("4", "2.5", "3;4" takes the first); returns storeys, or nothing
/// when the text is not a positive number.
std::optional<double> parseLevels(std::string_view text);

/// Applies the rule to one feature; `attribute` returns an attribute's text, or nothing.
/// Returns the height in metres and the rule that gave it.
HeightDecision decideHeight(
    const HeightRule& rule,
    const std::function<std::optional<std::string>(const std::string&)>& attribute);

} // namespace parktwin::gis
