#pragma once
// Reads the features of one manifest layer with OGR: attribute filter, CRS override,
// reprojection into the park CRS, OSM `other_tags` unpacked, broken geometries skipped.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include "gis/park_manifest.h"

namespace parktwin::gis {

struct Feature {
    std::string id;                        ///< id attribute, OSM id, or the OGR FID
    std::unique_ptr<OGRGeometry> geometry; ///< in the target CRS of readFeatures
    std::map<std::string, std::string> attributes; ///< fields, then OSM tags from other_tags

    /// The attribute's text, or nothing when the feature lacks it or it is empty.
    std::optional<std::string> attribute(const std::string& key) const;
};

struct LayerFeatures {
    std::vector<Feature> features;
    std::string sourceCrs; ///< label of the CRS the file was read in
    int skipped = 0;       ///< features dropped for missing or broken geometry
};

/// Reads every feature of `spec` that passes its filter, reprojected into `target`.
/// Features without geometry or with invalid polygons are skipped with a warning naming
/// the feature. Throws InputError naming the file (and feature) when the file is missing
/// or unreadable, the layer or filter is wrong, the CRS is unknown, or reprojection fails.
LayerFeatures readFeatures(const LayerSpec& spec, const OGRSpatialReference& target);

/// Splits an OSM hstore string ("building:levels"=>"4","height"=>"12") into key/values.
/// Returns what could be parsed; backslash escapes inside quotes are honoured.
std::map<std::string, std::string> parseHstore(std::string_view text);

} // namespace parktwin::gis
