#include "viewer/sensor_markers.h"

#include "viewer/terrain_mesh.h"

#include <algorithm>
#include <cmath>
#include <osg/Shape>

namespace parktwin::viewer {

namespace {

/// Pins are drawn larger than life so they show at the park's scale.
double pinHeight_m(const SensorMarker& s, const Box2& extent) {
    const double span = extent.valid() ? std::max(extent.width(), extent.height()) : 2000.0;
    return std::max(s.height_m, span * 0.02);
}

double pinRadius_m(const Box2& extent) {
    const double span = extent.valid() ? std::max(extent.width(), extent.height()) : 2000.0;
    return span * 0.006;
}

} // namespace

SensorState sensorState(const SensorMarker& sensor, double t_s) {
    const auto latest = latestAt(sensor.readings, t_s);
    if (!latest || !std::isfinite(latest->value))
        return SensorState::NoReading;
    if (!(std::isfinite(sensor.limit) && sensor.limit > 0))
        return SensorState::NoLimit;
    if (latest->value >= sensor.limit)
        return SensorState::Over;
    return latest->value >= 0.5 * sensor.limit ? SensorState::Near : SensorState::Low;
}

osg::Vec4 sensorColour(SensorState state) {
    switch (state) {
    case SensorState::NoReading:
        return {0.55f, 0.55f, 0.55f, 1.0f};
    case SensorState::NoLimit:
        return {0.20f, 0.45f, 0.85f, 1.0f};
    case SensorState::Low:
        return {0.15f, 0.70f, 0.25f, 1.0f};
    case SensorState::Near:
        return {0.95f, 0.70f, 0.10f, 1.0f};
    case SensorState::Over:
        return {0.90f, 0.10f, 0.10f, 1.0f};
    }
    return {1, 1, 1, 1};
}

Vec3 sensorHead(const SensorMarker& sensor, const TerrainGrid& terrain, const Box2& extent) {
    return {sensor.position.x, sensor.position.y,
            groundAt(terrain, sensor.position) + pinHeight_m(sensor, extent)};
}

SensorLayer::SensorLayer(const std::vector<SensorMarker>& sensors, const TerrainGrid& terrain,
                         const Box2& extent)
    : sensors_(sensors), geode_(new osg::Geode) {
    geode_->setName("sensors");
    auto hints = new osg::TessellationHints;
    hints->setDetailRatio(0.5f);
    const auto radius = float(pinRadius_m(extent));
    for (const SensorMarker& s : sensors) {
        const Vec3 head = sensorHead(s, terrain, extent);
        const double ground = groundAt(terrain, s.position);
        const auto stem = float(head.z - ground);
        auto pole = new osg::ShapeDrawable(
            new osg::Cylinder(osg::Vec3(float(s.position.x), float(s.position.y),
                                        float(ground + stem / 2)),
                              radius * 0.25f, stem),
            hints);
        pole->setColor({0.25f, 0.25f, 0.28f, 1.0f});
        geode_->addDrawable(pole);
        osg::ref_ptr<osg::ShapeDrawable> ball = new osg::ShapeDrawable(
            new osg::Sphere(osg::Vec3(float(head.x), float(head.y), float(head.z)), radius),
            hints);
        geode_->addDrawable(ball);
        heads_.push_back(ball);
    }
    update(-INFINITY);
}

void SensorLayer::update(double t_s) {
    for (size_t k = 0; k < heads_.size(); ++k) {
        const osg::Vec4 colour = sensorColour(sensorState(sensors_[k], t_s));
        if (heads_[k]->getColor() != colour)
            heads_[k]->setColor(colour);
    }
}

} // namespace parktwin::viewer
