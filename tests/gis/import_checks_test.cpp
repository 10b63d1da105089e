// Checks made while importing a park: terrain grid size, stack attributes, duplicate ids,
// the park CRS's unit and area of use, and files no GDAL driver can open.

#include "gis/park_loader.h"
#include "gis/terrain_reader.h"

#include <string>
#include <vector>

#include "engine/core/error.h"
#include "gis_test_util.h"

using namespace parktwin;

namespace {

std::filesystem::path gangThep() { return test::dataDir() / "gang_thep_wgs84.geojson"; }

// A GeoJSON point feature at 105.87 E, 21.56 N (inside the Gang Thép extent) with the given
// properties, written as JSON members.
std::string pointFeature(const std::string& properties) {
    return R"({"type":"Feature","properties":{)" + properties +
           R"(},"geometry":{"type":"Point","coordinates":[105.87,21.56]}})";
}

std::string collection(const std::vector<std::string>& features) {
    std::string text = R"({"type":"FeatureCollection","features":[)";
    for (size_t k = 0; k < features.size(); ++k)
        text += (k ? "," : "") + features[k];
    return text + "]}";
}

std::string layerTable(const std::string& role, const std::filesystem::path& file) {
    return "[[layers]]\nrole = \"" + role + "\"\nfile = \"" + file.string() + "\"\n";
}

} // namespace

// Worked by hand: the boundary is a 1000.3 m square in UTM 48N, so with a 20000 m margin the
// extent is 41000.3 m a side; at 0.5 m that is ceil(41000.3 / 0.5) + 1 = 82002 nodes a side,
// 82002^2 = 6724328004 nodes in all (54 GB of doubles: without the cap, bad_alloc).
TEST(ImportChecks, HugeTerrainGridIsRefusedNamingTheManifestKey) {
    const auto dir = test::scratchDir();
    const auto boundary = test::writeFile(
        dir, "square_utm48.geojson",
        R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":)"
        R"("urn:ogc:def:crs:EPSG::32648"}},"features":[{"type":"Feature","properties":)"
        R"({"id":"sq"},"geometry":{"type":"Polygon","coordinates":[[[588000,2384000],)"
        R"([589000.3,2384000],[589000.3,2385000.3],[588000,2385000.3],[588000,2384000]]]}}]})");
    const auto dem = test::assetsDir() / "thai_nguyen" / "srtm3_thai_nguyen.tif";
    const std::string manifest = "name = \"big\"\ncrs = \"EPSG:32648\"\n"
                                 "extent_margin_m = 20000\n[terrain]\nfile = \"" +
                                 dem.string() + "\"\nspacing_m = 0.5\n" +
                                 layerTable("boundary", boundary);
    const std::string message = test::loadError(test::writeFile(dir, "park.toml", manifest));
    EXPECT_CONTAINS(message, "park.toml");
    EXPECT_CONTAINS(message, "terrain.spacing_m");
    EXPECT_CONTAINS(message,
                    "a 0.5 m spacing over 41000 x 41000 m gives 6724328004 nodes; at most "
                    "4000000");
}

// readTerrain itself refuses before allocating. 60000 m at 0.5 m: 120001 nodes a side,
// 120001^2 = 14400240001 nodes (115 GB).
TEST(ImportChecks, ReadTerrainRefusesHugeGridsBeforeAllocating) {
    LocalFrame frame;
    frame.crs = "EPSG:32648";
    frame.originEasting = 588000;
    frame.originNorthing = 2384000;
    Box2 extent;
    extent.expand(Vec2{0, 0});
    extent.expand(Vec2{60000, 60000});
    const auto dem = test::assetsDir() / "thai_nguyen" / "srtm3_thai_nguyen.tif";
    EXPECT_DOUBLE_EQ(gis::terrainNodeCount(extent, 0.5), 14400240001.0);
    try {
        gis::readTerrain(dem, frame, extent, 0.5);
        ADD_FAILURE() << "no InputError for a 0.5 m grid over 60 km";
    } catch (const InputError& e) {
        const std::string message = e.what();
        EXPECT_CONTAINS(message, "srtm3_thai_nguyen.tif");
        EXPECT_CONTAINS(message, "terrain.spacing_m");
        EXPECT_CONTAINS(message, "14400240001 nodes; at most 4000000");
    }
    // 2000 x 2000 m at 1 m: 2001^2 = 4004001 nodes, just over; at 2 m 1001^2 = 1002001.
    Box2 small;
    small.expand(Vec2{0, 0});
    small.expand(Vec2{2000, 2000});
    EXPECT_DOUBLE_EQ(gis::terrainNodeCount(small, 1.0), 4004001.0);
    EXPECT_DOUBLE_EQ(gis::terrainNodeCount(small, 2.0), 1002001.0);
}

