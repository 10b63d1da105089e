// The park manifest: offsets, terrain choices, reprojection failures and DEM voids.

#include "gis/park_loader.h"
#include "gis/park_manifest.h"

#include <cmath>
#include <memory>

#include <gdal_priv.h>

#include "engine/core/error.h"
#include "gis_test_util.h"

using namespace parktwin;

TEST(Manifest, ParsesUtcOffsets) {
    EXPECT_EQ(gis::parseUtcOffset("+07:00", "f", "k").minutes, 420);
    EXPECT_EQ(gis::parseUtcOffset("-0330", "f", "k").minutes, -210);
    EXPECT_EQ(gis::parseUtcOffset("Z", "f", "k").minutes, 0);
    EXPECT_THROW(gis::parseUtcOffset("7", "f", "k"), InputError);
    EXPECT_THROW(gis::parseUtcOffset("+7:00", "f", "k"), InputError);
}

TEST(Manifest, PathsAreRelativeToTheManifest) {
    const auto m = gis::readManifest(test::assetsDir() / "thai_nguyen" / "park.toml");
    EXPECT_EQ(m.terrain.file, test::assetsDir() / "thai_nguyen" / "srtm3_thai_nguyen.tif");
    EXPECT_DOUBLE_EQ(m.terrain.spacing_m, 90.0);
    EXPECT_DOUBLE_EQ(m.extentMargin_m, 5000.0);
    EXPECT_EQ(m.timeZone.minutes, 420);
    ASSERT_FALSE(m.layers.empty());
    EXPECT_EQ(m.layers[0].role, gis::LayerRole::Boundary);
}

TEST(Manifest, TerrainNeedsExactlyOneSource) {
    const auto dir = test::scratchDir();
    const std::string layer = "[[layers]]\nrole = \"boundary\"\nfile = \"b.geojson\"\n";
    const auto both = test::writeFile(
        dir, "both.toml",
        "name = \"x\"\n[terrain]\nfile = \"dem.tif\"\nflat_elevation_m = 3\n" + layer);
    EXPECT_THROW(gis::readManifest(both), InputError);
    const auto none = test::writeFile(dir, "none.toml", "name = \"x\"\n[terrain]\n" + layer);
    EXPECT_THROW(gis::readManifest(none), InputError);
    const auto syntax = test::writeFile(dir, "syntax.toml", "name = \n");
    try {
        gis::readManifest(syntax);
        ADD_FAILURE() << "no error for a TOML syntax error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("line 1"), std::string::npos) << e.what();
    }
}

TEST(Manifest, ReprojectionFailureNamesTheFeature) {
    // Latitude 95 N does not exist; PROJ refuses to project it to UTM.
    const auto dir = test::scratchDir();
    const auto boundary = test::dataDir() / "gang_thep_wgs84.geojson";
    const auto stacks = test::writeFile(
        dir, "stacks.geojson",
        R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":)"
        R"({"id":"off-the-globe","height_m":50},"geometry":{"type":"Point",)"
        R"("coordinates":[105.87,95.0]}}]})");
    const std::string layers =
        "[[layers]]\nrole = \"stacks\"\nfile = \"" + stacks.string() + "\"\n";
    try {
        gis::loadPark(test::writeFile(dir, "park.toml", test::flatManifest(boundary, layers)));
        ADD_FAILURE() << "no error for an unprojectable point";
    } catch (const InputError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("stacks.geojson"), std::string::npos) << message;
        EXPECT_NE(message.find("off-the-globe"), std::string::npos) << message;
    }
}

// A 6 x 6 pixel DEM of 0.01 degree pixels, all 100 m except one void of -32768 in the middle:
// with nodata honoured no node can come out below 100 m (bilinear weights of valid pixels
// only, or no value at all); with it ignored the nodes beside the void would drop by
// thousands of metres.
TEST(Manifest, DemVoidsAreHonoured) {
    const auto dir = test::scratchDir();
    GDALAllRegister();
    const auto dem = dir / "void.tif";
    {
        GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
        std::unique_ptr<GDALDataset> ds(gtiff->Create(dem.c_str(), 6, 6, 1, GDT_Int16, nullptr));
        double gt[6] = {105.84, 0.01, 0, 21.59, 0, -0.01};
        ds->SetGeoTransform(gt);
        OGRSpatialReference srs;
        srs.importFromEPSG(4326);
        ds->SetSpatialRef(&srs);
        std::vector<int16_t> v(36, 100);
        v[2 * 6 + 2] = -32768;
        ds->GetRasterBand(1)->SetNoDataValue(-32768);
        ASSERT_EQ(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, 6, 6, v.data(), 6, 6,
                                                 GDT_Int16, 0, 0, nullptr),
                  CE_None);
    }
    // Boundary: a 0.01 degree square in the middle of the DEM.
    const auto boundary = test::writeFile(
        dir, "b.geojson",
        R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"b"},)"
        R"("geometry":{"type":"Polygon","coordinates":[[[105.86,21.56],[105.87,21.56],)"
        R"([105.87,21.57],[105.86,21.57],[105.86,21.56]]]}}]})");
    const std::string manifest = "name = \"void\"\nextent_margin_m = 500\n[terrain]\nfile = \"" +
                                 dem.string() + "\"\nspacing_m = 100\n[[layers]]\n"
                                 "role = \"boundary\"\nfile = \"" + boundary.string() + "\"\n";
    const ParkModel park = gis::loadPark(test::writeFile(dir, "park.toml", manifest));
    int valid = 0;
    for (double h : park.terrain.heights.values) {
        if (std::isnan(h))
            continue;
        ++valid;
        EXPECT_NEAR(h, 100.0, 1e-6);
    }
    EXPECT_GT(valid, 0);
}
