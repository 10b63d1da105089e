#pragma once
// Sensors as pins on the ground, coloured by their latest reading against their limit.

#include "engine/core/park.h"
#include "viewer/view_content.h"

#include <osg/Geode>
#include <osg/ShapeDrawable>
#include <osg/ref_ptr>
#include <vector>

namespace parktwin::viewer {

/// How a sensor's latest reading stands against its limit.
enum class SensorState { NoReading, NoLimit, Low, Near, Over };

/// No reading; no limit known; under half the limit; from half to the limit; at or over it.
SensorState sensorState(const SensorMarker& sensor, double t_s);

/// The pin colour of a state: grey, blue, green, amber, red.
osg::Vec4 sensorColour(SensorState state);

/// Where a sensor's pin head is drawn, local frame.
Vec3 sensorHead(const SensorMarker& sensor, const TerrainGrid& terrain, const Box2& extent);

class SensorLayer {
public:
    SensorLayer(const std::vector<SensorMarker>& sensors, const TerrainGrid& terrain,
                const Box2& extent);
    osg::Node* node() const { return geode_.get(); }
    /// Recolours the pins for instant t.
    void update(double t_s);

private:
    const std::vector<SensorMarker>& sensors_;
    osg::ref_ptr<osg::Geode> geode_;
    std::vector<osg::ref_ptr<osg::ShapeDrawable>> heads_;
};

} // namespace parktwin::viewer
