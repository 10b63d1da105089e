// The results GeoPackage and the raster difference, read back with GDAL's own command-line
// tools (ogrinfo, gdalinfo) as a user would.

#include "gis/geopackage_writer.h"
#include "gis/geotiff_writer.h"
#include "gis/raster_diff.h"

#include <cmath>
#include <cstdio>
#include <regex>

#include <gdal_priv.h>
#include <gtest/gtest.h>

#include "engine/core/error.h"
#include "test_paths.h"
#include "shell_command.h"

using namespace parktwin;
namespace fs = std::filesystem;

namespace {

const LocalFrame kFrame{"EPSG:32648", "WGS 84 / UTM zone 48N", 586000.0, 2387000.0};

std::string run(const std::string& command) {
    test::CommandResult r = test::runShell(command + " 2>&1");
    EXPECT_EQ(r.exitCode, 0) << command << "\n" << r.output;
    return std::move(r.output);
}

// "Feature Count: N" of one layer in `ogrinfo -so` output.
int featureCount(const std::string& info) {
    std::smatch m;
    if (!std::regex_search(info, m, std::regex("Feature Count: (\\d+)")))
        return -1;
    return std::stoi(m[1]);
}

ParkModel smallPark() {
    ParkModel park;
    park.name = "test";
    park.frame = kFrame;
    Area boundary;
    boundary.id = "b1";
    boundary.kind = "boundary";
    boundary.parts = {Polygon{{{-100, -100}, {100, -100}, {100, 100}, {-100, 100}}, {}}};
    park.boundary = {boundary};
    Building b;
    b.id = "bldg";
    b.footprint = Polygon{{{0, 0}, {20, 0}, {20, 10}, {0, 10}}, {}};
    b.height_m = 15;
    park.buildings = {b};
    Road r;
    r.id = "road";
    r.line = {{-50, 0}, {50, 0}};
    park.roads = {r};
    Stack s;
    s.id = "stack";
    s.position = {10, 5};
    s.height_m = 80;
    park.stacks = {s};
    return park;
}

} // namespace

TEST(GeoPackage, LayersCountsAndCrsAsOgrinfoSeesThem) {
    const fs::path dir = test::scratchDir();
    const fs::path file = dir / "results.gpkg";
    const ParkModel park = smallPark();

    gis::GeoPackageContent content;
    content.park = &park;
    content.valueFields = {"so2_1h_total", "so2_24h_total"};
    content.receptors = {{"school", "Trường A", "school", "pois", {50, 50}, {123.5, 40.25}},
                         {"village", "Làng B", "residential", "places", {-50, 20},
                          {7.0, std::nan("")}}};
    gis::ContourLine line{350.0, {{586000, 2387000}, {586100, 2387100}}};
    content.contours = {{"so2_1h_total", "1h", "total", true, line}};
    RasterGrid grid(-95, -95, 10, 10, 20, 20, 1.5);
    grid.at(3, 4) = std::nan("");
    content.rasters = {{"so2_1h_total", grid}};
    gis::writeGeoPackage(file, content, kFrame);

    const std::string layers = run("ogrinfo -ro -q " + file.string());
    for (const char* name :
         {"receptors (Point)", "contours (Line String)", "park_boundary (Multi Polygon)",
          "areas (Multi Polygon)", "buildings (Multi Polygon)", "roads (Line String)",
          "stacks (Point)"})
        EXPECT_NE(layers.find(name), std::string::npos) << name << " missing in\n" << layers;

    const std::string receptors = run("ogrinfo -ro -so " + file.string() + " receptors");
    EXPECT_EQ(featureCount(receptors), 2);
    EXPECT_NE(receptors.find("WGS 84 / UTM zone 48N"), std::string::npos) << receptors;
    EXPECT_NE(receptors.find("so2_24h_total: Real"), std::string::npos) << receptors;
    EXPECT_EQ(featureCount(run("ogrinfo -ro -so " + file.string() + " contours")), 1);
    EXPECT_EQ(featureCount(run("ogrinfo -ro -so " + file.string() + " buildings")), 1);
    EXPECT_EQ(featureCount(run("ogrinfo -ro -so " + file.string() + " park_boundary")), 1);

    // The school sits at local (50, 50): E 586050, N 2387050; its null value stays null.
    const std::string school = run("ogrinfo -ro -q " + file.string() +
                                   " receptors -where \"id = 'village'\"");
    EXPECT_NE(school.find("so2_24h_total (Real) = (null)"), std::string::npos) << school;
    const std::string point = run("ogrinfo -ro -q " + file.string() +
                                  " receptors -where \"id = 'school'\"");
    EXPECT_NE(point.find("POINT (586050 2387050)"), std::string::npos) << point;
    EXPECT_NE(point.find("so2_1h_total (Real) = 123.5"), std::string::npos) << point;

    // The raster table: 20 x 20 cells of 10 m; the top-left cell edge is local (-100, 100),
    // E 585900 N 2387100.
    const std::string raster = run("gdalinfo -stats GPKG:" + file.string() + ":so2_1h_total");
    fs::remove(file.string() + ".aux.xml");
    EXPECT_NE(raster.find("Size is 20, 20"), std::string::npos) << raster;
    EXPECT_NE(raster.find("Origin = (585900.000000000000000,2387100.000000000000000)"),
              std::string::npos)
        << raster;
    EXPECT_NE(raster.find("WGS 84 / UTM zone 48N"), std::string::npos);
    EXPECT_NE(raster.find("Type=Float32"), std::string::npos) << raster;
    EXPECT_NE(raster.find("STATISTICS_MAXIMUM=1.5"), std::string::npos) << raster;
    EXPECT_NE(raster.find("STATISTICS_VALID_PERCENT=99.75"), std::string::npos) << raster;
}

