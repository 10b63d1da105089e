#pragma once
// Spatial references and transformations for the gis layer. Every spatial reference made
// here uses the traditional GIS axis order (longitude/easting first), whatever the EPSG
// definition says, so geographic coordinates are always longitude, latitude.

#include <memory>
#include <string>

#include <ogr_spatialref.h>

namespace parktwin::gis {

/// Parses any CRS definition PROJ knows ("EPSG:32648", a PROJ string, WKT).
/// Returns the spatial reference in traditional GIS axis order; throws InputError naming
/// `file` and `where` when the definition is unknown.
OGRSpatialReference parseCrs(const std::string& definition, const std::string& file,
                             const std::string& where);

/// WGS 84 longitude/latitude (EPSG:4326) in traditional GIS order.
OGRSpatialReference wgs84();

/// The WGS 84 / UTM zone holding (lon, lat) in degrees, as "EPSG:326zz" (north) or
/// "EPSG:327zz" (south). Zones per Snyder (1987), "Map projections: a working manual",
/// p. 57: zone = floor((lon + 180) / 6) + 1; the Norway/Svalbard exceptions are ignored.
std::string utmCrsFor(double lon_deg, double lat_deg);

/// "EPSG:4326 (WGS 84)" or the CRS name alone where it has no authority code.
std::string crsLabel(const OGRSpatialReference& srs);

/// "EPSG:32648" style code of a CRS, or its WKT where it has no authority code.
std::string crsCode(const OGRSpatialReference& srs);

/// Owning handle of a coordinate transformation.
struct TransformDeleter {
    void operator()(OGRCoordinateTransformation* ct) const;
};
using TransformPtr = std::unique_ptr<OGRCoordinateTransformation, TransformDeleter>;

/// Transformation from `source` to `target`; throws InputError naming `file` when PROJ
/// finds no operation between them.
TransformPtr makeTransform(const OGRSpatialReference& source, const OGRSpatialReference& target,
                           const std::string& file);

} // namespace parktwin::gis
