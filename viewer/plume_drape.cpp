#include "viewer/plume_drape.h"

#include "viewer/terrain_mesh.h"

#include <cmath>
#include <osg/Geometry>
#include <osg/PolygonOffset>

namespace parktwin::viewer {

GridPeak gridPeak(const RasterGrid& grid) {
    GridPeak peak;
    for (int j = 0; j < grid.ny; ++j) {
        for (int i = 0; i < grid.nx; ++i) {
            const double v = grid.at(i, j);
            if (std::isfinite(v) && (!peak.found || v > peak.value_ugm3)) {
                peak = {v, grid.position(i, j), true};
            }
        }
    }
    return peak;
}

osg::ref_ptr<osg::Geode> buildPlumeDrape(const RasterGrid& grid, const LogScale& scale,
                                         const TerrainGrid& terrain, double lift_m) {
    auto vertices = new osg::Vec3Array;
    auto colours = new osg::Vec4Array;
    auto corner = [&](double x, double y) {
        const double z = groundAt(terrain, {x, y}) + lift_m;
        return osg::Vec3(float(x), float(y), float(z));
    };
    for (int j = 0; j < grid.ny; ++j) {
        for (int i = 0; i < grid.nx; ++i) {
            const double v = grid.at(i, j);
            if (std::isnan(scalePosition(v, scale)))
                continue;
            const Rgb c = colourFor(v, scale);
            const osg::Vec4 colour(c.r, c.g, c.b, 1.0f);
            const Vec2 centre = grid.position(i, j);
            const double hx = grid.dx / 2, hy = grid.dy / 2;
            const osg::Vec3 sw = corner(centre.x - hx, centre.y - hy);
            const osg::Vec3 se = corner(centre.x + hx, centre.y - hy);
            const osg::Vec3 ne = corner(centre.x + hx, centre.y + hy);
            const osg::Vec3 nw = corner(centre.x - hx, centre.y + hy);
            for (const osg::Vec3& p : {sw, se, ne, sw, ne, nw}) {
                vertices->push_back(p);
                colours->push_back(colour);
            }
        }
    }

    osg::ref_ptr<osg::Geometry> geometry = new osg::Geometry;
    geometry->setVertexArray(vertices);
    geometry->setColorArray(colours, osg::Array::BIND_PER_VERTEX);
    geometry->addPrimitiveSet(
        new osg::DrawArrays(GL_TRIANGLES, 0, static_cast<GLsizei>(vertices->size())));
    geometry->setUseVertexBufferObjects(true);

    osg::StateSet* state = geometry->getOrCreateStateSet();
    state->setMode(GL_LIGHTING, osg::StateAttribute::OFF | osg::StateAttribute::PROTECTED);
    state->setMode(GL_FOG, osg::StateAttribute::OFF | osg::StateAttribute::PROTECTED);
    state->setMode(GL_BLEND, osg::StateAttribute::OFF | osg::StateAttribute::PROTECTED);
    // Pulls the overlay towards the eye in depth so it wins against the terrain where the
    // bilinear corners dip under the triangulated ground.
    state->setAttributeAndModes(new osg::PolygonOffset(-2.0f, -8.0f));

    osg::ref_ptr<osg::Geode> geode = new osg::Geode;
    geode->setName("plume");
    geode->addDrawable(geometry);
    return geode;
}

} // namespace parktwin::viewer
