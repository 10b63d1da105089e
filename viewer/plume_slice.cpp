#include "viewer/plume_slice.h"

#include <algorithm>
#include <cmath>
#include <osg/AlphaFunc>
#include <osg/Geode>
#include <osg/Geometry>
#include <osg/Image>
#include <osg/TexEnv>
#include <osg/Texture2D>

namespace parktwin::viewer {

namespace {

/// Unit vector the wind blows toward, from the direction it comes from (degrees from north).
Vec2 downwind(const MetHour& met) {
    const double a = met.windFromDir_deg * M_PI / 180.0;
    return {-std::sin(a), -std::cos(a)};
}

bool calm(const MetHour& met) { return met.calm || !(met.windSpeed_ms > 0); }

} // namespace

Vec3 PlumeSlice::cellCentre(int column, int row) const {
    const double along = (column + 0.5) / columns * length_m;
    const Vec2 p = origin + direction * along;
    return {p.x, p.y, bottom_m + (row + 0.5) / rows * (top_m - bottom_m)};
}

int mostContributing(std::span<const dispersion::PointSource> sources, const MetHour& met,
                     const dispersion::PlumeOptions& options, const TerrainGrid& terrain,
                     Vec2 point) {
    if (sources.empty() || calm(met))
        return -1;
    const dispersion::Receptor receptor{point, terrain.heightAt(point), 0};
    int best = -1;
    double most = 0;
    for (size_t k = 0; k < sources.size(); ++k) {
        double c = 0;
        dispersion::addHourConcentrations(sources.subspan(k, 1), met, {&receptor, 1}, options,
                                          {&c, 1});
        if (c > most) {
            most = c;
            best = int(k);
        }
    }
    return best;
}

PlumeSlice computeSlice(std::span<const dispersion::PointSource> sources, int source,
                        const MetHour& met, const dispersion::PlumeOptions& options,
                        const TerrainGrid& terrain, double length_m, int columns, int rows) {
    PlumeSlice slice;
    if (source < 0 || source >= int(sources.size()) || calm(met) || !(length_m > 0) ||
        columns < 1 || rows < 1)
        return slice;
    const dispersion::PointSource& src = sources[source];
    slice.source = source;
    slice.origin = src.position;
    slice.direction = downwind(met);
    slice.length_m = length_m;
    slice.columns = columns;
    slice.rows = rows;

    std::vector<double> ground(columns);
    slice.bottom_m = src.baseElevation_m;
    double highestGround = src.baseElevation_m;
    for (int c = 0; c < columns; ++c) {
        const Vec2 p = src.position + slice.direction * ((c + 0.5) / columns * length_m);
        ground[c] = terrain.heightAt(p);
        slice.bottom_m = std::min(slice.bottom_m, ground[c]);
        highestGround = std::max(highestGround, ground[c]);
    }
    const dispersion::PlumeGeometry far =
        dispersion::plumeGeometryAt(src, met, options, length_m);
    double over = std::max(far.height_m + 2.5 * far.sigmaZ_m, 2.5 * src.height_m);
    if (met.mixingHeight_m > 0)
        over = std::min(over, 1.2 * met.mixingHeight_m);
    over = std::max(over, 1.5 * src.height_m);
    slice.top_m = std::max(src.baseElevation_m, highestGround) + over;

    std::vector<dispersion::Receptor> receptors;
    std::vector<size_t> cells;
    receptors.reserve(size_t(columns) * rows);
    slice.values.assign(size_t(columns) * rows, std::numeric_limits<double>::quiet_NaN());
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < columns; ++c) {
            const Vec3 centre = slice.cellCentre(c, r);
            if (centre.z < ground[c])
                continue;
            receptors.push_back({{centre.x, centre.y}, ground[c], centre.z - ground[c]});
            cells.push_back(size_t(r) * columns + c);
        }
    }
    std::vector<double> conc(receptors.size(), 0.0);
    dispersion::addHourConcentrations(sources, met, receptors, options, conc);
    for (size_t k = 0; k < cells.size(); ++k)
        slice.values[cells[k]] = conc[k];
    return slice;
}

osg::ref_ptr<osg::Node> buildSlice(const PlumeSlice& slice, const LogScale& scale) {
    osg::ref_ptr<osg::Geode> geode = new osg::Geode;
    geode->setName("plume slice");
    if (slice.empty())
        return geode;

    osg::ref_ptr<osg::Image> image = new osg::Image;
    image->allocateImage(slice.columns, slice.rows, 1, GL_RGBA, GL_UNSIGNED_BYTE);
    for (int r = 0; r < slice.rows; ++r) {
        for (int c = 0; c < slice.columns; ++c) {
            unsigned char* t = image->data(c, r);
            const double v = slice.at(c, r);
            if (std::isnan(scalePosition(v, scale))) {
                t[0] = t[1] = t[2] = t[3] = 0;
                continue;
            }
            const Rgb colour = colourFor(v, scale);
            t[0] = static_cast<unsigned char>(std::lround(colour.r * 255));
            t[1] = static_cast<unsigned char>(std::lround(colour.g * 255));
            t[2] = static_cast<unsigned char>(std::lround(colour.b * 255));
            t[3] = 255;
        }
    }
    auto texture = new osg::Texture2D(image.get());
    texture->setFilter(osg::Texture::MIN_FILTER, osg::Texture::NEAREST);
    texture->setFilter(osg::Texture::MAG_FILTER, osg::Texture::NEAREST);
    texture->setWrap(osg::Texture::WRAP_S, osg::Texture::CLAMP_TO_EDGE);
    texture->setWrap(osg::Texture::WRAP_T, osg::Texture::CLAMP_TO_EDGE);
    texture->setResizeNonPowerOfTwoHint(false);

    const Vec2 end = slice.origin + slice.direction * slice.length_m;
    auto vertices = new osg::Vec3Array;
    for (const auto& [p, z] : {std::pair{slice.origin, slice.bottom_m}, {end, slice.bottom_m},
                               {end, slice.top_m}, {slice.origin, slice.top_m}})
        vertices->push_back({float(p.x), float(p.y), float(z)});
    auto texCoords = new osg::Vec2Array;
    for (const auto& [s, t] : {std::pair{0.f, 0.f}, {1.f, 0.f}, {1.f, 1.f}, {0.f, 1.f}})
        texCoords->push_back({s, t});
    auto white = new osg::Vec4Array;
    white->push_back({1, 1, 1, 1});

    osg::ref_ptr<osg::Geometry> quad = new osg::Geometry;
    quad->setVertexArray(vertices);
    quad->setTexCoordArray(0, texCoords);
    quad->setColorArray(white, osg::Array::BIND_OVERALL);
    quad->addPrimitiveSet(new osg::DrawArrays(GL_QUADS, 0, 4));
    quad->setUseDisplayList(false);
    quad->setUseVertexBufferObjects(true);
    geode->addDrawable(quad);

    osg::StateSet* state = geode->getOrCreateStateSet();
    state->setTextureAttributeAndModes(0, texture);
    state->setTextureAttribute(0, new osg::TexEnv(osg::TexEnv::REPLACE));
    state->setMode(GL_LIGHTING, osg::StateAttribute::OFF | osg::StateAttribute::PROTECTED);
    state->setMode(GL_CULL_FACE, osg::StateAttribute::OFF | osg::StateAttribute::PROTECTED);
    state->setMode(GL_BLEND, osg::StateAttribute::OFF | osg::StateAttribute::PROTECTED);
    state->setAttributeAndModes(new osg::AlphaFunc(osg::AlphaFunc::GREATER, 0.5f));
    return geode;
}

} // namespace parktwin::viewer
