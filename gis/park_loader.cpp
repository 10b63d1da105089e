#include "gis/park_loader.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include <ogr_api.h>
#include <ogr_geometry.h>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "gis/feature_reader.h"
#include "gis/gdal_env.h"
#include "gis/height_rule.h"
#include "gis/park_manifest.h"
#include "gis/spatial_ref.h"
#include "gis/terrain_reader.h"

namespace parktwin::gis {
namespace {

Ring toRing(const OGRLinearRing& ring, const LocalFrame& frame) {
    Ring out;
    const int n = ring.getNumPoints();
    // OGR repeats the first vertex at the end; our rings do not.
    const int last = n > 1 && ring.getX(0) == ring.getX(n - 1) && ring.getY(0) == ring.getY(n - 1)
                         ? n - 1
                         : n;
    out.reserve(static_cast<size_t>(last));
    for (int k = 0; k < last; ++k)
        out.push_back(frame.toLocal(ring.getX(k), ring.getY(k)));
    return out;
}

Polygon toPolygon(const OGRPolygon& polygon, const LocalFrame& frame) {
    Polygon out;
    if (const OGRLinearRing* outer = polygon.getExteriorRing())
        out.outer = toRing(*outer, frame);
    for (int k = 0; k < polygon.getNumInteriorRings(); ++k)
        out.holes.push_back(toRing(*polygon.getInteriorRing(k), frame));
    return out;
}

// Every polygon part of a geometry; other geometry types contribute nothing.
std::vector<Polygon> toPolygons(const OGRGeometry& g, const LocalFrame& frame) {
    std::vector<Polygon> parts;
    const auto type = wkbFlatten(g.getGeometryType());
    if (type == wkbPolygon) {
        parts.push_back(toPolygon(*g.toPolygon(), frame));
    } else if (type == wkbMultiPolygon || type == wkbGeometryCollection) {
        for (const OGRGeometry* member : *g.toGeometryCollection())
            for (Polygon& p : toPolygons(*member, frame))
                parts.push_back(std::move(p));
    }
    return parts;
}

std::vector<std::vector<Vec2>> toLines(const OGRGeometry& g, const LocalFrame& frame) {
    std::vector<std::vector<Vec2>> lines;
    const auto type = wkbFlatten(g.getGeometryType());
    if (type == wkbLineString) {
        const OGRLineString* line = g.toLineString();
        std::vector<Vec2> points;
        for (int k = 0; k < line->getNumPoints(); ++k)
            points.push_back(frame.toLocal(line->getX(k), line->getY(k)));
        lines.push_back(std::move(points));
    } else if (type == wkbMultiLineString || type == wkbGeometryCollection) {
        for (const OGRGeometry* member : *g.toGeometryCollection())
            for (auto& line : toLines(*member, frame))
                lines.push_back(std::move(line));
    }
    return lines;
}

std::optional<Vec2> toPoint(const OGRGeometry& g, const LocalFrame& frame) {
    if (wkbFlatten(g.getGeometryType()) != wkbPoint)
        return std::nullopt;
    const OGRPoint* p = g.toPoint();
    return frame.toLocal(p->getX(), p->getY());
}

std::string partId(const std::string& id, size_t part, size_t parts) {
    return parts > 1 ? id + "#" + std::to_string(part + 1) : id;
}

bool isPlanned(const LayerSpec& spec, const Feature& f) {
    auto status = f.attribute(spec.statusAttribute);
    return status && *status == "planned";
}

std::optional<double> numberAttribute(const Feature& f, const std::string& key) {
    auto text = f.attribute(key);
    if (!text)
        return std::nullopt;
    char* end = nullptr;
    const double value = std::strtod(text->c_str(), &end);
    if (end == text->c_str())
        return std::nullopt;
    return value;
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> items;
    std::string item;
    for (char c : text + ",") {
        if (c == ',' || c == ';') {
            if (!item.empty())
                items.push_back(item);
            item.clear();
        } else if (c != ' ') {
            item += c;
        }
    }
    return items;
}

class ParkBuilder {
public:
    explicit ParkBuilder(ParkManifest manifest) : m_(std::move(manifest)) {}

