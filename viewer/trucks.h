#pragma once
// Trucks as boxes moving along their tracks, all in one drawable rewritten each frame.

#include "engine/core/park.h"
#include "viewer/view_content.h"

#include <osg/Geode>
#include <osg/Geometry>
#include <osg/ref_ptr>
#include <vector>

namespace parktwin::viewer {

class TruckLayer {
public:
    /// Boxes are drawn larger than life (at least 1/150 of the park's span long) so they show.
    TruckLayer(const std::vector<TruckTrack>& trucks, const TerrainGrid& terrain,
               const Box2& extent);
    osg::Node* node() const { return geode_.get(); }
    /// Places every truck where it is at t; trucks outside their track's time are hidden.
    void update(double t_s);
    /// Trucks drawn by the last update.
    int shown() const { return shown_; }

private:
    const std::vector<TruckTrack>& trucks_;
    const TerrainGrid& terrain_;
    double length_m_;
    int shown_ = 0;
    osg::ref_ptr<osg::Geode> geode_;
    osg::ref_ptr<osg::Geometry> geometry_;
    osg::ref_ptr<osg::DrawArrays> quads_;
};

} // namespace parktwin::viewer
