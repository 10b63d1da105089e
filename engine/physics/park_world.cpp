#include "engine/physics/park_world.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <btBulletCollisionCommon.h>
#include <BulletCollision/CollisionShapes/btHeightfieldTerrainShape.h>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/physics/triangulate.h"

namespace parktwin::physics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Narrowest stack modelled, metres: an inside diameter of 0 (unknown) still needs a body
/// that a picking ray can hit.
constexpr double kMinStackDiameter_m = 1.0;

btVector3 toBt(Vec3 v) {
    return {static_cast<btScalar>(v.x), static_cast<btScalar>(v.y), static_cast<btScalar>(v.z)};
}

Vec3 fromBt(const btVector3& v) { return {v.x(), v.y(), v.z()}; }

/// One building's triangles and the Bullet objects that use them.
struct BuildingBody {
    std::unique_ptr<btTriangleMesh> mesh;
    std::unique_ptr<btBvhTriangleMeshShape> shape;
    std::unique_ptr<btCollisionObject> object;
};

} // namespace

struct ParkWorld::Impl {
    btDefaultCollisionConfiguration configuration;
    btCollisionDispatcher dispatcher{&configuration};
    btDbvtBroadphase broadphase;
    btCollisionWorld world{&dispatcher, &broadphase, &configuration};

    // Terrain: either a heightfield over `grid` or a plane at `flatElevation_m`.
    RasterGrid grid;
    std::vector<float> heights; ///< Bullet reads these in place; they must outlive the shape
    std::vector<bool> missing;  ///< per grid node: the sample was NaN and has been filled
    bool flat = true;
    double flatElevation_m = 0;
    std::unique_ptr<btCollisionShape> terrainShape;
    std::unique_ptr<btCollisionObject> terrainObject;
    double terrainMin_m = 0;
    double terrainMax_m = 0;

    std::vector<BuildingBody> buildings;
    std::vector<std::unique_ptr<btCylinderShapeZ>> stackShapes;
    std::vector<std::unique_ptr<btCollisionObject>> stackObjects;

    double top_m = 0;    ///< above every surface in the world
    double bottom_m = 0; ///< below every surface in the world

    ~Impl() {
        // The world removes broadphase proxies of the objects it still holds when it dies,
        // so every object is taken out while it is still alive.
        for (BuildingBody& body : buildings)
            world.removeCollisionObject(body.object.get());
        for (auto& object : stackObjects)
            world.removeCollisionObject(object.get());
        if (terrainObject)
            world.removeCollisionObject(terrainObject.get());
    }

    void addObject(btCollisionObject* object, RayHit::Kind kind, int index) {
        object->setUserIndex(static_cast<int>(kind));
        object->setUserIndex2(index);
        world.addCollisionObject(object);
    }

    void buildTerrain(const TerrainGrid& terrain, const std::string& file);
    bool buildBuilding(const Building& building, int index);
    void buildStack(const parktwin::Stack& stack, int index);
};

