#include "gis/raster_diff.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include <gdal_priv.h>
#include <spdlog/fmt/fmt.h>

#include "engine/core/error.h"
#include "gis/gdal_env.h"

namespace parktwin::gis {
namespace {

struct GdalClose {
    void operator()(GDALDataset* d) const { GDALClose(d); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, GdalClose>;

struct Band {
    DatasetPtr ds;
    int nx = 0, ny = 0;
    double gt[6] = {};
    std::vector<double> values; ///< NaN where nodata
};

Band readBand(const std::filesystem::path& path) {
    Band b;
    clearGdalError();
    b.ds.reset(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!b.ds)
        throw InputError(path.string(), "", "cannot open the raster: " + takeGdalError());
    b.nx = b.ds->GetRasterXSize();
    b.ny = b.ds->GetRasterYSize();
    if (b.ds->GetGeoTransform(b.gt) != CE_None)
        throw InputError(path.string(), "", "the raster has no geotransform");
    GDALRasterBand* band = b.ds->GetRasterBand(1);
    b.values.resize(static_cast<size_t>(b.nx) * b.ny);
    if (band->RasterIO(GF_Read, 0, 0, b.nx, b.ny, b.values.data(), b.nx, b.ny, GDT_Float64, 0,
                       0, nullptr) != CE_None)
        throw InputError(path.string(), "", "cannot read the raster: " + takeGdalError());
    int hasNodata = 0;
    const double nodata = band->GetNoDataValue(&hasNodata);
    for (double& v : b.values)
        if ((hasNodata && v == nodata) || !std::isfinite(v))
            v = std::numeric_limits<double>::quiet_NaN();
    return b;
}

} // namespace

RasterDiffStats writeRasterDifference(const std::filesystem::path& aPath,
                                      const std::filesystem::path& bPath,
                                      const std::filesystem::path& out) {
    ensureGdal();
    const Band a = readBand(aPath);
    const Band b = readBand(bPath);
    if (a.nx != b.nx || a.ny != b.ny)
        throw InputError(bPath.string(), "",
                         fmt::format("{} x {} cells, but {} has {} x {}: the runs used "
                                     "different receptor grids",
                                     b.nx, b.ny, aPath.string(), a.nx, a.ny));
    for (int k = 0; k < 6; ++k)
        if (std::abs(a.gt[k] - b.gt[k]) > 1e-6)
            throw InputError(bPath.string(), "",
                             "its geotransform differs from " + aPath.string() +
                                 ": the runs used different receptor grids");
    const OGRSpatialReference* srsA = a.ds->GetSpatialRef();
    const OGRSpatialReference* srsB = b.ds->GetSpatialRef();
    if ((srsA == nullptr) != (srsB == nullptr) || (srsA && !srsA->IsSame(srsB)))
        throw InputError(bPath.string(), "", "its CRS differs from " + aPath.string());

    constexpr double kNodata = -9999.0;
    RasterDiffStats stats;
    stats.minChange = stats.maxChange = 0;
    stats.maxA = stats.maxB = -std::numeric_limits<double>::infinity();
    std::vector<float> diff(a.values.size(), static_cast<float>(kNodata));
    bool first = true;
    for (size_t k = 0; k < a.values.size(); ++k) {
        if (!std::isnan(a.values[k]))
            stats.maxA = std::max(stats.maxA, a.values[k]);
        if (!std::isnan(b.values[k]))
            stats.maxB = std::max(stats.maxB, b.values[k]);
        if (std::isnan(a.values[k]) || std::isnan(b.values[k]))
            continue;
        const double d = b.values[k] - a.values[k];
        diff[k] = static_cast<float>(d);
        stats.minChange = first ? d : std::min(stats.minChange, d);
        stats.maxChange = first ? d : std::max(stats.maxChange, d);
        first = false;
        ++stats.cells;
    }

    GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
    char** options = nullptr;
    options = CSLSetNameValue(options, "COMPRESS", "DEFLATE");
    clearGdalError();
    DatasetPtr ds(gtiff->Create(out.c_str(), a.nx, a.ny, 1, GDT_Float32, options));
    CSLDestroy(options);
    if (!ds)
        throw Error(out.string() + ": cannot create GeoTIFF: " + takeGdalError());
    ds->SetGeoTransform(const_cast<double*>(a.gt));
    if (srsA)
        ds->SetSpatialRef(srsA);
    GDALRasterBand* band = ds->GetRasterBand(1);
    band->SetNoDataValue(kNodata);
    const char* units = a.ds->GetRasterBand(1)->GetUnitType();
    band->SetUnitType(units);
    band->SetDescription(("difference: " + bPath.string() + " minus " + aPath.string()).c_str());
    ds->SetMetadataItem("DIFFERENCE_A", aPath.c_str());
    ds->SetMetadataItem("DIFFERENCE_B", bPath.c_str());
    if (band->RasterIO(GF_Write, 0, 0, a.nx, a.ny, diff.data(), a.nx, a.ny, GDT_Float32, 0, 0,
                       nullptr) != CE_None)
        throw Error(out.string() + ": writing the raster failed: " + takeGdalError());
    ds.reset();
    if (std::string failure = takeGdalError(); !failure.empty())
        throw Error(out.string() + ": writing the raster failed: " + failure);
    return stats;
}

} // namespace parktwin::gis
