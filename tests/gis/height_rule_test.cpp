// The building height rule: explicit height, else levels x storey height, else default.

#include "gis/height_rule.h"
#include "gis/park_loader.h"

#include <map>

#include "gis_test_util.h"

using namespace parktwin;
using namespace parktwin::gis;

TEST(HeightRule, ParsesOsmLengths) {
    EXPECT_DOUBLE_EQ(*parseLength_m("12"), 12.0);
    EXPECT_DOUBLE_EQ(*parseLength_m("12.5"), 12.5);
    EXPECT_DOUBLE_EQ(*parseLength_m("12 m"), 12.0);
    EXPECT_DOUBLE_EQ(*parseLength_m(" 7,5m "), 7.5);
    // 40 ft x 0.3048 m/ft = 12.192 m (international foot, exact).
    EXPECT_NEAR(*parseLength_m("40 ft"), 12.192, 1e-9);
    EXPECT_NEAR(*parseLength_m("40'"), 12.192, 1e-9);
    EXPECT_FALSE(parseLength_m("tall"));
    EXPECT_FALSE(parseLength_m(""));
    EXPECT_FALSE(parseLength_m("0"));
    EXPECT_FALSE(parseLength_m("12 storeys"));
}

TEST(HeightRule, ParsesLevels) {
    EXPECT_DOUBLE_EQ(*parseLevels("4"), 4.0);
    EXPECT_DOUBLE_EQ(*parseLevels("2.5"), 2.5);
    EXPECT_DOUBLE_EQ(*parseLevels("3;4"), 3.0);
    EXPECT_FALSE(parseLevels("many"));
    EXPECT_FALSE(parseLevels("-1"));
}

TEST(HeightRule, TriesHeightThenLevelsThenDefault) {
    const HeightRule rule{"height", "building:levels", 3.5, 7.0};
    auto decide = [&](std::map<std::string, std::string> tags) {
        return decideHeight(rule, [&](const std::string& key) -> std::optional<std::string> {
            auto it = tags.find(key);
            if (it == tags.end())
                return std::nullopt;
            return it->second;
        });
    };
    auto a = decide({{"height", "16.3"}, {"building:levels", "4"}});
    EXPECT_EQ(a.source, HeightSource::HeightAttribute);
    EXPECT_DOUBLE_EQ(a.height_m, 16.3);
    auto b = decide({{"building:levels", "4"}}); // 4 x 3.5 m = 14 m
    EXPECT_EQ(b.source, HeightSource::Levels);
    EXPECT_DOUBLE_EQ(b.height_m, 14.0);
    auto c = decide({{"height", "unknown"}});
    EXPECT_EQ(c.source, HeightSource::Default);
    EXPECT_DOUBLE_EQ(c.height_m, 7.0);
}

// tests/data/building_heights.geojson, seven squares (properties as written in the file):
//   h-metres   height "12 m"                      -> 12 m, height
//   h-plain    height "12.5", levels "2"          -> 12.5 m, height (height wins)
//   levels     levels "4"                         -> 4 x 3 m = 12 m, levels
//   neither    building "warehouse"               -> default 8 m
//   bad-height height "tall", levels "3"          -> 3 x 3 m = 9 m, levels
//   bad-levels levels "many"                      -> default 8 m
//   feet       height "40 ft"                     -> 12.192 m, height
TEST(HeightRule, FixtureThroughTheLoader) {
    const auto dir = test::scratchDir();
    const auto fixture = test::dataDir() / "building_heights.geojson";
    const std::string layers = "[[layers]]\nrole = \"buildings\"\nfile = \"" + fixture.string() +
                               "\"\ndefault_height_m = 8\n";
    const ParkModel park =
        loadPark(test::writeFile(dir, "park.toml", test::flatManifest(fixture, layers)));

    ASSERT_EQ(park.buildings.size(), 7u);
    std::map<std::string, const Building*> byId;
    for (const Building& b : park.buildings)
        byId[b.id] = &b;
    auto expect = [&](const char* id, double height_m, HeightSource source) {
        ASSERT_TRUE(byId.count(id)) << id;
        EXPECT_NEAR(byId[id]->height_m, height_m, 1e-9) << id;
        EXPECT_EQ(byId[id]->heightSource, source) << id;
        EXPECT_DOUBLE_EQ(byId[id]->baseElevation_m, 20.0) << id; // flat terrain
    };
    expect("h-metres", 12.0, HeightSource::HeightAttribute);
    expect("h-plain", 12.5, HeightSource::HeightAttribute);
    expect("levels", 12.0, HeightSource::Levels);
    expect("neither", 8.0, HeightSource::Default);
    expect("bad-height", 9.0, HeightSource::Levels);
    expect("bad-levels", 8.0, HeightSource::Default);
    expect("feet", 12.192, HeightSource::HeightAttribute);
    EXPECT_EQ(park.stats.buildingsWithHeight, 3);
    EXPECT_EQ(park.stats.buildingsWithLevels, 2);
    EXPECT_EQ(park.stats.buildingsWithDefault, 2);
    EXPECT_EQ(byId["neither"]->use, "warehouse");
}
