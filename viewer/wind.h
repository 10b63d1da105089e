#pragma once
// The wind: an arrow in the scene for the hour shown, and the wind rose of a met series.

#include "engine/core/geometry.h"
#include "engine/core/met.h"

#include <array>
#include <osg/MatrixTransform>
#include <osg/ref_ptr>
#include <vector>

namespace parktwin::viewer {

/// Hours of a met series by the direction the wind blows from (16 sectors of 22.5 degrees,
/// sector 0 centred on north) and by speed class.
struct WindRose {
    static constexpr int kSectors = 16;
    /// Upper bounds of the speed classes, m/s; the last class is open.
    static constexpr std::array<double, 4> kClassTop_ms{2.0, 4.0, 6.0, 1e9};
    std::array<std::array<int, kClassTop_ms.size()>, kSectors> hours{};
    int calmHours = 0;
    int totalHours = 0; ///< calm hours included
};

/// Counts the hours of `met` into a wind rose; calm hours count apart.
WindRose windRose(const std::vector<MetHour>& met);

/// Sector of a wind-from direction in degrees clockwise from north: round(dir / 22.5) mod 16.
int windSector(double windFromDir_deg);

/// A flat arrow floating above the ground, pointing where the wind blows to. `update` turns
/// it for an hour and hides it for calm or missing hours.
class WindArrow {
public:
    /// The arrow stands at `anchor` (local frame, metres) and is `length_m` long.
    WindArrow(const Vec3& anchor, double length_m);
    osg::Node* node() const { return transform_.get(); }
    void update(const MetHour* hour);

private:
    osg::Vec3d anchor_;
    osg::ref_ptr<osg::MatrixTransform> transform_;
};

} // namespace parktwin::viewer
