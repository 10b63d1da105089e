#pragma once
// A vertical slice of concentration along a plume's axis: a plane standing on the ground
// from a stack downwind, its cells computed by the dispersion engine at heights above the
// terrain (receptor flagpoles), drawn as a textured quad on the log colour scale.

#include "engine/core/met.h"
#include "engine/core/park.h"
#include "engine/dispersion/plume.h"
#include "viewer/colormap.h"

#include <limits>
#include <osg/Node>
#include <osg/ref_ptr>
#include <span>
#include <vector>

namespace parktwin::viewer {

/// Concentrations on a vertical plane: `columns` cells along `direction` from `origin` over
/// `length_m`, `rows` cells from `bottom_m` to `top_m` (elevations, DEM datum).
struct PlumeSlice {
    int source = -1;   ///< index of the source the plane follows; -1: no slice
    Vec2 origin;       ///< the source's position, local frame
    Vec2 direction;    ///< unit, the way the wind blows
    double length_m = 0;
    double bottom_m = 0, top_m = 0;
    int columns = 0, rows = 0;
    /// µg/m³, row-major from the bottom row; NaN for cells under the ground.
    std::vector<double> values;

    bool empty() const { return source < 0 || values.empty(); }
    double at(int column, int row) const { return values[size_t(row) * columns + column]; }
    /// Centre of a cell: horizontal position and elevation.
    Vec3 cellCentre(int column, int row) const;
};

/// The source whose plume gives the most at `point` (on the ground there) this hour: each
/// source's concentration alone, as addHourConcentrations computes it. -1 when there are no
/// sources or the hour is calm or none reaches the point.
int mostContributing(std::span<const dispersion::PointSource> sources, const MetHour& met,
                     const dispersion::PlumeOptions& options, const TerrainGrid& terrain,
                     Vec2 point);

/// The slice along the wind from source `source` for one hour, all sources contributing;
/// `length_m` long, from the lowest ground along it to well over the plume (its height and
/// 2.5 sigma-z at the far end, at least 2.5 times the stack). Empty for a calm hour or a
/// source index out of range.
PlumeSlice computeSlice(std::span<const dispersion::PointSource> sources, int source,
                        const MetHour& met, const dispersion::PlumeOptions& options,
                        const TerrainGrid& terrain, double length_m, int columns = 128,
                        int rows = 48);

/// The slice as an unlit, two-sided quad coloured on `scale`; cells under the scale's floor
/// or under the ground are left out (alpha-tested, so the rest shows its colour exactly).
osg::ref_ptr<osg::Node> buildSlice(const PlumeSlice& slice, const LogScale& scale);

} // namespace parktwin::viewer
