// Import of the bundled Thái Nguyên park, checked against GDAL/PROJ command-line tools.

#include "gis/park_loader.h"

#include <cmath>
#include <memory>

#include <gdal_priv.h>

#include "gis_test_util.h"

using namespace parktwin;

namespace {

const ParkModel& thaiNguyen() {
    static const ParkModel park =
        gis::loadPark(test::assetsDir() / "thai_nguyen" / "park.toml");
    return park;
}

// Bilinear interpolation of the DEM between the four pixel centres around (lon, lat),
// read straight from the file with GDAL: the same answer as `gdallocationinfo` interpolated
// by hand, independent of the loader's warper.
double demBilinear(double lon, double lat) {
    GDALAllRegister();
    const auto file = test::assetsDir() / "thai_nguyen" / "srtm3_thai_nguyen.tif";
    std::unique_ptr<GDALDataset> ds(GDALDataset::Open(file.c_str(), GDAL_OF_RASTER));
    double gt[6];
    ds->GetGeoTransform(gt);
    const double fx = (lon - gt[0]) / gt[1] - 0.5;
    const double fy = (lat - gt[3]) / gt[5] - 0.5;
    const int i = static_cast<int>(std::floor(fx));
    const int j = static_cast<int>(std::floor(fy));
    float px[4];
    if (ds->GetRasterBand(1)->RasterIO(GF_Read, i, j, 2, 2, px, 2, 2, GDT_Float32, 0, 0,
                                       nullptr) != CE_None)
        ADD_FAILURE() << "DEM read failed at " << lon << ", " << lat;
    const double u = fx - i, v = fy - j;
    return (1 - u) * (1 - v) * px[0] + u * (1 - v) * px[1] + (1 - u) * v * px[2] +
           u * v * px[3];
}

} // namespace

TEST(ThaiNguyenImport, BoundaryIsTheTwoNamedPlots) {
    const ParkModel& park = thaiNguyen();
    ASSERT_EQ(park.boundary.size(), 2u);
    std::map<std::string, std::string> names;
    for (const Area& a : park.boundary)
        names[a.id] = a.name;
    EXPECT_EQ(names["483040802"], "Khu công nghiệp Gang Thép Thái Nguyên");
    EXPECT_EQ(names["483057098"], "Nhiệt Điện Cao Ngạn");
    EXPECT_EQ(park.timeZone.minutes, 420);
}

TEST(ThaiNguyenImport, FrameIsUtm48NCentredOnTheBoundary) {
    const ParkModel& park = thaiNguyen();
    EXPECT_EQ(park.frame.crs, "EPSG:32648");
    // ogr2ogr -f GeoJSON -t_srs EPSG:32648 -where "osm_id IN ('483040802','483057098')"
    //     b.geojson osm_landuse_a.geojson; ogrinfo -so -al b.geojson
    //   Extent: (583959.302690, 2383292.641207) - (591298.756511, 2390398.922971)
    // centre (587629.03, 2386845.78), rounded to whole metres.
    EXPECT_DOUBLE_EQ(park.frame.originEasting, 587629.0);
    EXPECT_DOUBLE_EQ(park.frame.originNorthing, 2386846.0);
    // Extent = that box +- 5000 m, in the local frame.
    EXPECT_NEAR(park.extent.min.x, 583959.302690 - 5000 - 587629, 0.01);
    EXPECT_NEAR(park.extent.max.x, 591298.756511 + 5000 - 587629, 0.01);
    EXPECT_NEAR(park.extent.min.y, 2383292.641207 - 5000 - 2386846, 0.01);
    EXPECT_NEAR(park.extent.max.y, 2390398.922971 + 5000 - 2386846, 0.01);
    for (const Area& a : park.boundary)
        for (const Polygon& p : a.parts)
            for (Vec2 v : p.outer)
                EXPECT_TRUE(park.extent.contains(v));
}

TEST(ThaiNguyenImport, ContextAreasAndProvince) {
    const ParkModel& park = thaiNguyen();
    // osm_landuse_a.geojson holds 12 industrial polygons (README); two are the park.
    int industrial = 0;
    const Area* province = nullptr;
    for (const Area& a : park.areas) {
        industrial += a.kind == "industrial";
        if (a.kind == "province")
            province = &a;
    }
    EXPECT_EQ(industrial, 10);
    ASSERT_NE(province, nullptr);
    // The dissolved province contains both park plots and the city centre of Thái Nguyên.
    for (const Area& b : park.boundary) {
        const Vec2 c = centroid(b.parts.front().outer);
        bool inside = false;
        for (const Polygon& p : province->parts)
            inside = inside || contains(p, c);
        EXPECT_TRUE(inside) << b.id;
    }
}

