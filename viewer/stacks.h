#pragma once
// Stacks as cylinders to their release height, with a marker at the top, and the rise of
// their plumes for an hour.

#include "engine/core/met.h"
#include "engine/core/park.h"
#include "engine/dispersion/plume.h"

#include <osg/Node>
#include <osg/ref_ptr>
#include <vector>

namespace parktwin::viewer {

/// Radius a stack is drawn with, metres: its real radius widened to stay visible from the
/// park's scale (`extent`), since a 3 m flue is sub-pixel in a 5 km view.
double stackDrawRadius_m(const Stack& stack, const Box2& extent);

/// Lit cylinders from each stack's base to base + height, a dark sphere at the release point
/// (orange for planned stacks).
osg::ref_ptr<osg::Node> buildStacks(const std::vector<Stack>& stacks, const Box2& extent);

/// The plume centreline of a stack for one hour, local frame: from the stack top (lowered
/// by stack-tip downwash) downwind along Briggs' gradual rise to the final rise, then level
/// for a fifth of that distance again (EPA ISC3 user's guide vol II, section 1.1.4). Calm
/// hours rise straight up by the final rise at 1 m/s. Points every 1/16 of the path.
std::vector<Vec3> plumeRisePath(const Stack& stack, const MetHour& hour,
                                dispersion::LandUse landUse);

/// The plume rise of every stack for one hour as light lines.
osg::ref_ptr<osg::Node> buildPlumeRise(const std::vector<Stack>& stacks, const MetHour& hour,
                                       dispersion::LandUse landUse);

} // namespace parktwin::viewer
