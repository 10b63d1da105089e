#include "gis/terrain_reader.h"

#include <cmath>
#include <cstdio>
#include <memory>

#include <gdal_priv.h>
#include <gdalwarper.h>

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

// Value written where the warper found no source data; never a real height.
constexpr double kNoHeight = -1.0e30;

std::string wktOf(const OGRSpatialReference& srs) {
    char* wkt = nullptr;
    srs.exportToWkt(&wkt);
    std::string text = wkt ? wkt : "";
    CPLFree(wkt);
    return text;
}

std::string boxText(double minX, double minY, double maxX, double maxY, bool geographic) {
    char buffer[160];
    std::snprintf(buffer, sizeof buffer, "%s %.6f..%.6f, %s %.6f..%.6f",
                  geographic ? "lon" : "x", minX, maxX, geographic ? "lat" : "y", minY, maxY);
    return buffer;
}

} // namespace

double terrainNodeCount(const Box2& extent, double spacing_m) {
    return (std::ceil(extent.width() / spacing_m) + 1) *
           (std::ceil(extent.height() / spacing_m) + 1);
}

std::string terrainTooLargeText(const Box2& extent, double spacing_m) {
    return fmt::format("a {} m spacing over {:.0f} x {:.0f} m gives {:.0f} nodes; at most {:.0f}",
                       spacing_m, extent.width(), extent.height(),
                       terrainNodeCount(extent, spacing_m), kMaxTerrainNodes);
}

