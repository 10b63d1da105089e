#pragma once
// A run's results as one GeoPackage that QGIS opens as it is: the sensitive receptors with
// their values, contour lines, the park's layers and the result rasters, all in the park CRS.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/park.h"
#include "engine/core/raster.h"
#include "gis/contours.h"

namespace parktwin::gis {

/// A receptor and its values, one per GeoPackageContent::valueFields entry (NaN: null).
struct ReceptorRecord {
    std::string id;
    std::string name;
    std::string kind;
    std::string layer;
    Vec2 position; ///< local frame
    std::vector<double> values;
};

/// A contour line with what it is a contour of.
struct ContourRecord {
    std::string grid;      ///< raster it was drawn on, e.g. "so2_1h_total"
    std::string period;    ///< "1h", "24h", ...
    std::string component; ///< "modelled", "total", ...
    bool limit = false;    ///< drawn at the regulation's limit
    ContourLine line;      ///< level and points in the park CRS
};

struct GeoPackageContent {
    const ParkModel* park = nullptr;      ///< its layers are written; may be null
    std::vector<std::string> valueFields; ///< numeric fields of the receptors layer
    std::vector<ReceptorRecord> receptors;
    std::vector<ContourRecord> contours;
    /// Raster tables (name, grid in the local frame, µg/m³, NaN as nodata).
    std::vector<std::pair<std::string, RasterGrid>> rasters;
};

/// Writes `content` to `path` (replaced if present) with the GDAL GPKG driver: vector layers
/// "receptors" (points), "contours" (lines), "park_boundary", "areas", "buildings", "roads",
/// "stacks", and one Float32 gridded-coverage raster table per entry of `rasters`. Every layer
/// is in `frame.crs`. Throws Error naming the path when GDAL cannot write it.
void writeGeoPackage(const std::filesystem::path& path, const GeoPackageContent& content,
                     const LocalFrame& frame);

} // namespace parktwin::gis
