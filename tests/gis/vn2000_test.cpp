// A VN-2000 layer must land where its WGS 84 twin lands: the datum shift is applied.
// Fixtures (commands in tests/data/README.md): the Gang Thép polygon (OSM way 483040802) as
// WGS 84 lon/lat and reprojected by ogr2ogr to VN-2000 / UTM zone 48N (EPSG:3405).

#include "gis/park_loader.h"

#include "gis_test_util.h"

using namespace parktwin;

namespace {

std::vector<Vec2> projectedOuter(const ParkModel& park) {
    std::vector<Vec2> out;
    for (Vec2 v : park.boundary.at(0).parts.at(0).outer)
        out.push_back(park.frame.toProjected(v));
    return out;
}

ParkModel load(const std::string& file, const std::string& layerCrs = "") {
    const auto dir = test::scratchDir();
    std::string manifest = test::flatManifest(test::dataDir() / file, "", "EPSG:32648");
    if (!layerCrs.empty())
        manifest += "crs = \"" + layerCrs + "\"\n";
    return gis::loadPark(test::writeFile(dir, "park.toml", manifest));
}

} // namespace

TEST(Vn2000, LandsOnItsWgs84Twin) {
    const auto wgs = projectedOuter(load("gang_thep_wgs84.geojson"));
    const auto vn = projectedOuter(load("gang_thep_vn2000.geojson"));
    ASSERT_EQ(wgs.size(), vn.size());
    for (size_t k = 0; k < wgs.size(); ++k)
        EXPECT_LT(length(wgs[k] - vn[k]), 3.0) << "vertex " << k;
}

// Reading the VN-2000 coordinates as if they were WGS 84 / UTM 48N ignores the datum.
// EPSG:6960 (VN-2000 to WGS 84) translates by (-191.9, -39.3, -111.5) m; at the park the
// horizontal effect is about 224 m:
//   $ echo "21.559 105.869" | cs2cs -d 3 EPSG:4326 EPSG:32648  ->  589976.132 2384266.486
//   $ echo "21.559 105.869" | cs2cs -d 3 EPSG:4326 EPSG:3405   ->  589779.884 2384374.299
//   hypot(196.25, -107.81) = 223.9 m
TEST(Vn2000, IgnoringTheDatumIsAbout200mOff) {
    const auto wgs = projectedOuter(load("gang_thep_wgs84.geojson"));
    const auto wrong = projectedOuter(load("gang_thep_vn2000.geojson", "EPSG:32648"));
    ASSERT_EQ(wgs.size(), wrong.size());
    for (size_t k = 0; k < wgs.size(); ++k) {
        EXPECT_GT(length(wgs[k] - wrong[k]), 200.0) << "vertex " << k;
        EXPECT_LT(length(wgs[k] - wrong[k]), 250.0) << "vertex " << k;
    }
}
