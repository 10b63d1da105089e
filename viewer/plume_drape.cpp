#include "viewer/plume_drape.h"

#include "viewer/terrain_mesh.h"

#include <algorithm>
#include <cmath>
#include <osg/AlphaFunc>
#include <osg/Geometry>
#include <osg/LineWidth>
#include <osg/PolygonOffset>
#include <osg/TexEnv>
#include <osg/Texture2D>

namespace parktwin::viewer {

namespace {

/// Most mesh nodes along a side: finer grids keep their full resolution in the texture.
constexpr int kMaxMeshSide = 512;

/// Colour of the limit contours and of the limit mark in the legend.
const osg::Vec4 kLimitColour(1.0f, 60 / 255.0f, 220 / 255.0f, 1.0f);

bool sameLayout(const RasterGrid& a, const RasterGrid& b) {
    return a.nx == b.nx && a.ny == b.ny && a.x0 == b.x0 && a.y0 == b.y0 && a.dx == b.dx &&
           a.dy == b.dy;
}

} // namespace

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

std::vector<std::pair<Vec2, Vec2>> contourSegments(const RasterGrid& grid, double level) {
    std::vector<std::pair<Vec2, Vec2>> segments;
    for (int j = 0; j + 1 < grid.ny; ++j) {
        for (int i = 0; i + 1 < grid.nx; ++i) {
            // Corners counter-clockwise from the south-west: 0 SW, 1 SE, 2 NE, 3 NW.
            const int ci[4] = {i, i + 1, i + 1, i};
            const int cj[4] = {j, j, j + 1, j + 1};
            double v[4];
            bool finite = true;
            int code = 0;
            for (int k = 0; k < 4; ++k) {
                v[k] = grid.at(ci[k], cj[k]);
                finite = finite && std::isfinite(v[k]);
                code |= (v[k] >= level) << k;
            }
            if (!finite || code == 0 || code == 15)
                continue;
            // The crossing on edge k (from corner k to corner k+1), linear in value.
            auto crossing = [&](int k) {
                const int a = k, b = (k + 1) % 4;
                const double u = (level - v[a]) / (v[b] - v[a]);
                const Vec2 pa = grid.position(ci[a], cj[a]), pb = grid.position(ci[b], cj[b]);
                return pa + (pb - pa) * u;
            };
            std::vector<int> edges;
            for (int k = 0; k < 4; ++k)
                if (((code >> k) & 1) != ((code >> ((k + 1) % 4)) & 1))
                    edges.push_back(k);
            if (edges.size() == 2) {
                segments.push_back({crossing(edges[0]), crossing(edges[1])});
                continue;
            }
            // Saddle (corners alternate): the cell mean decides which corners connect.
            const bool centreHigh = (v[0] + v[1] + v[2] + v[3]) / 4 >= level;
            const bool swHigh = (code & 1) != 0;
            if (centreHigh == swHigh) {
                segments.push_back({crossing(0), crossing(1)});
                segments.push_back({crossing(2), crossing(3)});
            } else {
                segments.push_back({crossing(3), crossing(0)});
                segments.push_back({crossing(1), crossing(2)});
            }
        }
    }
    return segments;
}

PlumeDrape::PlumeDrape(const TerrainGrid& terrain, double lift_m)
    : terrain_(terrain), lift_m_(lift_m), root_(new osg::Group), drape_(new osg::Geode),
      contours_(new osg::Geode) {
    root_->setName("plume");
    root_->addChild(drape_);
    root_->addChild(contours_);

    osg::StateSet* state = drape_->getOrCreateStateSet();
    state->setMode(GL_LIGHTING, osg::StateAttribute::OFF | osg::StateAttribute::PROTECTED);
    state->setMode(GL_FOG, osg::StateAttribute::OFF | osg::StateAttribute::PROTECTED);
    state->setMode(GL_BLEND, osg::StateAttribute::OFF | osg::StateAttribute::PROTECTED);
    // Transparent texels (under the floor) are dropped, not blended: the rest stays opaque
    // and exact.
    state->setAttributeAndModes(new osg::AlphaFunc(osg::AlphaFunc::GREATER, 0.5f));
    state->setTextureAttribute(0, new osg::TexEnv(osg::TexEnv::REPLACE));
    // Pulls the overlay towards the eye in depth so it wins against the terrain where the
    // mesh between nodes dips under the triangulated ground.
    state->setAttributeAndModes(new osg::PolygonOffset(-2.0f, -8.0f));

    osg::StateSet* lines = contours_->getOrCreateStateSet();
    lines->setMode(GL_LIGHTING, osg::StateAttribute::OFF | osg::StateAttribute::PROTECTED);
    lines->setAttributeAndModes(new osg::LineWidth(2.5f));
}

void PlumeDrape::buildMesh(const RasterGrid& grid) {
    layout_ = RasterGrid(grid.x0, grid.y0, grid.dx, grid.dy, grid.nx, grid.ny);
    drape_->removeDrawables(0, drape_->getNumDrawables());

    image_ = new osg::Image;
    image_->allocateImage(grid.nx, grid.ny, 1, GL_RGBA, GL_UNSIGNED_BYTE);
    image_->setDataVariance(osg::Object::DYNAMIC);
    auto texture = new osg::Texture2D(image_.get());
    texture->setFilter(osg::Texture::MIN_FILTER, osg::Texture::NEAREST);
    texture->setFilter(osg::Texture::MAG_FILTER, osg::Texture::NEAREST);
    texture->setWrap(osg::Texture::WRAP_S, osg::Texture::CLAMP_TO_EDGE);
    texture->setWrap(osg::Texture::WRAP_T, osg::Texture::CLAMP_TO_EDGE);
    texture->setResizeNonPowerOfTwoHint(false);
    texture->setDataVariance(osg::Object::DYNAMIC);

    // Mesh nodes every `step` cell corners: no coarser than the terrain (so the drape hugs
    // it) unless the grid is too fine to mesh whole; on flat ground one quad carries it all.
    int step = std::max(grid.nx, grid.ny);
    if (!terrain_.flat()) {
        const double ratio =
            std::min(std::abs(terrain_.heights.dx), std::abs(terrain_.heights.dy)) /
            std::min(std::abs(grid.dx), std::abs(grid.dy));
        step = std::clamp(int(std::floor(ratio)), 1, step);
        step = std::max(step, int(std::ceil(double(std::max(grid.nx, grid.ny)) / kMaxMeshSide)));
    }
    std::vector<int> is, js;
    for (int i = 0; i < grid.nx; i += step)
        is.push_back(i);
    is.push_back(grid.nx);
    for (int j = 0; j < grid.ny; j += step)
        js.push_back(j);
    js.push_back(grid.ny);

    auto vertices = new osg::Vec3Array;
    auto texCoords = new osg::Vec2Array;
    const double west = grid.x0 - grid.dx / 2, south = grid.y0 - grid.dy / 2;
    for (int j : js) {
        for (int i : is) {
            const double x = west + i * grid.dx, y = south + j * grid.dy;
            vertices->push_back({float(x), float(y), float(groundAt(terrain_, {x, y}) + lift_m_)});
            texCoords->push_back({float(i) / grid.nx, float(j) / grid.ny});
        }
    }
    auto triangles = new osg::DrawElementsUInt(GL_TRIANGLES);
    const auto columns = static_cast<unsigned>(is.size());
    for (unsigned b = 0; b + 1 < js.size(); ++b) {
        for (unsigned a = 0; a + 1 < columns; ++a) {
            const unsigned sw = b * columns + a, se = sw + 1, nw = sw + columns, ne = nw + 1;
            for (unsigned v : {sw, se, ne, sw, ne, nw})
                triangles->push_back(v);
        }
    }
    osg::ref_ptr<osg::Geometry> geometry = new osg::Geometry;
    geometry->setVertexArray(vertices);
    geometry->setTexCoordArray(0, texCoords);
    auto white = new osg::Vec4Array;
    white->push_back({1, 1, 1, 1});
    geometry->setColorArray(white, osg::Array::BIND_OVERALL);
    geometry->addPrimitiveSet(triangles);
    geometry->setUseDisplayList(false);
    geometry->setUseVertexBufferObjects(true);
    geometry->getOrCreateStateSet()->setTextureAttributeAndModes(0, texture);
    drape_->addDrawable(geometry);
}

template <class Colour> bool PlumeDrape::paint(const RasterGrid* grid, Colour colour) {
    contours_->removeDrawables(0, contours_->getNumDrawables());
    if (!grid || grid->empty()) {
        drape_->setNodeMask(0);
        return false;
    }
    drape_->setNodeMask(~0u);
    if (!image_ || !sameLayout(layout_, *grid))
        buildMesh(*grid);

    unsigned char* texels = image_->data();
    for (int j = 0; j < grid->ny; ++j) {
        for (int i = 0; i < grid->nx; ++i) {
            unsigned char* t = texels + (size_t(j) * grid->nx + i) * 4;
            Rgb c;
            if (!colour(grid->at(i, j), c)) {
                t[0] = t[1] = t[2] = t[3] = 0;
                continue;
            }
            t[0] = static_cast<unsigned char>(std::lround(c.r * 255));
            t[1] = static_cast<unsigned char>(std::lround(c.g * 255));
            t[2] = static_cast<unsigned char>(std::lround(c.b * 255));
            t[3] = 255;
        }
    }
    image_->dirty();
    return true;
}

void PlumeDrape::showChange(const RasterGrid* grid, const DivergingScale& scale) {
    paint(grid, [&](double v, Rgb& c) {
        if (std::isnan(divergingPosition(v, scale)))
            return false;
        c = colourForChange(v, scale);
        return true;
    });
}

void PlumeDrape::show(const RasterGrid* grid, const LogScale& scale, double limit_ugm3) {
    const bool shown = paint(grid, [&](double v, Rgb& c) {
        if (std::isnan(scalePosition(v, scale)))
            return false;
        c = colourFor(v, scale);
        return true;
    });
    if (!shown)
        return;

    if (!(std::isfinite(limit_ugm3) && limit_ugm3 > 0))
        return;
    const auto segments = contourSegments(*grid, limit_ugm3);
    if (segments.empty())
        return;
    auto vertices = new osg::Vec3Array;
    for (const auto& [a, b] : segments) {
        for (const Vec2& p : {a, b})
            vertices->push_back(
                {float(p.x), float(p.y), float(groundAt(terrain_, p) + 2.5 * lift_m_)});
    }
    osg::ref_ptr<osg::Geometry> lines = new osg::Geometry;
    lines->setVertexArray(vertices);
    auto colour = new osg::Vec4Array;
    colour->push_back(kLimitColour);
    lines->setColorArray(colour, osg::Array::BIND_OVERALL);
    lines->addPrimitiveSet(new osg::DrawArrays(GL_LINES, 0, GLsizei(vertices->size())));
    contours_->addDrawable(lines);
}

void PlumeDrape::setContoursVisible(bool visible) {
    contours_->setNodeMask(visible ? ~0u : 0u);
}

} // namespace parktwin::viewer