void ParkWorld::Impl::buildTerrain(const TerrainGrid& terrain, const std::string& file) {
    flatElevation_m = terrain.flatElevation_m;
    const RasterGrid& g = terrain.heights;
    if (!terrain.flat() && !(g.dx > 0 && g.dy > 0))
        throw InputError(file, "terrain", "grid spacing must be positive, found dx = " +
                                              std::to_string(g.dx) +
                                              " m, dy = " + std::to_string(g.dy) + " m");

    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (double h : g.values) {
        if (!std::isnan(h)) {
            lo = std::min(lo, h);
            hi = std::max(hi, h);
        }
    }
    const bool usable = !terrain.flat() && g.nx >= 2 && g.ny >= 2 && lo <= hi;
    if (!terrain.flat() && !usable)
        log::get("physics").warn("terrain grid {}x{} has too few valid samples for a surface; "
                                  "using a flat ground at {} m",
                                  g.nx, g.ny, flatElevation_m);

    if (!usable) {
        flat = true;
        terrainMin_m = terrainMax_m = flatElevation_m;
        terrainShape = std::make_unique<btStaticPlaneShape>(
            btVector3(0, 0, 1), static_cast<btScalar>(flatElevation_m));
        terrainObject = std::make_unique<btCollisionObject>();
        terrainObject->setCollisionShape(terrainShape.get());
        addObject(terrainObject.get(), RayHit::Ground, -1);
        return;
    }

    flat = false;
    grid = g;
    terrainMin_m = lo;
    terrainMax_m = hi;
    heights.resize(g.values.size());
    missing.resize(g.values.size());
    int filled = 0;
    for (size_t k = 0; k < g.values.size(); ++k) {
        missing[k] = std::isnan(g.values[k]);
        filled += missing[k] ? 1 : 0;
        heights[k] = static_cast<float>(missing[k] ? lo : g.values[k]);
    }
    if (filled > 0)
        log::get("physics").warn("terrain grid has {} missing samples; filled with the lowest "
                                  "height ({:.1f} m) for ray queries",
                                  filled, lo);

    // Bullet's heightfield with z up lays sample (i, j) of a row-major array at local
    // (i - (nx-1)/2, j - (ny-1)/2, h - (min+max)/2) before scaling, so row j = 0 is the
    // lowest y, which is the south row of a RasterGrid. Scaling by (dx, dy, 1) and placing
    // the object at the grid's centre and mid-height puts node (i, j) at its local position.
    auto shape = std::make_unique<btHeightfieldTerrainShape>(
        g.nx, g.ny, heights.data(), static_cast<btScalar>(lo), static_cast<btScalar>(hi), 2,
        false);
    shape->setLocalScaling(btVector3(static_cast<btScalar>(g.dx), static_cast<btScalar>(g.dy), 1));
    // No buildAccelerator(): with z up, Bullet 3.24's chunk accelerator lost about one oblique
    // ray in five on a 150 x 150 hilly grid here (rays through known ground points that
    // missed), while the plain grid walk hit every one.
    terrainShape = std::move(shape);

    btTransform placement;
    placement.setIdentity();
    placement.setOrigin(btVector3(static_cast<btScalar>(g.x0 + (g.nx - 1) * g.dx / 2),
                                  static_cast<btScalar>(g.y0 + (g.ny - 1) * g.dy / 2),
                                  static_cast<btScalar>((lo + hi) / 2)));
    terrainObject = std::make_unique<btCollisionObject>();
    terrainObject->setCollisionShape(terrainShape.get());
    terrainObject->setWorldTransform(placement);
    addObject(terrainObject.get(), RayHit::Ground, -1);
}

bool ParkWorld::Impl::buildBuilding(const Building& building, int index) {
    if (!(building.height_m > 0) || building.footprint.outer.size() < 3)
        return false;

    // Vertices relative to the first footprint vertex at base height keep float precision
    // whatever the size of the park.
    const Vec2 anchor = building.footprint.outer.front();
    std::vector<Vec2> vertices;
    std::vector<const Ring*> rings{&building.footprint.outer};
    for (const Ring& hole : building.footprint.holes)
        rings.push_back(&hole);
    for (const Ring* ring : rings)
        for (const Vec2& p : *ring)
            vertices.push_back(p - anchor);

    const auto height = static_cast<btScalar>(building.height_m);
    auto at = [&](int k, btScalar z) {
        return btVector3(static_cast<btScalar>(vertices[k].x),
                         static_cast<btScalar>(vertices[k].y), z);
    };

    auto mesh = std::make_unique<btTriangleMesh>(true, false);
    int first = 0;
    for (const Ring* ring : rings) {
        const int n = static_cast<int>(ring->size());
        for (int k = 0; k < n; ++k) {
            const int a = first + k;
            const int b = first + (k + 1) % n;
            mesh->addTriangle(at(a, 0), at(b, 0), at(b, height));
            mesh->addTriangle(at(a, 0), at(b, height), at(a, height));
        }
        first += n;
    }

    std::vector<Triangle> caps = triangulate(building.footprint);
    if (caps.empty()) {
        // A footprint that cannot be ear-clipped (self-intersecting) still gets a roof: a fan
        // over its outer ring, which may overhang concave corners.
        log::get("physics").debug("building {}: footprint could not be triangulated; using a "
                                   "fan roof",
                                   building.id);
        const int n = static_cast<int>(building.footprint.outer.size());
        for (int k = 1; k + 1 < n; ++k)
            caps.push_back({0, k, k + 1});
    }
    for (const Triangle& t : caps) {
        mesh->addTriangle(at(t[0], height), at(t[1], height), at(t[2], height));
        mesh->addTriangle(at(t[0], 0), at(t[2], 0), at(t[1], 0));
    }
    if (mesh->getNumTriangles() == 0)
        return false;

    BuildingBody body;
    body.mesh = std::move(mesh);
    body.shape = std::make_unique<btBvhTriangleMeshShape>(body.mesh.get(), true);
    body.object = std::make_unique<btCollisionObject>();
    body.object->setCollisionShape(body.shape.get());
    btTransform placement;
    placement.setIdentity();
    placement.setOrigin(btVector3(static_cast<btScalar>(anchor.x),
                                  static_cast<btScalar>(anchor.y),
                                  static_cast<btScalar>(building.baseElevation_m)));
    body.object->setWorldTransform(placement);
    addObject(body.object.get(), RayHit::Building, index);
    buildings.push_back(std::move(body));
    return true;
}

