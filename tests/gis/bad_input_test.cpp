// Bad input: every error names the file and the feature or key.

#include "gis/park_loader.h"

#include <string>

#include "engine/core/error.h"
#include "gis_test_util.h"

using namespace parktwin;

TEST(BadInput, MissingLayerFile) {
    const auto dir = test::scratchDir();
    const auto manifest =
        test::writeFile(dir, "park.toml", test::flatManifest(dir / "nope.geojson"));
    const std::string message = test::loadError(manifest);
    EXPECT_CONTAINS(message, "nope.geojson");
    EXPECT_CONTAINS(message, "not found");
    EXPECT_CONTAINS(message, "layer \"boundary\"");
}

TEST(BadInput, UnknownCrsCode) {
    const auto dir = test::scratchDir();
    const auto fixture = test::dataDir() / "gang_thep_wgs84.geojson";
    const std::string message = test::loadError(
        test::writeFile(dir, "park.toml", test::flatManifest(fixture, "", "EPSG:999999")));
    EXPECT_CONTAINS(message, "park.toml");
    EXPECT_CONTAINS(message, "EPSG:999999");
    EXPECT_CONTAINS(message, "crs");

    // The same code as a layer override names the layer's file.
    const std::string layerMessage = test::loadError(test::writeFile(
        dir, "park2.toml", test::flatManifest(fixture) + "crs = \"EPSG:999999\"\n"));
    EXPECT_CONTAINS(layerMessage, "gang_thep_wgs84.geojson");
    EXPECT_CONTAINS(layerMessage, "EPSG:999999");
}

TEST(BadInput, DemMissingThePark) {
    // A boundary at Hà Nội (105.85 E, 21.03 N), south of the DEM's 21.3-21.8 N.
    const auto dir = test::scratchDir();
    const auto boundary = test::writeFile(
        dir, "hanoi.geojson",
        R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"hn"},)"
        R"("geometry":{"type":"Polygon","coordinates":[[[105.85,21.03],[105.86,21.03],)"
        R"([105.86,21.04],[105.85,21.04],[105.85,21.03]]]}}]})");
    const auto dem = test::assetsDir() / "thai_nguyen" / "srtm3_thai_nguyen.tif";
    const std::string manifest = "name = \"hanoi\"\ncrs = \"auto\"\nextent_margin_m = 500\n"
                                 "[terrain]\nfile = \"" + dem.string() +
                                 "\"\nspacing_m = 90\n[[layers]]\nrole = \"boundary\"\n"
                                 "file = \"" + boundary.string() + "\"\n";
    const std::string message = test::loadError(test::writeFile(dir, "park.toml", manifest));
    EXPECT_CONTAINS(message, "srtm3_thai_nguyen.tif");
    EXPECT_CONTAINS(message, "does not cover");
    EXPECT_CONTAINS(message, "DEM extent");
    EXPECT_CONTAINS(message, "park extent");
    // gdalinfo srtm3_thai_nguyen.tif: origin 105.599583, 21.800417, 480 x 600 pixels of
    // 0.000833333 degrees -> lon 105.599583..105.999583, lat 21.300417..21.800417.
    EXPECT_CONTAINS(message, "lon 105.599583..105.999583, lat 21.300417..21.800417");
}

TEST(BadInput, BrokenPolygonsAreSkippedAndCounted) {
    // broken_polygons.geojson: good-1, two-vertex-ring (unclosed, 2 vertices), bow-tie
    // (self-intersecting), good-2.
    const auto dir = test::scratchDir();
    const auto fixture = test::dataDir() / "broken_polygons.geojson";
    const auto manifest = test::writeFile(dir, "park.toml", test::flatManifest(fixture));
    const ParkModel park = gis::loadPark(manifest);
    ASSERT_EQ(park.boundary.size(), 2u);
    EXPECT_EQ(park.boundary[0].id, "good-1");
    EXPECT_EQ(park.boundary[1].id, "good-2");
    EXPECT_EQ(park.stats.skippedFeatures, 2);
}

TEST(BadInput, UnparseableFileIsAnError) {
    const auto dir = test::scratchDir();
    const auto fixture = test::dataDir() / "not_geojson.geojson";
    const std::string message =
        test::loadError(test::writeFile(dir, "park.toml", test::flatManifest(fixture)));
    EXPECT_CONTAINS(message, "not_geojson.geojson");
    EXPECT_CONTAINS(message, "cannot be read");
}

TEST(BadInput, UnknownManifestKeyIsNamed) {
    const auto dir = test::scratchDir();
    const auto fixture = test::dataDir() / "gang_thep_wgs84.geojson";
    const std::string message = test::loadError(test::writeFile(
        dir, "park.toml", test::flatManifest(fixture) + "heigth_attribute = \"h\"\n"));
    EXPECT_CONTAINS(message, "park.toml");
    EXPECT_CONTAINS(message, "heigth_attribute");
    EXPECT_CONTAINS(message, "unknown key");

    const std::string top = test::loadError(
        test::writeFile(dir, "park2.toml", "colour = \"red\"\n" + test::flatManifest(fixture)));
    EXPECT_CONTAINS(top, "colour");
}

TEST(BadInput, StackWithoutHeightNamesTheFeature) {
    const auto dir = test::scratchDir();
    const auto boundary = test::dataDir() / "gang_thep_wgs84.geojson";
    const auto stacks = test::writeFile(
        dir, "stacks.geojson",
        R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":)"
        R"({"id":"chimney-7"},"geometry":{"type":"Point","coordinates":[105.87,21.56]}}]})");
    const std::string layers =
        "[[layers]]\nrole = \"stacks\"\nfile = \"" + stacks.string() + "\"\n";
    const std::string message =
        test::loadError(test::writeFile(dir, "park.toml", test::flatManifest(boundary, layers)));
    EXPECT_CONTAINS(message, "stacks.geojson");
    EXPECT_CONTAINS(message, "chimney-7");
    EXPECT_CONTAINS(message, "height_m");
}
