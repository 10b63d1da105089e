#include "gis/feature_reader.h"

#include <filesystem>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "gis/gdal_env.h"
#include "gis/spatial_ref.h"

namespace parktwin::gis {
namespace {

struct DatasetCloser {
    void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

// Reads a double-quoted hstore token starting at text[pos] == '"'; advances pos past it.
std::optional<std::string> quoted(std::string_view text, size_t& pos) {
    if (pos >= text.size() || text[pos] != '"')
        return std::nullopt;
    std::string out;
    for (++pos; pos < text.size(); ++pos) {
        const char c = text[pos];
        if (c == '\\' && pos + 1 < text.size()) {
            out += text[++pos];
        } else if (c == '"') {
            ++pos;
            return out;
        } else {
            out += c;
        }
    }
    return std::nullopt;
}

void skipSpaces(std::string_view text, size_t& pos) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == ','))
        ++pos;
}

std::string featureId(const LayerSpec& spec, OGRFeature& f) {
    auto fieldText = [&](const char* name) -> std::string {
        const int k = f.GetFieldIndex(name);
        if (k < 0 || !f.IsFieldSetAndNotNull(k))
            return {};
        return f.GetFieldAsString(k);
    };
    if (!spec.idAttribute.empty()) {
        std::string id = fieldText(spec.idAttribute.c_str());
        if (!id.empty())
            return id;
    } else {
        for (const char* name : {"id", "osm_id", "osm_way_id"}) {
            std::string id = fieldText(name);
            if (!id.empty())
                return id;
        }
    }
    return "fid " + std::to_string(f.GetFID());
}

bool isPolygonal(const OGRGeometry& g) {
    const auto type = wkbFlatten(g.getGeometryType());
    return type == wkbPolygon || type == wkbMultiPolygon;
}

// Why a geometry cannot be used, or empty when it can.
std::string geometryProblem(const OGRGeometry* g) {
    if (!g)
        return "no geometry";
    if (g->IsEmpty())
        return "empty geometry";
    if (isPolygonal(*g) && !g->IsValid())
        return "invalid polygon (unclosed ring, too few vertices or self-intersection)";
    return {};
}

} // namespace

std::optional<std::string> Feature::attribute(const std::string& key) const {
    auto it = attributes.find(key);
    if (it == attributes.end() || it->second.empty())
        return std::nullopt;
    return it->second;
}

std::map<std::string, std::string> parseHstore(std::string_view text) {
    std::map<std::string, std::string> tags;
    size_t pos = 0;
    while (true) {
        skipSpaces(text, pos);
        auto key = quoted(text, pos);
        if (!key)
            break;
        skipSpaces(text, pos);
        if (text.substr(pos, 2) != "=>")
            break;
        pos += 2;
        skipSpaces(text, pos);
        auto value = quoted(text, pos);
        if (!value)
            break;
        tags.emplace(std::move(*key), std::move(*value));
    }
    return tags;
}

LayerFeatures readFeatures(const LayerSpec& spec, const OGRSpatialReference& target) {
    ensureGdal();
    const std::string file = spec.file.string();
    const std::string layerWhere = "layer \"" + spec.name + "\"";
    if (!std::filesystem::exists(spec.file))
        throw InputError(file, layerWhere, "layer file not found");

    clearGdalError();
    DatasetPtr ds(static_cast<GDALDataset*>(
        GDALOpenEx(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
    if (!ds) {
        // GDAL says nothing when no driver recognises the file.
        std::string reason = takeGdalError();
        if (reason.empty())
            reason = "GDAL found no vector driver for it";
        throw InputError(file, layerWhere, "cannot be read as a vector file: " + reason);
    }

    OGRLayer* layer = spec.ogrLayer.empty() ? ds->GetLayer(0)
                                            : ds->GetLayerByName(spec.ogrLayer.c_str());
    if (!layer)
        throw InputError(file, layerWhere,
                         "no OGR layer \"" + spec.ogrLayer + "\" in the file (it has " +
                             std::to_string(ds->GetLayerCount()) + " layers)");
    if (!spec.where.empty()) {
        clearGdalError();
        if (layer->SetAttributeFilter(spec.where.c_str()) != OGRERR_NONE)
            throw InputError(file, layerWhere + " where",
                             "bad filter \"" + spec.where + "\": " + takeGdalError());
    }

    OGRSpatialReference source;
    if (!spec.crs.empty()) {
        source = parseCrs(spec.crs, file, layerWhere + " crs");
    } else if (const OGRSpatialReference* own = layer->GetSpatialRef()) {
        source = *own;
        source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    } else {
        throw InputError(file, layerWhere,
                         "the file carries no CRS; give one with crs = \"EPSG:...\"");
    }
    TransformPtr ct = makeTransform(source, target, file);

    LayerFeatures out;
    out.sourceCrs = crsLabel(source);
    const int tagsField = layer->GetLayerDefn()->GetFieldIndex("other_tags");
    auto& logger = log::get("gis");

    layer->ResetReading();
    clearGdalError();
    for (OGRFeature* raw = layer->GetNextFeature(); raw; raw = layer->GetNextFeature()) {
        std::unique_ptr<OGRFeature> f(raw);
        Feature feature;
        feature.id = featureId(spec, *f);

        std::unique_ptr<OGRGeometry> geometry(f->StealGeometry());
        const std::string problem = geometryProblem(geometry.get());
        if (!problem.empty()) {
            logger.warn("{}: feature {}: skipped: {}", file, feature.id, problem);
            ++out.skipped;
            clearGdalError();
            continue;
        }
        clearGdalError();
        if (geometry->transform(ct.get()) != OGRERR_NONE)
            throw InputError(file, "feature " + feature.id,
                             "cannot reproject from " + out.sourceCrs + " to " +
                                 crsLabel(target) + ": " + takeGdalError());
        feature.geometry = std::move(geometry);

        for (int k = 0; k < f->GetFieldCount(); ++k) {
            if (k == tagsField || !f->IsFieldSetAndNotNull(k))
                continue;
            feature.attributes.emplace(f->GetFieldDefnRef(k)->GetNameRef(),
                                       f->GetFieldAsString(k));
        }
        if (tagsField >= 0 && f->IsFieldSetAndNotNull(tagsField))
            for (auto& [key, value] : parseHstore(f->GetFieldAsString(tagsField)))
                feature.attributes.emplace(key, value);
        out.features.push_back(std::move(feature));
    }

    // A reader that stopped on a parse error reports it as a failure, not as the end.
    if (std::string failure = takeGdalError(); !failure.empty())
        throw InputError(file, layerWhere, "reading stopped: " + failure);
    return out;
}

} // namespace parktwin::gis