TEST(ImportChecks, StackAttributesMustBePresentAndPhysical) {
    const auto dir = test::scratchDir();
    struct Case {
        std::string properties;
        std::string attribute;
    };
    const std::string id = R"("id":"kiln-3",)";
    const std::vector<Case> cases = {
        {id + R"("height_m":60,"exit_velocity_ms":12,"exit_temperature_K":400)", "diameter_m"},
        {id + R"("height_m":60,"diameter_m":null,"exit_velocity_ms":12,)"
              R"("exit_temperature_K":400)",
         "diameter_m"},
        {id + R"("height_m":60,"diameter_m":0,"exit_velocity_ms":12,"exit_temperature_K":400)",
         "diameter_m"},
        {id + R"("height_m":60,"diameter_m":2,"exit_velocity_ms":null,)"
              R"("exit_temperature_K":400)",
         "exit_velocity_ms"},
        {id + R"("height_m":60,"diameter_m":2,"exit_velocity_ms":-1,"exit_temperature_K":400)",
         "exit_velocity_ms"},
        {id + R"("height_m":60,"diameter_m":2,"exit_velocity_ms":12)", "exit_temperature_K"},
        {id + R"("height_m":60,"diameter_m":2,"exit_velocity_ms":12,"exit_temperature_K":0)",
         "exit_temperature_K"},
        {id + R"("height_m":0,"diameter_m":2,"exit_velocity_ms":12,"exit_temperature_K":400)",
         "height_m"},
    };
    int n = 0;
    for (const Case& c : cases) {
        SCOPED_TRACE(c.properties);
        const std::string name = "stacks" + std::to_string(++n) + ".geojson";
        const auto stacks = test::writeFile(dir, name, collection({pointFeature(c.properties)}));
        const std::string message = test::loadError(test::writeFile(
            dir, "park.toml", test::flatManifest(gangThep(), layerTable("stacks", stacks))));
        EXPECT_CONTAINS(message, name);
        EXPECT_CONTAINS(message, "kiln-3");
        EXPECT_CONTAINS(message, c.attribute);
    }

    // A still stack (0 m/s) is allowed.
    const auto still = test::writeFile(
        dir, "still.geojson",
        collection({pointFeature(id + R"("height_m":60,"diameter_m":2,"exit_velocity_ms":0,)"
                                      R"("exit_temperature_K":400)")}));
    const ParkModel park = gis::loadPark(test::writeFile(
        dir, "park.toml", test::flatManifest(gangThep(), layerTable("stacks", still))));
    ASSERT_EQ(park.stacks.size(), 1u);
    EXPECT_DOUBLE_EQ(park.stacks[0].diameter_m, 2.0);
    EXPECT_DOUBLE_EQ(park.stacks[0].exitVelocity_ms, 0.0);
    EXPECT_DOUBLE_EQ(park.stacks[0].exitTemperature_K, 400.0);
}

TEST(ImportChecks, DuplicateStackIdsAreAnError) {
    const auto dir = test::scratchDir();
    const std::string full =
        R"("height_m":60,"diameter_m":2,"exit_velocity_ms":12,"exit_temperature_K":400)";
    const auto stacks = test::writeFile(
        dir, "twice.geojson",
        collection({pointFeature(R"("id":"kiln-2",)" + full),
                    pointFeature(R"("id":"kiln-2",)" + full)}));
    const std::string message = test::loadError(test::writeFile(
        dir, "park.toml", test::flatManifest(gangThep(), layerTable("stacks", stacks))));
    EXPECT_CONTAINS(message, "twice.geojson");
    EXPECT_CONTAINS(message, "kiln-2");
    EXPECT_CONTAINS(message, "duplicate");

    // Across two stack layers the second file is the one named.
    const auto once = test::writeFile(dir, "once.geojson",
                                      collection({pointFeature(R"("id":"kiln-2",)" + full)}));
    const auto again = test::writeFile(dir, "again.geojson",
                                       collection({pointFeature(R"("id":"kiln-2",)" + full)}));
    const std::string across = test::loadError(test::writeFile(
        dir, "park2.toml",
        test::flatManifest(gangThep(),
                           layerTable("stacks", once) + "name = \"a\"\n" +
                               layerTable("stacks", again) + "name = \"b\"\n")));
    EXPECT_CONTAINS(across, "again.geojson");
    EXPECT_CONTAINS(across, "kiln-2");
}