    ParkModel build() {
        park_.name = m_.name;
        park_.sourceFile = m_.path.string();
        park_.timeZone = m_.timeZone;
        park_.attributions = m_.attributions;

        readBoundaryAndFrame();
        readTerrainOrFlat();
        for (const LayerSpec& spec : m_.layers)
            if (spec.role != LayerRole::Boundary)
                readLayer(spec);
        warnDuplicateBuildingIds();
        return std::move(park_);
    }

private:
    // The CRS and origin come from the boundary, so it is read before any other layer.
    void readBoundaryAndFrame() {
        const std::string file = m_.path.string();
        const OGRSpatialReference lonLat = wgs84();
        std::vector<std::pair<const LayerSpec*, LayerFeatures>> boundaries;
        OGRMultiPolygon all;
        for (const LayerSpec& spec : m_.layers) {
            if (spec.role != LayerRole::Boundary)
                continue;
            LayerFeatures read = readFeatures(spec, lonLat);
            park_.stats.skippedFeatures += read.skipped;
            for (const Feature& f : read.features)
                addPolygons(*f.geometry, all);
            boundaries.emplace_back(&spec, std::move(read));
        }
        if (all.IsEmpty())
            throw InputError(file, "boundary", "the boundary layers hold no polygon");

        OGRPoint centre;
        all.Centroid(&centre);
        std::string crs = m_.crs;
        if (crs == "auto")
            crs = utmCrsFor(centre.getX(), centre.getY());
        target_ = parseCrs(crs, file, "crs");
        if (!target_.IsProjected())
            throw InputError(file, "crs",
                             "expected a projected CRS in metres, found " + crsLabel(target_));
        // Local coordinates are metres; a CRS in feet would scale the whole park by 0.3048.
        const char* unit = nullptr;
        const double unit_m = target_.GetLinearUnits(&unit);
        if (std::abs(unit_m - 1.0) > 1e-12)
            throw InputError(file, "crs",
                             fmt::format("expected a projected CRS in metres, found {} whose "
                                         "linear unit is the {} ({} m)",
                                         crsLabel(target_), unit ? unit : "unnamed unit",
                                         unit_m));
        warnOutsideAreaOfUse(centre.getX(), centre.getY());
        TransformPtr toTarget = makeTransform(lonLat, target_, file);

        OGREnvelope box;
        for (auto& [spec, read] : boundaries)
            for (Feature& f : read.features) {
                if (f.geometry->transform(toTarget.get()) != OGRERR_NONE)
                    throw InputError(spec->file.string(), "feature " + f.id,
                                     "cannot reproject into " + crsLabel(target_));
                OGREnvelope e;
                f.geometry->getEnvelope(&e);
                box.Merge(e);
            }

        park_.frame.crs = crsCode(target_);
        park_.frame.crsName = target_.GetName() ? target_.GetName() : "";
        park_.frame.originEasting = std::round((box.MinX + box.MaxX) / 2);
        park_.frame.originNorthing = std::round((box.MinY + box.MaxY) / 2);
        const double margin = m_.extentMargin_m;
        park_.extent.expand(park_.frame.toLocal(box.MinX - margin, box.MinY - margin));
        park_.extent.expand(park_.frame.toLocal(box.MaxX + margin, box.MaxY + margin));

        for (auto& [spec, read] : boundaries)
            addAreas(*spec, read, park_.boundary);
    }

    // A CRS used far outside its area of use distorts distances; the park still loads.
    void warnOutsideAreaOfUse(double lon_deg, double lat_deg) const {
        double west = 0, south = 0, east = 0, north = 0;
        const char* area = nullptr;
        if (!target_.GetAreaOfUse(&west, &south, &east, &north, &area) || west == -1000)
            return;
        // West > east when the area crosses the antimeridian.
        const bool inLon = west <= east ? lon_deg >= west && lon_deg <= east
                                        : lon_deg >= west || lon_deg <= east;
        if (inLon && lat_deg >= south && lat_deg <= north)
            return;
        log::get("gis").warn("{}: crs: the park's centroid ({:.4f}, {:.4f}) lies outside the "
                             "area of use of {}: {} (lon {}..{}, lat {}..{}); distances may be "
                             "distorted",
                             m_.path.string(), lon_deg, lat_deg, crsLabel(target_),
                             area ? area : "unnamed area", west, east, south, north);
    }

