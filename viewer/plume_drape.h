#pragma once
// A concentration grid draped on the ground as an unlit, opaque colour overlay.

#include "engine/core/raster.h"
#include "viewer/colormap.h"

#include <osg/Geode>
#include <osg/ref_ptr>

namespace parktwin::viewer {

/// Where a grid peaks: its largest finite value (µg/m³) and that cell's centre (local frame).
struct GridPeak {
    double value_ugm3 = 0;
    Vec2 position;
    bool found = false;
};

/// The largest finite value of a grid and where it is; found is false for an empty grid.
GridPeak gridPeak(const RasterGrid& grid);

/// One flat-coloured quad per cell, coloured by colourFor(value, scale), `lift_m` above the
/// ground at each corner. Cells under the scale's floor (or NaN) are left out, so the ground
/// shows through. Unlit and opaque, so a pixel shows exactly the legend's colour.
osg::ref_ptr<osg::Geode> buildPlumeDrape(const RasterGrid& grid, const LogScale& scale,
                                         const TerrainGrid& terrain, double lift_m);

} // namespace parktwin::viewer