TerrainGrid readTerrain(const std::filesystem::path& dem, const LocalFrame& frame,
                        const Box2& extent, double spacing_m) {
    ensureGdal();
    const std::string file = dem.string();
    if (!std::filesystem::exists(dem))
        throw InputError(file, "terrain.file", "DEM file not found");
    // Refused before any allocation: a tiny spacing or a huge margin asks for gigabytes.
    const double nodes = terrainNodeCount(extent, spacing_m);
    if (!(spacing_m > 0) || !(nodes <= kMaxTerrainNodes))
        throw InputError(file, "terrain.spacing_m", terrainTooLargeText(extent, spacing_m));

    clearGdalError();
    DatasetPtr src(GDALDataset::Open(file.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!src) {
        // GDAL says nothing when no driver recognises the file.
        std::string reason = takeGdalError();
        if (reason.empty())
            reason = "GDAL found no raster driver for it";
        throw InputError(file, "terrain.file", "cannot be read as a raster: " + reason);
    }
    const OGRSpatialReference* demSrsRaw = src->GetSpatialRef();
    if (!demSrsRaw)
        throw InputError(file, "terrain.file", "the DEM carries no CRS");
    OGRSpatialReference demSrs(*demSrsRaw);
    demSrs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    double gt[6];
    src->GetGeoTransform(gt);

    // Cell centres from the extent's south-west corner, enough to reach its north-east one,
    // so every point of the extent lies inside the grid's hull of centres.
    TerrainGrid terrain;
    const int nx = static_cast<int>(std::ceil(extent.width() / spacing_m)) + 1;
    const int ny = static_cast<int>(std::ceil(extent.height() / spacing_m)) + 1;
    terrain.heights = RasterGrid(extent.min.x, extent.min.y, spacing_m, spacing_m, nx, ny);
    const Box2 cells = terrain.heights.extent();

    // Coverage check in the DEM's CRS on the densified outline of the grid's cells.
    const OGRSpatialReference parkSrs = parseCrs(frame.crs, file, "park CRS");
    TransformPtr toDem = makeTransform(parkSrs, demSrs, file);
    Box2 needed;
    constexpr int kSteps = 16;
    for (int k = 0; k <= kSteps; ++k) {
        const double t = static_cast<double>(k) / kSteps;
        const Vec2 outline[4] = {{cells.min.x + t * cells.width(), cells.min.y},
                                 {cells.min.x + t * cells.width(), cells.max.y},
                                 {cells.min.x, cells.min.y + t * cells.height()},
                                 {cells.max.x, cells.min.y + t * cells.height()}};
        for (Vec2 local : outline) {
            Vec2 p = frame.toProjected(local);
            if (!toDem->Transform(1, &p.x, &p.y))
                throw InputError(file, "terrain.file", "cannot reproject the park extent");
            needed.expand(p);
        }
    }
    const bool geographic = demSrs.IsGeographic();
    const double demMinX = gt[0];
    const double demMaxX = gt[0] + gt[1] * src->GetRasterXSize();
    const double demMaxY = gt[3];
    const double demMinY = gt[3] + gt[5] * src->GetRasterYSize();
    if (needed.min.x < demMinX || needed.max.x > demMaxX || needed.min.y < demMinY ||
        needed.max.y > demMaxY)
        throw InputError(file, "terrain.file",
                         "DEM does not cover the park: DEM extent " +
                             boxText(demMinX, demMinY, demMaxX, demMaxY, geographic) + " (" +
                             crsLabel(demSrs) + "), park extent needs " +
                             boxText(needed.min.x, needed.min.y, needed.max.x, needed.max.y,
                                     geographic));

    // Destination: north-up in the park CRS, so row 0 of the dataset is our top row.
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    DatasetPtr dst(mem->Create("", nx, ny, 1, GDT_Float64, nullptr));
    const Vec2 topLeft = frame.toProjected({cells.min.x, cells.max.y});
    double dstGt[6] = {topLeft.x, spacing_m, 0, topLeft.y, 0, -spacing_m};
    dst->SetGeoTransform(dstGt);
    const std::string dstWkt = wktOf(parkSrs);
    const std::string srcWkt = wktOf(demSrs);
    dst->SetProjection(dstWkt.c_str());
    dst->GetRasterBand(1)->SetNoDataValue(kNoHeight);

    int hasNodata = 0;
    const double srcNodata = src->GetRasterBand(1)->GetNoDataValue(&hasNodata);

    std::unique_ptr<GDALWarpOptions, void (*)(GDALWarpOptions*)> wo(GDALCreateWarpOptions(),
                                                                    GDALDestroyWarpOptions);
    wo->hSrcDS = GDALDataset::ToHandle(src.get());
    wo->hDstDS = GDALDataset::ToHandle(dst.get());
    wo->eResampleAlg = GRA_Bilinear;
    wo->nBandCount = 1;
    wo->panSrcBands = static_cast<int*>(CPLMalloc(sizeof(int)));
    wo->panSrcBands[0] = 1;
    wo->panDstBands = static_cast<int*>(CPLMalloc(sizeof(int)));
    wo->panDstBands[0] = 1;
    if (hasNodata) {
        wo->padfSrcNoDataReal = static_cast<double*>(CPLMalloc(sizeof(double)));
        wo->padfSrcNoDataReal[0] = srcNodata;
    }
    wo->padfDstNoDataReal = static_cast<double*>(CPLMalloc(sizeof(double)));
    wo->padfDstNoDataReal[0] = kNoHeight;
    wo->papszWarpOptions = CSLSetNameValue(wo->papszWarpOptions, "INIT_DEST", "NO_DATA");
    wo->pTransformerArg = GDALCreateGenImgProjTransformer(
        wo->hSrcDS, srcWkt.c_str(), wo->hDstDS, dstWkt.c_str(), FALSE, 0.0, 1);
    wo->pfnTransformer = GDALGenImgProjTransform;

    clearGdalError();
    GDALWarpOperation warp;
    CPLErr err = warp.Initialize(wo.get());
    if (err == CE_None)
        err = warp.ChunkAndWarpImage(0, 0, nx, ny);
    GDALDestroyGenImgProjTransformer(wo->pTransformerArg);
    wo->pTransformerArg = nullptr;
    if (err != CE_None)
        throw InputError(file, "terrain.file", "resampling failed: " + takeGdalError());

    std::vector<double> rows(static_cast<size_t>(nx) * ny);
    if (dst->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, nx, ny, rows.data(), nx, ny,
                                        GDT_Float64, 0, 0, nullptr) != CE_None)
        throw InputError(file, "terrain.file", "resampled grid unreadable: " + takeGdalError());

    // Dataset rows run north to south; ours run south to north.
    int missing = 0;
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
            const double h = rows[static_cast<size_t>(ny - 1 - j) * nx + i];
            const bool none = h <= kNoHeight / 2 || std::isnan(h);
            terrain.heights.at(i, j) = none ? std::nan("") : h;
            missing += none;
        }
    log::get("gis").info("terrain {}: {}x{} nodes at {} m from {}{}", file, nx, ny, spacing_m,
                         crsLabel(demSrs),
                         missing ? " (" + std::to_string(missing) + " nodes without data)" : "");
    return terrain;
}

} // namespace parktwin::gis
