// GeoTIFF round trip: written by writeGeoTiff, read back with GDAL as gdalinfo would.

#include "gis/geotiff_writer.h"

#include "engine/core/error.h"

#include <cmath>
#include <memory>

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include "gis_test_util.h"

using namespace parktwin;

TEST(GeoTiffWriter, RoundTrip) {
    const auto path = test::scratchDir() / "grid.tif";
    LocalFrame frame;
    frame.crs = "EPSG:32648";
    frame.originEasting = 587629;
    frame.originNorthing = 2386846;

    // 3 columns x 2 rows of 100 m cells; row 0 (south) holds 1 2 3, row 1 (north) 4 5 NaN.
    RasterGrid grid(-100, -50, 100, 100, 3, 2);
    grid.at(0, 0) = 1;
    grid.at(1, 0) = 2;
    grid.at(2, 0) = 3;
    grid.at(0, 1) = 4;
    grid.at(1, 1) = 5;
    grid.at(2, 1) = std::nan("");
    gis::GeoTiffInfo info;
    info.units = "ug/m3";
    info.description = "SO2 1-hour maximum";
    info.nodata = -9999;
    info.metadata = {{"POLLUTANT", "SO2"}};
    gis::writeGeoTiff(path, grid, frame, info);

    GDALAllRegister();
    std::unique_ptr<GDALDataset> ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->GetRasterXSize(), 3);
    EXPECT_EQ(ds->GetRasterYSize(), 2);

    // West edge: origin + centre of column 0 - half a cell = 587629 - 100 - 50 = 587479.
    // North edge: origin + centre of row 1 + half a cell = 2386846 + 50 + 50 = 2386946.
    double gt[6];
    ASSERT_EQ(ds->GetGeoTransform(gt), CE_None);
    EXPECT_DOUBLE_EQ(gt[0], 587479.0);
    EXPECT_DOUBLE_EQ(gt[1], 100.0);
    EXPECT_DOUBLE_EQ(gt[2], 0.0);
    EXPECT_DOUBLE_EQ(gt[3], 2386946.0);
    EXPECT_DOUBLE_EQ(gt[4], 0.0);
    EXPECT_DOUBLE_EQ(gt[5], -100.0);

    const OGRSpatialReference* srs = ds->GetSpatialRef();
    ASSERT_NE(srs, nullptr);
    EXPECT_STREQ(srs->GetAuthorityCode(nullptr), "32648");

    GDALRasterBand* band = ds->GetRasterBand(1);
    EXPECT_EQ(band->GetRasterDataType(), GDT_Float32);
    int hasNodata = 0;
    EXPECT_DOUBLE_EQ(band->GetNoDataValue(&hasNodata), -9999.0);
    EXPECT_TRUE(hasNodata);
    EXPECT_STREQ(band->GetUnitType(), "ug/m3");
    EXPECT_STREQ(band->GetDescription(), "SO2 1-hour maximum");
    EXPECT_STREQ(ds->GetMetadataItem("POLLUTANT"), "SO2");
    EXPECT_STREQ(ds->GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE"), "DEFLATE");

    // North-up: the first row of the file is the grid's north row.
    float v[6];
    ASSERT_EQ(band->RasterIO(GF_Read, 0, 0, 3, 2, v, 3, 2, GDT_Float32, 0, 0, nullptr), CE_None);
    EXPECT_FLOAT_EQ(v[0], 4);
    EXPECT_FLOAT_EQ(v[1], 5);
    EXPECT_FLOAT_EQ(v[2], -9999);
    EXPECT_FLOAT_EQ(v[3], 1);
    EXPECT_FLOAT_EQ(v[4], 2);
    EXPECT_FLOAT_EQ(v[5], 3);
}

TEST(GeoTiffWriter, RefusesAnEmptyGrid) {
    LocalFrame frame;
    frame.crs = "EPSG:32648";
    EXPECT_THROW(gis::writeGeoTiff(test::scratchDir() / "x.tif", RasterGrid(), frame, {}),
                 Error);
}