TEST(ThaiNguyenImport, KnownPointMatchesCs2cs) {
    const ParkModel& park = thaiNguyen();
    const Stack* stack = park.findStack("gtt-sinter-stack");
    ASSERT_NE(stack, nullptr);
    // planned_stacks.geojson: gtt-sinter-stack at 105.866333 E, 21.5589553 N.
    //   $ echo "21.5589553 105.866333" | cs2cs -d 3 EPSG:4326 EPSG:32648
    //   589700.003	2384260.002 0.000
    const Vec2 utm = park.frame.toProjected(stack->position);
    EXPECT_NEAR(utm.x, 589700.003, 1.0);
    EXPECT_NEAR(utm.y, 2384260.002, 1.0);
    EXPECT_TRUE(stack->planned);
    EXPECT_FALSE(stack->note.empty());
    EXPECT_DOUBLE_EQ(stack->height_m, 100.0);
    EXPECT_DOUBLE_EQ(stack->diameter_m, 4.5);
    EXPECT_DOUBLE_EQ(stack->exitVelocity_ms, 16.0);
    EXPECT_DOUBLE_EQ(stack->exitTemperature_K, 423.0);
}

TEST(ThaiNguyenImport, TerrainMatchesTheDemRead) {
    const ParkModel& park = thaiNguyen();
    const RasterGrid& g = park.terrain.heights;
    ASSERT_FALSE(park.terrain.flat());
    EXPECT_DOUBLE_EQ(g.dx, 90.0);
    // Extent width 17339.45 m / 90 -> 193 steps -> 194 nodes; height 17106.28 m -> 192.
    EXPECT_EQ(g.nx, 194);
    EXPECT_EQ(g.ny, 192);

    // Node (i, j) sits at E = 578959.3027 + 90 i, N = 2378292.6412 + 90 j; lon/lat from
    //   $ echo "E N" | cs2cs -I -f %.7f EPSG:4326 EPSG:32648
    // node 0 0:     21.5055514 105.7623241
    // node 97 96:   21.5831998 105.8470554
    // node 193 191: 21.6599933 105.9310020
    // node 40 100:  21.5866968 105.7975225
    // node 150 30:  21.5292974 105.8927996
    struct Node {
        int i, j;
        double lat, lon;
    };
    const Node nodes[] = {{0, 0, 21.5055514, 105.7623241},
                          {97, 96, 21.5831998, 105.8470554},
                          {193, 191, 21.6599933, 105.9310020},
                          {40, 100, 21.5866968, 105.7975225},
                          {150, 30, 21.5292974, 105.8927996}};
    for (const Node& n : nodes) {
        const double expected = demBilinear(n.lon, n.lat);
        EXPECT_NEAR(g.at(n.i, n.j), expected, 0.5) << "node " << n.i << "," << n.j;
    }

    // Plausible heights: SRTM over the area lies between -60 m and 1407 m (README), and no
    // node may hold the -32768 void marker.
    for (double h : g.values) {
        ASSERT_FALSE(std::isnan(h));
        EXPECT_GT(h, -61.0);
        EXPECT_LT(h, 1408.0);
    }
}

TEST(ThaiNguyenImport, PlannedLayers) {
    const ParkModel& park = thaiNguyen();
    ASSERT_FALSE(park.buildings.empty());
    ASSERT_FALSE(park.roads.empty());
    for (const Building& b : park.buildings) {
        EXPECT_TRUE(b.planned) << b.id;
        EXPECT_FALSE(b.note.empty()) << b.id;
        EXPECT_GT(b.baseElevation_m, 0.0) << b.id;
        EXPECT_EQ(b.heightSource, HeightSource::HeightAttribute) << b.id;
    }
    for (const Road& r : park.roads) {
        EXPECT_TRUE(r.planned) << r.id;
        EXPECT_GE(r.line.size(), 2u) << r.id;
    }
    for (const Stack& s : park.stacks)
        EXPECT_NEAR(s.baseElevation_m, park.terrain.heightAt(s.position), 1e-9);
    EXPECT_EQ(park.stats.skippedFeatures, 0);
    EXPECT_FALSE(park.attributions.empty());
}

TEST(ThaiNguyenImport, SensitiveSitesFromTheOsmPoisAndPlaces) {
    const ParkModel& park = thaiNguyen();
    // ogrinfo -sql "select count(*) ..." with the manifest's filters: 7 schools, universities
    // and hospitals, and 30 cities, towns and villages.
    ASSERT_EQ(park.sensitiveSites.size(), 37u);
    int hospitals = 0, residential = 0;
    const SensitiveSite* centralHospital = nullptr;
    for (const SensitiveSite& s : park.sensitiveSites) {
        hospitals += s.kind == "hospital";
        residential += s.kind == "residential";
        if (s.id == "4886738131")
            centralHospital = &s;
    }
    EXPECT_EQ(hospitals, 4);
    EXPECT_EQ(residential, 30);
    ASSERT_NE(centralHospital, nullptr);
    EXPECT_EQ(centralHospital->name, "Bệnh viện Đa khoa Trung Ương Thái Nguyên");
    EXPECT_EQ(centralHospital->layer, "schools_hospitals");
    // echo 21.5881231 105.8317752 | cs2cs -f %.3f EPSG:4326 EPSG:32648
    const Vec2 en = park.frame.toProjected(centralHospital->position);
    EXPECT_NEAR(en.x, 586104.470, 0.01);
    EXPECT_NEAR(en.y, 2387469.065, 0.01);
}
