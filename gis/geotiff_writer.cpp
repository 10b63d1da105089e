#include "gis/geotiff_writer.h"

#include <cmath>
#include <memory>

#include <gdal_priv.h>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "gis/gdal_env.h"
#include "gis/spatial_ref.h"

namespace parktwin::gis {

void writeGeoTiff(const std::filesystem::path& path, const RasterGrid& grid,
                  const LocalFrame& frame, const GeoTiffInfo& info) {
    ensureGdal();
    const std::string file = path.string();
    if (grid.nx < 1 || grid.ny < 1 || grid.values.size() != grid.size() ||
        grid.size() != static_cast<size_t>(grid.nx) * grid.ny)
        throw Error(file + ": cannot write an empty or inconsistent grid");
    const OGRSpatialReference srs = parseCrs(frame.crs, file, "park CRS");

    GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
    char** options = nullptr;
    options = CSLSetNameValue(options, "COMPRESS", "DEFLATE");
    options = CSLSetNameValue(options, "PREDICTOR", "3"); // floating-point predictor
    clearGdalError();
    std::unique_ptr<GDALDataset, void (*)(GDALDataset*)> ds(
        gtiff->Create(file.c_str(), grid.nx, grid.ny, 1, GDT_Float32, options),
        [](GDALDataset* d) { GDALClose(d); });
    CSLDestroy(options);
    if (!ds)
        throw Error(file + ": cannot create GeoTIFF: " + takeGdalError());

    // Outer edge of the top-left cell: centre of column 0 minus half a cell, centre of the
    // northern row plus half a cell; rows then step south.
    const Vec2 topLeft =
        frame.toProjected({grid.x0 - grid.dx / 2, grid.y0 + (grid.ny - 0.5) * grid.dy});
    double gt[6] = {topLeft.x, grid.dx, 0.0, topLeft.y, 0.0, -grid.dy};
    ds->SetGeoTransform(gt);
    ds->SetSpatialRef(&srs);

    std::vector<float> rows(grid.size());
    for (int r = 0; r < grid.ny; ++r) {
        const int j = grid.ny - 1 - r;
        for (int i = 0; i < grid.nx; ++i) {
            const double v = grid.at(i, j);
            rows[static_cast<size_t>(r) * grid.nx + i] =
                static_cast<float>(std::isnan(v) ? info.nodata : v);
        }
    }

    GDALRasterBand* band = ds->GetRasterBand(1);
    band->SetNoDataValue(info.nodata);
    band->SetUnitType(info.units.c_str());
    if (!info.description.empty())
        band->SetDescription(info.description.c_str());
    ds->SetMetadataItem("UNITS", info.units.c_str());
    for (const auto& [key, value] : info.metadata)
        ds->SetMetadataItem(key.c_str(), value.c_str());
    if (band->RasterIO(GF_Write, 0, 0, grid.nx, grid.ny, rows.data(), grid.nx, grid.ny,
                       GDT_Float32, 0, 0, nullptr) != CE_None)
        throw Error(file + ": writing the raster failed: " + takeGdalError());

    ds.reset(); // closing flushes; a failure here is a failed write
    if (std::string failure = takeGdalError(); !failure.empty())
        throw Error(file + ": writing the raster failed: " + failure);
    log::get("gis").debug("wrote {} ({}x{} cells, {} m, {})", file, grid.nx, grid.ny, grid.dx,
                         info.units);
}

} // namespace parktwin::gis