TEST(RasterDiff, IdenticalRastersGiveExactlyZero) {
    const fs::path dir = test::scratchDir();
    RasterGrid grid(0, 0, 100, 100, 7, 5);
    for (size_t k = 0; k < grid.size(); ++k)
        grid.values[k] = 0.1 * std::pow(1.7, double(k % 13)); // not exact in binary
    gis::GeoTiffInfo info;
    gis::writeGeoTiff(dir / "a.tif", grid, kFrame, info);
    gis::writeGeoTiff(dir / "b.tif", grid, kFrame, info);
    const auto stats = gis::writeRasterDifference(dir / "a.tif", dir / "b.tif", dir / "d.tif");
    EXPECT_EQ(stats.cells, 35);
    EXPECT_EQ(stats.minChange, 0.0);
    EXPECT_EQ(stats.maxChange, 0.0);
    const std::string info2 = run("gdalinfo -stats " + (dir / "d.tif").string());
    EXPECT_NE(info2.find("Minimum=0.000, Maximum=0.000"), std::string::npos) << info2;
}

TEST(RasterDiff, ChangeIsBMinusAAndMismatchedGridsAreRefused) {
    const fs::path dir = test::scratchDir();
    RasterGrid a(0, 0, 100, 100, 4, 3, 10.0);
    RasterGrid b = a;
    b.at(2, 1) = 25.0;
    b.at(0, 0) = 4.0;
    a.at(3, 2) = std::nan("");
    gis::GeoTiffInfo info;
    gis::writeGeoTiff(dir / "a.tif", a, kFrame, info);
    gis::writeGeoTiff(dir / "b.tif", b, kFrame, info);
    const auto stats = gis::writeRasterDifference(dir / "a.tif", dir / "b.tif", dir / "d.tif");
    EXPECT_EQ(stats.cells, 11); // 12 cells less the one A lacks
    EXPECT_DOUBLE_EQ(stats.maxChange, 15.0);
    EXPECT_DOUBLE_EQ(stats.minChange, -6.0);
    EXPECT_DOUBLE_EQ(stats.maxA, 10.0);
    EXPECT_DOUBLE_EQ(stats.maxB, 25.0);

    RasterGrid other(0, 0, 50, 50, 4, 3, 10.0);
    gis::writeGeoTiff(dir / "c.tif", other, kFrame, info);
    try {
        gis::writeRasterDifference(dir / "a.tif", dir / "c.tif", dir / "e.tif");
        ADD_FAILURE() << "expected an InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("c.tif"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("different receptor grids"), std::string::npos);
    }
    EXPECT_THROW(gis::writeRasterDifference(dir / "none.tif", dir / "b.tif", dir / "f.tif"),
                 InputError);
}