    // Duplicate building ids are legal (OSM extracts repeat them) but worth a warning.
    void warnDuplicateBuildingIds() const {
        std::set<std::string> seen;
        int duplicates = 0;
        std::string first;
        for (const Building& b : park_.buildings)
            if (!seen.insert(b.id).second && duplicates++ == 0)
                first = b.id;
        if (duplicates)
            log::get("gis").warn(
                "{}: {} building(s) reuse the id of an earlier one (first: {})",
                m_.path.string(), duplicates, first);
    }

    static void addPolygons(const OGRGeometry& g, OGRMultiPolygon& into) {
        const auto type = wkbFlatten(g.getGeometryType());
        if (type == wkbPolygon)
            into.addGeometry(&g);
        else if (type == wkbMultiPolygon || type == wkbGeometryCollection)
            for (const OGRGeometry* member : *g.toGeometryCollection())
                addPolygons(*member, into);
    }

    void readTerrainOrFlat() {
        if (m_.terrain.flatElevation_m) {
            park_.terrain.flatElevation_m = *m_.terrain.flatElevation_m;
            log::get("gis").info("terrain: flat at {} m", park_.terrain.flatElevation_m);
            return;
        }
        // Checked here as well as in readTerrain so that the message names the manifest.
        if (!(terrainNodeCount(park_.extent, m_.terrain.spacing_m) <= kMaxTerrainNodes))
            throw InputError(m_.path.string(), "terrain.spacing_m",
                             terrainTooLargeText(park_.extent, m_.terrain.spacing_m) +
                                 " (raise terrain.spacing_m or lower extent_margin_m)");
        park_.terrain = readTerrain(m_.terrain.file, park_.frame, park_.extent,
                                    m_.terrain.spacing_m);
    }

    void readLayer(const LayerSpec& spec) {
        LayerFeatures read = readFeatures(spec, target_);
        park_.stats.skippedFeatures += read.skipped;
        switch (spec.role) {
        case LayerRole::Boundary:
            break;
        case LayerRole::Area:
            addAreas(spec, read, park_.areas);
            break;
        case LayerRole::Buildings:
            addBuildings(spec, read);
            break;
        case LayerRole::Roads:
            addRoads(spec, read);
            break;
        case LayerRole::Stacks:
            addStacks(spec, read);
            break;
        case LayerRole::Sensors:
            addSensors(spec, read);
            break;
        case LayerRole::Sensitive:
            addSensitiveSites(spec, read);
            break;
        }
    }

    void logLayer(const LayerSpec& spec, const LayerFeatures& read, const std::string& extra) {
        log::get("gis").info("layer {} ({}): {}: {} features{}, {}{}", spec.name,
                             roleName(spec.role), spec.file.string(), read.features.size(),
                             read.skipped ? " (" + std::to_string(read.skipped) + " skipped)"
                                          : std::string(),
                             read.sourceCrs, extra);
    }

    void addAreas(const LayerSpec& spec, LayerFeatures& read, std::vector<Area>& into) {
        logLayer(spec, read, spec.dissolve ? ", dissolved into one area" : "");
        if (spec.dissolve) {
            OGRMultiPolygon all;
            for (const Feature& f : read.features)
                addPolygons(*f.geometry, all);
            std::unique_ptr<OGRGeometry> merged(all.UnionCascaded());
            if (!merged)
                throw InputError(spec.file.string(), "layer \"" + spec.name + "\"",
                                 "the polygons could not be dissolved");
            Area area;
            area.id = spec.name;
            area.name = spec.areaName;
            area.kind = spec.kind;
            area.layer = spec.name;
            area.parts = toPolygons(*merged, park_.frame);
            into.push_back(std::move(area));
            return;
        }
        for (const Feature& f : read.features) {
            Area area;
            area.id = f.id;
            area.name = f.attribute(spec.nameAttribute).value_or("");
            area.kind = spec.kind;
            area.layer = spec.name;
            area.parts = toPolygons(*f.geometry, park_.frame);
            if (area.parts.empty()) {
                log::get("gis").warn("{}: feature {}: skipped: not a polygon",
                                     spec.file.string(), f.id);
                ++park_.stats.skippedFeatures;
                continue;
            }
            into.push_back(std::move(area));
        }
    }