void ParkWorld::Impl::buildStack(const parktwin::Stack& stack, int index) {
    if (!(stack.height_m > 0))
        return;
    const double radius_m = std::max(stack.diameter_m, kMinStackDiameter_m) / 2;
    auto shape = std::make_unique<btCylinderShapeZ>(
        btVector3(static_cast<btScalar>(radius_m), static_cast<btScalar>(radius_m),
                  static_cast<btScalar>(stack.height_m / 2)));
    auto object = std::make_unique<btCollisionObject>();
    object->setCollisionShape(shape.get());
    btTransform placement;
    placement.setIdentity();
    placement.setOrigin(toBt({stack.position.x, stack.position.y,
                              stack.baseElevation_m + stack.height_m / 2}));
    object->setWorldTransform(placement);
    addObject(object.get(), RayHit::Stack, index);
    stackShapes.push_back(std::move(shape));
    stackObjects.push_back(std::move(object));
}

ParkWorld::ParkWorld(const ParkModel& park) : impl_(std::make_unique<Impl>()) {
    impl_->buildTerrain(park.terrain, park.sourceFile);
    double top = impl_->terrainMax_m;
    double bottom = impl_->terrainMin_m;

    int skipped = 0;
    for (size_t k = 0; k < park.buildings.size(); ++k) {
        const Building& b = park.buildings[k];
        if (impl_->buildBuilding(b, static_cast<int>(k))) {
            top = std::max(top, b.baseElevation_m + b.height_m);
            bottom = std::min(bottom, b.baseElevation_m);
        } else {
            ++skipped;
        }
    }
    for (size_t k = 0; k < park.stacks.size(); ++k) {
        const parktwin::Stack& s = park.stacks[k];
        impl_->buildStack(s, static_cast<int>(k));
        top = std::max(top, s.baseElevation_m + s.height_m);
        bottom = std::min(bottom, s.baseElevation_m);
    }
    impl_->top_m = top + 10;
    impl_->bottom_m = bottom - 10;

    // Bullet's broadphase needs one pass to settle the new objects' bounds before ray tests.
    impl_->world.updateAabbs();

    auto& logger = log::get("physics");
    if (impl_->flat)
        logger.info("collision world of '{}': flat ground at {} m, {} buildings ({} skipped), "
                     "{} stacks",
                     park.name, impl_->flatElevation_m, impl_->buildings.size(), skipped,
                     impl_->stackObjects.size());
    else
        logger.info("collision world of '{}': terrain {}x{} at {} m x {} m, {} buildings ({} "
                     "skipped), {} stacks",
                     park.name, impl_->grid.nx, impl_->grid.ny, impl_->grid.dx, impl_->grid.dy,
                     impl_->buildings.size(), skipped, impl_->stackObjects.size());
}

