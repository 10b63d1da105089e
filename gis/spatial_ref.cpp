#include "gis/spatial_ref.h"

#include <algorithm>
#include <cmath>

#include "engine/core/error.h"
#include "gis/gdal_env.h"

namespace parktwin::gis {

OGRSpatialReference parseCrs(const std::string& definition, const std::string& file,
                             const std::string& where) {
    ensureGdal();
    clearGdalError();
    OGRSpatialReference srs;
    if (definition.empty() || srs.SetFromUserInput(definition.c_str()) != OGRERR_NONE) {
        const std::string detail = takeGdalError();
        throw InputError(file, where,
                         "unknown CRS \"" + definition + "\": PROJ does not know it" +
                             (detail.empty() ? "" : " (" + detail + ")"));
    }
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

OGRSpatialReference wgs84() {
    ensureGdal();
    OGRSpatialReference srs;
    srs.importFromEPSG(4326);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

std::string utmCrsFor(double lon_deg, double lat_deg) {
    int zone = static_cast<int>(std::floor((lon_deg + 180.0) / 6.0)) + 1;
    zone = std::clamp(zone, 1, 60);
    return "EPSG:" + std::to_string((lat_deg >= 0 ? 32600 : 32700) + zone);
}

std::string crsCode(const OGRSpatialReference& srs) {
    const char* authority = srs.GetAuthorityName(nullptr);
    const char* code = srs.GetAuthorityCode(nullptr);
    if (authority && code)
        return std::string(authority) + ":" + code;
    // Fall back to an identified equivalent (GeoJSON files often carry CRS84 or bare WKT).
    OGRSpatialReference copy(srs);
    if (copy.AutoIdentifyEPSG() == OGRERR_NONE) {
        authority = copy.GetAuthorityName(nullptr);
        code = copy.GetAuthorityCode(nullptr);
        if (authority && code)
            return std::string(authority) + ":" + code;
    }
    char* wkt = nullptr;
    srs.exportToWkt(&wkt);
    std::string text = wkt ? wkt : "";
    CPLFree(wkt);
    return text;
}

std::string crsLabel(const OGRSpatialReference& srs) {
    const char* name = srs.GetName();
    const std::string code = crsCode(srs);
    const std::string shown = code.rfind("EPSG:", 0) == 0 || code.rfind("OGC:", 0) == 0
                                  ? code + " (" + (name ? name : "") + ")"
                                  : std::string(name ? name : "unnamed CRS");
    return shown;
}

void TransformDeleter::operator()(OGRCoordinateTransformation* ct) const {
    OGRCoordinateTransformation::DestroyCT(ct);
}

TransformPtr makeTransform(const OGRSpatialReference& source, const OGRSpatialReference& target,
                           const std::string& file) {
    clearGdalError();
    TransformPtr ct(OGRCreateCoordinateTransformation(&source, &target));
    if (!ct)
        throw InputError(file, "CRS",
                         "no transformation from " + crsLabel(source) + " to " +
                             crsLabel(target) + ": " + takeGdalError());
    return ct;
}

} // namespace parktwin::gis