    void addBuildings(const LayerSpec& spec, const LayerFeatures& read) {
        const HeightRule rule{spec.heightAttribute, spec.levelsAttribute, spec.storeyHeight_m,
                              spec.defaultHeight_m};
        int byHeight = 0, byLevels = 0, byDefault = 0, planned = 0;
        for (const Feature& f : read.features) {
            const std::vector<Polygon> parts = toPolygons(*f.geometry, park_.frame);
            if (parts.empty()) {
                log::get("gis").warn("{}: feature {}: skipped: not a polygon",
                                     spec.file.string(), f.id);
                ++park_.stats.skippedFeatures;
                continue;
            }
            const HeightDecision h =
                decideHeight(rule, [&](const std::string& key) { return f.attribute(key); });
            for (size_t k = 0; k < parts.size(); ++k) {
                Building b;
                b.id = partId(f.id, k, parts.size());
                b.name = f.attribute(spec.nameAttribute).value_or("");
                b.use = f.attribute(spec.useAttribute).value_or("");
                b.footprint = parts[k];
                b.height_m = h.height_m;
                b.heightSource = h.source;
                b.baseElevation_m = park_.terrain.heightAt(centroid(b.footprint.outer));
                b.planned = isPlanned(spec, f);
                if (b.planned) {
                    b.note = f.attribute(spec.noteAttribute).value_or("");
                    ++planned;
                }
                byHeight += h.source == HeightSource::HeightAttribute;
                byLevels += h.source == HeightSource::Levels;
                byDefault += h.source == HeightSource::Default;
                park_.buildings.push_back(std::move(b));
            }
        }
        park_.stats.buildingsWithHeight += byHeight;
        park_.stats.buildingsWithLevels += byLevels;
        park_.stats.buildingsWithDefault += byDefault;
        logLayer(spec, read,
                 "; heights: " + std::to_string(byHeight) + " from " + spec.heightAttribute +
                     ", " + std::to_string(byLevels) + " from " + spec.levelsAttribute + " x " +
                     fmt::format("{}", spec.storeyHeight_m) + " m, " +
                     std::to_string(byDefault) + " default " +
                     fmt::format("{}", spec.defaultHeight_m) + " m" +
                     (planned ? "; " + std::to_string(planned) + " planned" : ""));
    }

    void addRoads(const LayerSpec& spec, const LayerFeatures& read) {
        for (const Feature& f : read.features) {
            auto lines = toLines(*f.geometry, park_.frame);
            if (lines.empty()) {
                log::get("gis").warn("{}: feature {}: skipped: not a line", spec.file.string(),
                                     f.id);
                ++park_.stats.skippedFeatures;
                continue;
            }
            const std::string oneway = f.attribute(spec.onewayAttribute).value_or("no");
            for (size_t k = 0; k < lines.size(); ++k) {
                Road r;
                r.id = partId(f.id, k, lines.size());
                r.name = f.attribute(spec.nameAttribute).value_or("");
                r.roadClass = f.attribute(spec.classAttribute).value_or("");
                r.line = std::move(lines[k]);
                r.oneway = oneway == "yes" || oneway == "true" || oneway == "1" ||
                           oneway == "-1";
                r.planned = isPlanned(spec, f);
                if (r.planned)
                    r.note = f.attribute(spec.noteAttribute).value_or("");
                park_.roads.push_back(std::move(r));
            }
        }
        logLayer(spec, read, "");
    }

    void addStacks(const LayerSpec& spec, const LayerFeatures& read) {
        const std::string file = spec.file.string();
        for (const Feature& f : read.features) {
            auto position = toPoint(*f.geometry, park_.frame);
            if (!position)
                throw InputError(file, "feature " + f.id, "a stack must be a Point");
            auto height = f.attribute(spec.heightAttribute);
            auto height_m = height ? parseLength_m(*height) : std::nullopt;
            if (!height_m || !(*height_m > 0))
                throw InputError(file, "feature " + f.id,
                                 "expected a stack height > 0 m in " + spec.heightAttribute +
                                     ", found \"" + height.value_or("") + "\"");
            auto [seen, fresh] = stackFiles_.emplace(f.id, file);
            if (!fresh)
                throw InputError(file, "feature " + f.id,
                                 "duplicate stack id \"" + f.id + "\" (first in " +
                                     seen->second + ")");
            Stack s;
            s.id = f.id;
            s.name = f.attribute(spec.nameAttribute).value_or("");
            s.position = *position;
            s.baseElevation_m = park_.terrain.heightAt(s.position);
            s.height_m = *height_m;
            // A 0 m diameter or 0 K exit temperature would make the plume rise of Briggs
            // (1975) divide by zero; a zero exit velocity is a real (if odd) stack.
            s.diameter_m = stackNumber(spec, f, spec.diameterAttribute, "diameter", "m", false);
            s.exitVelocity_ms =
                stackNumber(spec, f, spec.exitVelocityAttribute, "exit velocity", "m/s", true);
            s.exitTemperature_K = stackNumber(spec, f, spec.exitTemperatureAttribute,
                                              "exit temperature", "K", false);
            s.planned = isPlanned(spec, f);
            if (s.planned)
                s.note = f.attribute(spec.noteAttribute).value_or("");
            park_.stacks.push_back(std::move(s));
        }
        logLayer(spec, read, "");
    }