ParkWorld::~ParkWorld() = default;

int ParkWorld::buildingCount() const { return static_cast<int>(impl_->buildings.size()); }

double ParkWorld::groundHeight(Vec2 p) const {
    const Impl& w = *impl_;
    if (w.flat)
        return w.flatElevation_m;

    const RasterGrid& g = w.grid;
    const double fi = (p.x - g.x0) / g.dx;
    const double fj = (p.y - g.y0) / g.dy;
    if (!(fi >= 0 && fj >= 0 && fi <= g.nx - 1 && fj <= g.ny - 1))
        return kNaN;

    const int i = std::min(static_cast<int>(fi), g.nx - 2);
    const int j = std::min(static_cast<int>(fj), g.ny - 2);
    for (int dj = 0; dj <= 1; ++dj)
        for (int di = 0; di <= 1; ++di)
            if (w.missing[static_cast<size_t>(j + dj) * g.nx + i + di])
                return kNaN;

    // A vertical ray exactly on the hull's border can slip past the edge triangles, so the
    // ray runs a thousandth of a cell inside the border, and the height at p is then read
    // off the plane of the triangle it hit, whose closure still contains p.
    const double nudgeX = 1e-3 * g.dx, nudgeY = 1e-3 * g.dy;
    const double x = std::clamp(p.x, g.x0 + nudgeX, g.x0 + (g.nx - 1) * g.dx - nudgeX);
    const double y = std::clamp(p.y, g.y0 + nudgeY, g.y0 + (g.ny - 1) * g.dy - nudgeY);

    const double top_m = w.terrainMax_m + 1;
    const double drop_m = w.terrainMax_m - w.terrainMin_m + 2;
    btTransform from, to;
    from.setIdentity();
    to.setIdentity();
    from.setOrigin(toBt({x, y, top_m}));
    to.setOrigin(toBt({x, y, top_m - drop_m}));
    btCollisionWorld::ClosestRayResultCallback hit(from.getOrigin(), to.getOrigin());
    btCollisionWorld::rayTestSingle(from, to, w.terrainObject.get(), w.terrainShape.get(),
                                    w.terrainObject->getWorldTransform(), hit);
    if (!hit.hasHit())
        return kNaN;

    // The hit height comes from the fraction in double rather than the float hit point.
    const double z = top_m - hit.m_closestHitFraction * drop_m;
    btVector3 n = hit.m_hitNormalWorld;
    if (!(std::abs(n.z()) > 0))
        return z;
    return z - (n.x() * (p.x - x) + n.y() * (p.y - y)) / n.z();
}

std::optional<RayHit> ParkWorld::castRay(Vec3 from, Vec3 to) const {
    const Vec3 d{to.x - from.x, to.y - from.y, to.z - from.z};
    if (d.x == 0 && d.y == 0 && d.z == 0)
        return std::nullopt;

    const btVector3 a = toBt(from);
    const btVector3 b = toBt(to);
    btCollisionWorld::ClosestRayResultCallback hit(a, b);
    impl_->world.rayTest(a, b, hit);
    if (!hit.hasHit())
        return std::nullopt;

    RayHit result;
    result.fraction = hit.m_closestHitFraction;
    result.point = {from.x + d.x * result.fraction, from.y + d.y * result.fraction,
                    from.z + d.z * result.fraction};
    btVector3 normal = hit.m_hitNormalWorld;
    if (normal.length2() > 0)
        normal.normalize();
    result.normal = fromBt(normal);
    result.kind = static_cast<RayHit::Kind>(hit.m_collisionObject->getUserIndex());
    result.index = hit.m_collisionObject->getUserIndex2();
    return result;
}

double ParkWorld::surfaceHeight(Vec2 p) const {
    const auto hit = castRay({p.x, p.y, impl_->top_m}, {p.x, p.y, impl_->bottom_m});
    return hit ? hit->point.z : kNaN;
}

} // namespace parktwin::physics
