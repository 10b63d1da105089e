#include "gis/contours.h"

#include <cmath>
#include <memory>
#include <string>

#include <gdal_alg.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <spdlog/fmt/fmt.h>

#include "engine/core/error.h"
#include "gis/gdal_env.h"

namespace parktwin::gis {
namespace {

constexpr double kNodata = -9999.0;

struct GdalClose {
    void operator()(GDALDataset* d) const { GDALClose(d); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, GdalClose>;

// The grid as an in-memory raster, north-up, georeferenced in the park CRS.
DatasetPtr memRaster(const RasterGrid& grid, const LocalFrame& frame) {
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    DatasetPtr ds(mem->Create("", grid.nx, grid.ny, 1, GDT_Float64, nullptr));
    if (!ds)
        throw Error("contours: cannot create an in-memory raster: " + takeGdalError());
    const Vec2 topLeft =
        frame.toProjected({grid.x0 - grid.dx / 2, grid.y0 + (grid.ny - 0.5) * grid.dy});
    double gt[6] = {topLeft.x, grid.dx, 0.0, topLeft.y, 0.0, -grid.dy};
    ds->SetGeoTransform(gt);
    std::vector<double> rows(grid.size());
    for (int r = 0; r < grid.ny; ++r)
        for (int i = 0; i < grid.nx; ++i) {
            const double v = grid.at(i, grid.ny - 1 - r);
            rows[static_cast<size_t>(r) * grid.nx + i] = std::isnan(v) ? kNodata : v;
        }
    GDALRasterBand* band = ds->GetRasterBand(1);
    band->SetNoDataValue(kNodata);
    if (band->RasterIO(GF_Write, 0, 0, grid.nx, grid.ny, rows.data(), grid.nx, grid.ny,
                       GDT_Float64, 0, 0, nullptr) != CE_None)
        throw Error("contours: cannot fill the in-memory raster: " + takeGdalError());
    return ds;
}

void collect(const OGRGeometry& g, double level, std::vector<ContourLine>& out) {
    const auto type = wkbFlatten(g.getGeometryType());
    if (type == wkbLineString) {
        ContourLine line;
        line.level = level;
        const OGRLineString* ls = g.toLineString();
        for (int k = 0; k < ls->getNumPoints(); ++k)
            line.points.push_back({ls->getX(k), ls->getY(k)});
        out.push_back(std::move(line));
    } else if (type == wkbMultiLineString) {
        for (const OGRGeometry* part : *g.toGeometryCollection())
            collect(*part, level, out);
    }
}

} // namespace

std::vector<ContourLine> contourLines(const RasterGrid& grid, const LocalFrame& frame,
                                      const std::vector<double>& levels) {
    ensureGdal();
    std::vector<ContourLine> out;
    if (levels.empty() || grid.nx < 2 || grid.ny < 2)
        return out;
    DatasetPtr raster = memRaster(grid, frame);

    GDALDriver* memVector = GetGDALDriverManager()->GetDriverByName("Memory");
    DatasetPtr vector(memVector->Create("", 0, 0, 0, GDT_Unknown, nullptr));
    OGRLayer* layer = vector->CreateLayer("contours", nullptr, wkbLineString, nullptr);
    OGRFieldDefn id("id", OFTInteger);
    OGRFieldDefn level("level", OFTReal);
    layer->CreateField(&id);
    layer->CreateField(&level);

    std::string fixed = "FIXED_LEVELS=";
    for (size_t k = 0; k < levels.size(); ++k) {
        if (k > 0)
            fixed += ',';
        fixed += fmt::format("{:.17g}", levels[k]);
    }
    char** options = nullptr;
    options = CSLAddString(options, fixed.c_str());
    options = CSLAddString(options, fmt::format("NODATA={:g}", kNodata).c_str());
    options = CSLAddString(options, "ID_FIELD=0");
    options = CSLAddString(options, "ELEV_FIELD=1");
    clearGdalError();
    const CPLErr err = GDALContourGenerateEx(raster->GetRasterBand(1), layer, options, nullptr,
                                             nullptr);
    CSLDestroy(options);
    if (err != CE_None)
        throw Error("contours: GDALContourGenerateEx failed: " + takeGdalError());

    layer->ResetReading();
    for (auto& feature : *layer)
        if (const OGRGeometry* g = feature->GetGeometryRef())
            collect(*g, feature->GetFieldAsDouble(1), out);
    return out;
}

} // namespace parktwin::gis
