// Bullet ray queries on the real Thái Nguyên terrain, checked against the SRTM GeoTIFF read
// independently here with GDAL and OGR (not through the loader's warper).

#include "engine/physics/park_world.h"
#include "gis/park_loader.h"

#include <cmath>
#include <memory>
#include <vector>

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include "test_paths.h"

using namespace parktwin;

namespace {

/// The SRTM tile's pixels, held in memory for hand-made bilinear interpolation.
struct Dem {
    double gt[6] = {};
    int width = 0;
    int height = 0;
    double nodata = -32768;
    std::vector<double> pixels; ///< row-major, row 0 the north row as in the file

    explicit Dem(const std::filesystem::path& file) {
        GDALAllRegister();
        std::unique_ptr<GDALDataset> ds(
            GDALDataset::Open(file.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
        if (!ds)
            throw std::runtime_error("cannot open " + file.string());
        ds->GetGeoTransform(gt);
        width = ds->GetRasterXSize();
        height = ds->GetRasterYSize();
        int hasNodata = 0;
        const double value = ds->GetRasterBand(1)->GetNoDataValue(&hasNodata);
        if (hasNodata)
            nodata = value;
        pixels.resize(static_cast<size_t>(width) * height);
        if (ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, width, height, pixels.data(), width,
                                           height, GDT_Float64, 0, 0, nullptr) != CE_None)
            throw std::runtime_error("cannot read " + file.string());
    }

    /// Bilinear interpolation between the four pixel centres around (lon, lat); NaN outside
    /// or next to nodata. GDAL's geotransform gives pixel corners, so the centre of pixel
    /// (c, r) is at gt0 + (c + 0.5) gt1, gt3 + (r + 0.5) gt5 (no rotation terms in SRTM).
    double at(double lon, double lat) const {
        const double fc = (lon - gt[0]) / gt[1] - 0.5;
        const double fr = (lat - gt[3]) / gt[5] - 0.5;
        const int c = static_cast<int>(std::floor(fc));
        const int r = static_cast<int>(std::floor(fr));
        if (c < 0 || r < 0 || c + 1 >= width || r + 1 >= height)
            return std::nan("");
        const double u = fc - c, v = fr - r;
        const double p00 = pixel(c, r), p10 = pixel(c + 1, r);
        const double p01 = pixel(c, r + 1), p11 = pixel(c + 1, r + 1);
        for (double p : {p00, p10, p01, p11})
            if (p == nodata)
                return std::nan("");
        return (1 - u) * (1 - v) * p00 + u * (1 - v) * p10 + (1 - u) * v * p01 + u * v * p11;
    }

    double pixel(int c, int r) const { return pixels[static_cast<size_t>(r) * width + c]; }
};

struct TransformDeleter {
    void operator()(OGRCoordinateTransformation* ct) const {
        OGRCoordinateTransformation::DestroyCT(ct);
    }
};

} // namespace

TEST(PhysicsDem, GroundHeightAtGridNodesMatchesTheGeoTiff) {
    const auto assets = test::assetsDir() / "thai_nguyen";
    const ParkModel park = gis::loadPark(assets / "park.toml");
    ASSERT_FALSE(park.terrain.flat());
    const physics::ParkWorld world(park);
    const Dem dem(assets / "srtm3_thai_nguyen.tif");

    OGRSpatialReference parkSrs;
    ASSERT_EQ(parkSrs.SetFromUserInput(park.frame.crs.c_str()), OGRERR_NONE) << park.frame.crs;
    parkSrs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference wgs84;
    ASSERT_EQ(wgs84.importFromEPSG(4326), OGRERR_NONE);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation, TransformDeleter> toLonLat(
        OGRCreateCoordinateTransformation(&parkSrs, &wgs84));
    ASSERT_TRUE(toLonLat);

    // Every node of the park's grid: heights of a node come straight from the DEM pixels
    // around it (bilinear), on both sides of the same bilinear weights, so the warper's
    // resampling, Bullet's heightfield placement and its float storage all show up here.
    const RasterGrid& g = park.terrain.heights;
    int compared = 0;
    double worst = 0;
    double lowest = INFINITY, highest = -INFINITY;
    for (int j = 0; j < g.ny; ++j)
        for (int i = 0; i < g.nx; ++i) {
            const Vec2 local = g.position(i, j);
            Vec2 lonLat = park.frame.toProjected(local);
            ASSERT_TRUE(toLonLat->Transform(1, &lonLat.x, &lonLat.y));
            const double expected = dem.at(lonLat.x, lonLat.y);
            if (std::isnan(expected))
                continue;
            const double got = world.groundHeight(local);
            ASSERT_FALSE(std::isnan(got)) << "node " << i << "," << j;
            EXPECT_NEAR(got, expected, 0.1) << "node " << i << "," << j << " at lon "
                                            << lonLat.x << ", lat " << lonLat.y;
            worst = std::max(worst, std::abs(got - expected));
            lowest = std::min(lowest, expected);
            highest = std::max(highest, expected);
            ++compared;
        }

    // Nearly every node is inside the tile and away from voids; the terrain is not trivial
    // (Thái Nguyên: river plain at a few tens of metres, hills to a few hundred).
    EXPECT_GT(compared, g.nx * g.ny * 9 / 10);
    EXPECT_GT(highest - lowest, 50.0);
    RecordProperty("nodesCompared", compared);
    RecordProperty("worstDifference_um", static_cast<int>(worst * 1e6));
}

TEST(PhysicsDem, VerticalRayMeetsTheGroundOnTheRealTerrain) {
    const ParkModel park = gis::loadPark(test::assetsDir() / "thai_nguyen" / "park.toml");
    const physics::ParkWorld world(park);
    // At nodes away from buildings a ray from 2 km up stops on the ground, at groundHeight.
    const RasterGrid& g = park.terrain.heights;
    int checked = 0;
    for (int j = 1; j < g.ny; j += 7)
        for (int i = 1; i < g.nx; i += 7) {
            const Vec2 p = g.position(i, j);
            const auto hit = world.castRay({p.x, p.y, 2000}, {p.x, p.y, -500});
            const double ground = world.groundHeight(p);
            if (!hit || std::isnan(ground) || hit->kind != physics::RayHit::Ground)
                continue;
            EXPECT_NEAR(hit->point.z, ground, 1e-2);
            ++checked;
        }
    EXPECT_GT(checked, 20);
}
