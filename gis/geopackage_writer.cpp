#include "gis/geopackage_writer.h"

#include <cmath>
#include <memory>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "gis/gdal_env.h"
#include "gis/spatial_ref.h"

namespace parktwin::gis {
namespace {

struct GdalClose {
    void operator()(GDALDataset* d) const { GDALClose(d); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, GdalClose>;

class LayerWriter {
public:
    LayerWriter(GDALDataset& ds, const std::string& name, OGRwkbGeometryType type,
                const OGRSpatialReference& srs, const std::string& file)
        : file_(file), name_(name) {
        // GDAL 3.6 takes a non-const reference it only reads (and clones).
        layer_ = ds.CreateLayer(name.c_str(), const_cast<OGRSpatialReference*>(&srs), type,
                                nullptr);
        if (!layer_)
            throw Error(file + ": cannot create layer " + name + ": " + takeGdalError());
    }

    void addField(const std::string& name, OGRFieldType type) {
        OGRFieldDefn field(name.c_str(), type);
        if (layer_->CreateField(&field) != OGRERR_NONE)
            throw Error(file_ + ": cannot create field " + name_ + "." + name + ": " +
                        takeGdalError());
    }

    OGRFeature* feature() { return OGRFeature::CreateFeature(layer_->GetLayerDefn()); }

    void add(OGRFeature* f, OGRGeometry* g) {
        f->SetGeometryDirectly(g);
        const OGRErr err = layer_->CreateFeature(f);
        OGRFeature::DestroyFeature(f);
        if (err != OGRERR_NONE)
            throw Error(file_ + ": cannot write a feature of " + name_ + ": " + takeGdalError());
    }

private:
    OGRLayer* layer_ = nullptr;
    std::string file_;
    std::string name_;
};

OGRLinearRing* ring(const Ring& r, const LocalFrame& frame) {
    auto* out = new OGRLinearRing;
    for (const Vec2& p : r) {
        const Vec2 q = frame.toProjected(p);
        out->addPoint(q.x, q.y);
    }
    if (!r.empty())
        out->closeRings();
    return out;
}

OGRGeometry* multiPolygon(const std::vector<Polygon>& parts, const LocalFrame& frame) {
    auto* mp = new OGRMultiPolygon;
    for (const Polygon& part : parts) {
        OGRPolygon poly;
        poly.addRingDirectly(ring(part.outer, frame));
        for (const Ring& hole : part.holes)
            poly.addRingDirectly(ring(hole, frame));
        mp->addGeometry(&poly);
    }
    return mp;
}

OGRPoint* point(Vec2 local, const LocalFrame& frame) {
    const Vec2 q = frame.toProjected(local);
    return new OGRPoint(q.x, q.y);
}

void writeAreas(GDALDataset& ds, const std::string& name, const std::vector<Area>& areas,
                const OGRSpatialReference& srs, const LocalFrame& frame,
                const std::string& file) {
    LayerWriter w(ds, name, wkbMultiPolygon, srs, file);
    for (const char* f : {"id", "name", "kind", "layer"})
        w.addField(f, OFTString);
    for (const Area& a : areas) {
        OGRFeature* f = w.feature();
        f->SetField("id", a.id.c_str());
        f->SetField("name", a.name.c_str());
        f->SetField("kind", a.kind.c_str());
        f->SetField("layer", a.layer.c_str());
        w.add(f, multiPolygon(a.parts, frame));
    }
}

void writePark(GDALDataset& ds, const ParkModel& park, const OGRSpatialReference& srs,
               const std::string& file) {
    const LocalFrame& frame = park.frame;
    writeAreas(ds, "park_boundary", park.boundary, srs, frame, file);
    writeAreas(ds, "areas", park.areas, srs, frame, file);

    LayerWriter b(ds, "buildings", wkbMultiPolygon, srs, file);
    for (const char* f : {"id", "name", "use", "note"})
        b.addField(f, OFTString);
    b.addField("height_m", OFTReal);
    b.addField("planned", OFTInteger);
    for (const Building& x : park.buildings) {
        OGRFeature* f = b.feature();
        f->SetField("id", x.id.c_str());
        f->SetField("name", x.name.c_str());
        f->SetField("use", x.use.c_str());
        f->SetField("note", x.note.c_str());
        f->SetField("height_m", x.height_m);
        f->SetField("planned", x.planned ? 1 : 0);
        b.add(f, multiPolygon({x.footprint}, frame));
    }

    LayerWriter r(ds, "roads", wkbLineString, srs, file);
    for (const char* f : {"id", "name", "class"})
        r.addField(f, OFTString);
    for (const Road& x : park.roads) {
        OGRFeature* f = r.feature();
        f->SetField("id", x.id.c_str());
        f->SetField("name", x.name.c_str());
        f->SetField("class", x.roadClass.c_str());
        auto* line = new OGRLineString;
        for (const Vec2& p : x.line) {
            const Vec2 q = frame.toProjected(p);
            line->addPoint(q.x, q.y);
        }
        r.add(f, line);
    }

    LayerWriter s(ds, "stacks", wkbPoint, srs, file);
    for (const char* f : {"id", "name"})
        s.addField(f, OFTString);
    for (const char* f : {"height_m", "diameter_m", "exit_velocity_ms", "exit_temperature_K",
                          "base_elevation_m"})
        s.addField(f, OFTReal);
    for (const Stack& x : park.stacks) {
        OGRFeature* f = s.feature();
        f->SetField("id", x.id.c_str());
        f->SetField("name", x.name.c_str());
        f->SetField("height_m", x.height_m);
        f->SetField("diameter_m", x.diameter_m);
        f->SetField("exit_velocity_ms", x.exitVelocity_ms);
        f->SetField("exit_temperature_K", x.exitTemperature_K);
        f->SetField("base_elevation_m", x.baseElevation_m);
        s.add(f, point(x.position, frame));
    }
}

void writeRaster(const std::string& file, const std::string& table, const RasterGrid& grid,
                 const LocalFrame& frame, const OGRSpatialReference& srs) {
    constexpr double kNodata = -9999.0;
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    DatasetPtr src(mem->Create("", grid.nx, grid.ny, 1, GDT_Float32, nullptr));
    const Vec2 topLeft =
        frame.toProjected({grid.x0 - grid.dx / 2, grid.y0 + (grid.ny - 0.5) * grid.dy});
    double gt[6] = {topLeft.x, grid.dx, 0.0, topLeft.y, 0.0, -grid.dy};
    src->SetGeoTransform(gt);
    src->SetSpatialRef(&srs);
    std::vector<float> rows(grid.size());
    for (int r = 0; r < grid.ny; ++r)
        for (int i = 0; i < grid.nx; ++i) {
            const double v = grid.at(i, grid.ny - 1 - r);
            rows[static_cast<size_t>(r) * grid.nx + i] =
                static_cast<float>(std::isnan(v) ? kNodata : v);
        }
    GDALRasterBand* band = src->GetRasterBand(1);
    band->SetNoDataValue(kNodata);
    if (band->RasterIO(GF_Write, 0, 0, grid.nx, grid.ny, rows.data(), grid.nx, grid.ny,
                       GDT_Float32, 0, 0, nullptr) != CE_None)
        throw Error(file + ": cannot prepare raster " + table + ": " + takeGdalError());

    // Float32 values go into a GeoPackage as a tiled gridded coverage with TIFF tiles
    // (OGC GeoPackage Tiled Gridded Coverage extension), beside the vector layers.
    char** options = nullptr;
    options = CSLSetNameValue(options, "APPEND_SUBDATASET", "YES");
    options = CSLSetNameValue(options, "RASTER_TABLE", table.c_str());
    options = CSLSetNameValue(options, "TILE_FORMAT", "TIFF");
    GDALDriver* gpkg = GetGDALDriverManager()->GetDriverByName("GPKG");
    clearGdalError();
    DatasetPtr out(gpkg->CreateCopy(file.c_str(), src.get(), FALSE, options, nullptr, nullptr));
    CSLDestroy(options);
    if (!out)
        throw Error(file + ": cannot write raster " + table + ": " + takeGdalError());
}

} // namespace

void writeGeoPackage(const std::filesystem::path& path, const GeoPackageContent& content,
                     const LocalFrame& frame) {
    ensureGdal();
    const std::string file = path.string();
    const OGRSpatialReference srs = parseCrs(frame.crs, file, "park CRS");
    std::error_code ec;
    std::filesystem::remove(path, ec);

    GDALDriver* gpkg = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!gpkg)
        throw Error(file + ": GDAL has no GPKG driver");
    clearGdalError();
    {
        DatasetPtr ds(gpkg->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds)
            throw Error(file + ": cannot create GeoPackage: " + takeGdalError());

        LayerWriter rec(*ds, "receptors", wkbPoint, srs, file);
        for (const char* f : {"id", "name", "kind", "layer"})
            rec.addField(f, OFTString);
        for (const std::string& f : content.valueFields)
            rec.addField(f, OFTReal);
        for (const ReceptorRecord& r : content.receptors) {
            OGRFeature* f = rec.feature();
            f->SetField("id", r.id.c_str());
            f->SetField("name", r.name.c_str());
            f->SetField("kind", r.kind.c_str());
            f->SetField("layer", r.layer.c_str());
            for (size_t k = 0; k < content.valueFields.size() && k < r.values.size(); ++k) {
                if (std::isnan(r.values[k]))
                    f->SetFieldNull(f->GetFieldIndex(content.valueFields[k].c_str()));
                else
                    f->SetField(content.valueFields[k].c_str(), r.values[k]);
            }
            rec.add(f, point(r.position, frame));
        }

        LayerWriter con(*ds, "contours", wkbLineString, srs, file);
        for (const char* f : {"grid", "period", "component"})
            con.addField(f, OFTString);
        con.addField("level_ugm3", OFTReal);
        con.addField("is_limit", OFTInteger);
        for (const ContourRecord& c : content.contours) {
            OGRFeature* f = con.feature();
            f->SetField("grid", c.grid.c_str());
            f->SetField("period", c.period.c_str());
            f->SetField("component", c.component.c_str());
            f->SetField("level_ugm3", c.line.level);
            f->SetField("is_limit", c.limit ? 1 : 0);
            auto* line = new OGRLineString;
            for (const Vec2& p : c.line.points)
                line->addPoint(p.x, p.y);
            con.add(f, line);
        }

        if (content.park)
            writePark(*ds, *content.park, srs, file);
    }
    if (std::string failure = takeGdalError(); !failure.empty())
        throw Error(file + ": writing the GeoPackage failed: " + failure);
    for (const auto& [table, grid] : content.rasters)
        writeRaster(file, table, grid, frame, srs);
    log::get("gis").info("wrote {}: {} receptors, {} contour lines, {} rasters", file,
                         content.receptors.size(), content.contours.size(),
                         content.rasters.size());
}

} // namespace parktwin::gis