    // The attribute `key` of stack `f` as a finite number, > 0 (or >= 0 where `zeroOk`);
    // throws InputError naming the layer file, the feature and the attribute otherwise.
    static double stackNumber(const LayerSpec& spec, const Feature& f, const std::string& key,
                              const char* what, const char* unit, bool zeroOk) {
        const auto value = numberAttribute(f, key);
        if (value && std::isfinite(*value) && (zeroOk ? *value >= 0 : *value > 0))
            return *value;
        const auto text = f.attribute(key);
        throw InputError(spec.file.string(), "feature " + f.id,
                         fmt::format("expected a stack {} {} 0 {} in {}, found {}", what,
                                     zeroOk ? ">=" : ">", unit, key,
                                     text ? "\"" + *text + "\"" : "nothing"));
    }

    void addSensors(const LayerSpec& spec, const LayerFeatures& read) {
        for (const Feature& f : read.features) {
            auto position = toPoint(*f.geometry, park_.frame);
            if (!position)
                throw InputError(spec.file.string(), "feature " + f.id,
                                 "a sensor must be a Point");
            Sensor s;
            s.id = f.id;
            s.name = f.attribute(spec.nameAttribute).value_or("");
            s.position = *position;
            auto height = f.attribute(spec.heightAttribute);
            s.height_m = height ? parseLength_m(*height).value_or(spec.sensorHeight_m)
                                : spec.sensorHeight_m;
            s.parameters = splitList(f.attribute(spec.parametersAttribute).value_or(""));
            park_.sensors.push_back(std::move(s));
        }
        logLayer(spec, read, "");
    }

    // A school or hospital mapped as an area is taken at a point inside it (OGR's point on
    // surface, which unlike the centroid cannot fall outside a concave outline).
    void addSensitiveSites(const LayerSpec& spec, const LayerFeatures& read) {
        for (const Feature& f : read.features) {
            Vec2 position;
            if (auto point = toPoint(*f.geometry, park_.frame)) {
                position = *point;
            } else {
                std::unique_ptr<OGRGeometry> inside(OGRGeometry::FromHandle(
                    OGR_G_PointOnSurface(OGRGeometry::ToHandle(f.geometry.get()))));
                auto onSurface = inside ? toPoint(*inside, park_.frame) : std::nullopt;
                if (!onSurface)
                    throw InputError(spec.file.string(), "feature " + f.id,
                                     "a sensitive site must be a point or an area");
                position = *onSurface;
            }
            SensitiveSite site;
            site.id = f.id;
            site.name = f.attribute(spec.nameAttribute).value_or("");
            site.kind = !spec.kind.empty()
                            ? spec.kind
                            : f.attribute(spec.kindAttribute).value_or("unspecified");
            site.layer = spec.name;
            site.position = position;
            park_.sensitiveSites.push_back(std::move(site));
        }
        logLayer(spec, read, "");
    }

    ParkManifest m_;
    ParkModel park_;
    OGRSpatialReference target_;
    std::map<std::string, std::string> stackFiles_; ///< stack id -> file it was first read in
};

} // namespace

ParkModel loadPark(const std::filesystem::path& manifest) {
    ensureGdal();
    const auto start = std::chrono::steady_clock::now();
    ParkModel park = ParkBuilder(readManifest(manifest)).build();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    log::get("gis").info("park \"{}\" loaded in {:.2f} s: {} boundary polygons, {} areas, "
                         "{} buildings, {} roads, {} stacks, {} sensors, CRS {}",
                         park.name, seconds, park.boundary.size(), park.areas.size(),
                         park.buildings.size(), park.roads.size(), park.stacks.size(),
                         park.sensors.size(), park.frame.crs);
    return park;
}

} // namespace parktwin::gis
