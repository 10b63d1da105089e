// Import of Berlin Adlershof from the OSM PBF: counts from the data's README (osmium and
// ogrinfo) and tags from ogrinfo.

#include "gis/park_loader.h"

#include <map>

#include "gis_test_util.h"

using namespace parktwin;

namespace {

const ParkModel& adlershof() {
    static const ParkModel park =
        gis::loadPark(test::assetsDir() / "berlin_adlershof" / "park.toml");
    return park;
}

const Building* findBuilding(const ParkModel& park, const std::string& id) {
    for (const Building& b : park.buildings)
        if (b.id == id)
            return &b;
    return nullptr;
}

} // namespace

TEST(AdlershofImport, CountsMatchTheReadme) {
    const ParkModel& park = adlershof();
    EXPECT_EQ(park.frame.crs, "EPSG:32633");
    EXPECT_EQ(park.buildings.size(), 3171u);
    EXPECT_EQ(park.roads.size(), 1169u);
    EXPECT_EQ(park.boundary.size(), 10u); // landuse=industrial polygons of the cut
    EXPECT_TRUE(park.terrain.flat());
    EXPECT_DOUBLE_EQ(park.terrain.flatElevation_m, 34.0);
}

// README: 1,717 buildings with height or building:levels; `height` on 103, `levels` on
// 1,687. Checked with
//   ogrinfo -dialect sqlite -sql "select sum(hstore_get_value(other_tags,'height') is not
//   null), ... from multipolygons where building is not null" berlin_adlershof_industrial.osm.pbf
// -> 103 height, 1687 levels, 1717 either; all 103 height values are plain numbers.
// The rule takes height first: 103 by height, 1717 - 103 = 1614 by levels, 3171 - 1717 =
// 1454 by default.
TEST(AdlershofImport, HeightsByRule) {
    const ImportStats& s = adlershof().stats;
    EXPECT_EQ(s.buildingsWithHeight, 103);
    EXPECT_EQ(s.buildingsWithLevels, 1614);
    EXPECT_EQ(s.buildingsWithDefault, 1454);
    EXPECT_EQ(s.buildingsWithHeight + s.buildingsWithLevels, 1717);
    EXPECT_EQ(s.skippedFeatures, 0);
}

// ogrinfo -dialect sqlite -sql "select osm_way_id, name, building, other_tags from
//   multipolygons where ..." berlin_adlershof_industrial.osm.pbf
//   142575680 "Agentur für Arbeit", building=yes, "building:levels"=>"4","height"=>"16.3"
//   24155162  building=school, "building:levels"=>"5"          -> 5 x 3 m = 15 m
//   29029502  building=industrial, no other tags               -> default 9 m
TEST(AdlershofImport, SpotChecks) {
    const ParkModel& park = adlershof();
    const Building* office = findBuilding(park, "142575680");
    ASSERT_NE(office, nullptr);
    EXPECT_EQ(office->name, "Agentur für Arbeit");
    EXPECT_DOUBLE_EQ(office->height_m, 16.3);
    EXPECT_EQ(office->heightSource, HeightSource::HeightAttribute);
    EXPECT_DOUBLE_EQ(office->baseElevation_m, 34.0);

    const Building* school = findBuilding(park, "24155162");
    ASSERT_NE(school, nullptr);
    EXPECT_EQ(school->use, "school");
    EXPECT_DOUBLE_EQ(school->height_m, 15.0);
    EXPECT_EQ(school->heightSource, HeightSource::Levels);

    const Building* works = findBuilding(park, "29029502");
    ASSERT_NE(works, nullptr);
    EXPECT_DOUBLE_EQ(works->height_m, 9.0);
    EXPECT_EQ(works->heightSource, HeightSource::Default);
}

TEST(AdlershofImport, RoadClassesFromTheHighwayTag) {
    std::map<std::string, int> classes;
    for (const Road& r : adlershof().roads)
        ++classes[r.roadClass];
    // README (cut): 2 motorway ways; classes are OSM highway values, none empty.
    EXPECT_EQ(classes.count(""), 0u);
    EXPECT_EQ(classes["motorway"], 2);
}
