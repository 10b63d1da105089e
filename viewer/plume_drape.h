#pragma once
// A concentration grid draped on the ground as an unlit colour overlay, with contour lines
// at the limit.

#include "engine/core/park.h"
#include "engine/core/raster.h"
#include "viewer/colormap.h"

#include <osg/Geode>
#include <osg/Group>
#include <osg/Image>
#include <osg/ref_ptr>
#include <utility>
#include <vector>

namespace parktwin::viewer {

/// Where a grid peaks: its largest finite value (µg/m³) and that cell's centre (local frame).
struct GridPeak {
    double value_ugm3 = 0;
    Vec2 position;
    bool found = false;
};

/// The largest finite value of a grid and where it is; found is false for an empty grid.
GridPeak gridPeak(const RasterGrid& grid);

/// Line segments where the field interpolated linearly between cell centres crosses
/// `level` (marching squares; saddles split by the cell mean). Cells touching NaN give none.
std::vector<std::pair<Vec2, Vec2>> contourSegments(const RasterGrid& grid, double level);

/// The plume overlay of a session. The mesh follows the ground at the grid's cell corners
/// (`lift_m` above it) and carries the grid as a texture, one texel per cell, sampled
/// nearest so each pixel shows exactly the legend's colour of its cell; cells under the
/// scale's floor (or NaN) are transparent. Showing another hour on the same layout only
/// recolours the texture.
class PlumeDrape {
public:
    PlumeDrape(const TerrainGrid& terrain, double lift_m);

    /// The node to put in the scene: the drape and the contour lines.
    osg::Group* node() const { return root_.get(); }

    /// Shows `grid` (nothing when null) on `scale`, with contours at `limit_ugm3` when it is
    /// finite and positive.
    void show(const RasterGrid* grid, const LogScale& scale, double limit_ugm3);

    /// Shows a change of concentration (a variant minus the baseline; nothing when null) on
    /// a diverging scale; changes under the scale's floor are transparent. No contours.
    void showChange(const RasterGrid* grid, const DivergingScale& scale);

    /// Shows or hides the contour lines.
    void setContoursVisible(bool visible);

private:
    void buildMesh(const RasterGrid& grid);
    /// Shows the drape for `grid` (hidden when null or empty) and colours each cell with
    /// `colour`, which returns false for a transparent cell.
    template <class Colour> bool paint(const RasterGrid* grid, Colour colour);

    const TerrainGrid& terrain_;
    double lift_m_;
    RasterGrid layout_; ///< the grid the mesh was built for (values unused)
    osg::ref_ptr<osg::Group> root_;
    osg::ref_ptr<osg::Geode> drape_;
    osg::ref_ptr<osg::Geode> contours_;
    osg::ref_ptr<osg::Image> image_;
};

} // namespace parktwin::viewer