TEST(ImportChecks, DuplicateBuildingIdsAreKeptWithAWarning) {
    const auto dir = test::scratchDir();
    auto square = [](const std::string& id, double lon) {
        const std::string a = std::to_string(lon), b = std::to_string(lon + 0.0002);
        return R"({"type":"Feature","properties":{"id":")" + id +
               R"(","height":"12"},"geometry":{"type":"Polygon","coordinates":[[[)" + a +
               ",21.56],[" + b + ",21.56],[" + b + ",21.5602],[" + a + ",21.5602],[" + a +
               ",21.56]]]}}";
    };
    const auto buildings = test::writeFile(
        dir, "buildings.geojson",
        collection({square("b-1", 105.870), square("b-1", 105.871), square("b-2", 105.872)}));
    test::LogCapture log("gis");
    const ParkModel park = gis::loadPark(test::writeFile(
        dir, "park.toml", test::flatManifest(gangThep(), layerTable("buildings", buildings))));
    EXPECT_EQ(park.buildings.size(), 3u);
    EXPECT_CONTAINS(log.text(), "warning");
    EXPECT_CONTAINS(log.text(), "1 building(s) reuse the id");
    EXPECT_CONTAINS(log.text(), "b-1");
}

TEST(ImportChecks, ParkCrsMustBeInMetres) {
    // EPSG:2263, NAD83 / New York Long Island (ftUS): gdalsrsinfo EPSG:2263 gives
    // LENGTHUNIT["US survey foot",0.304800609601219].
    const auto dir = test::scratchDir();
    const std::string message = test::loadError(
        test::writeFile(dir, "park.toml", test::flatManifest(gangThep(), "", "EPSG:2263")));
    EXPECT_CONTAINS(message, "park.toml");
    EXPECT_CONTAINS(message, "crs");
    EXPECT_CONTAINS(message, "EPSG:2263");
    EXPECT_CONTAINS(message, "US survey foot");
}

TEST(ImportChecks, CrsOutsideItsAreaOfUseIsAWarning) {
    // Gang Thép lies near 105.87 E; gdalsrsinfo EPSG:32647 (UTM 47N) gives
    // BBOX[0,96,84,102], so the park is east of the zone.
    const auto dir = test::scratchDir();
    {
        test::LogCapture log("gis");
        const ParkModel park = gis::loadPark(test::writeFile(
            dir, "park.toml", test::flatManifest(gangThep(), "", "EPSG:32647")));
        EXPECT_EQ(park.frame.crs, "EPSG:32647");
        EXPECT_CONTAINS(log.text(), "warning");
        EXPECT_CONTAINS(log.text(), "area of use");
        EXPECT_CONTAINS(log.text(), "EPSG:32647");
        EXPECT_CONTAINS(log.text(), "lon 96..102");
    }
    {
        // UTM 48N (102-108 E) holds it: no warning.
        test::LogCapture log("gis");
        gis::loadPark(test::writeFile(dir, "park2.toml",
                                      test::flatManifest(gangThep(), "", "EPSG:32648")));
        EXPECT_EQ(log.text().find("area of use"), std::string::npos) << log.text();
    }
}

TEST(ImportChecks, FilesNoDriverOpensGiveAReason) {
    const auto dir = test::scratchDir();
    const auto text = test::writeFile(dir, "boundary.txt", "hello world\n");
    const std::string vector =
        test::loadError(test::writeFile(dir, "park.toml", test::flatManifest(text)));
    EXPECT_CONTAINS(vector, "boundary.txt");
    EXPECT_CONTAINS(vector, "cannot be read as a vector file: GDAL found no vector driver");

    const auto dem = test::writeFile(dir, "dem.tif", "hello\n");
    const std::string manifest = "name = \"x\"\ncrs = \"auto\"\nextent_margin_m = 100\n"
                                 "[terrain]\nfile = \"" + dem.string() +
                                 "\"\nspacing_m = 90\n" + layerTable("boundary", gangThep());
    const std::string raster = test::loadError(test::writeFile(dir, "park2.toml", manifest));
    EXPECT_CONTAINS(raster, "dem.tif");
    EXPECT_CONTAINS(raster, "cannot be read as a raster: GDAL found no raster driver");
}
