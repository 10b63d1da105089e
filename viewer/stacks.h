#pragma once
// Stacks as cylinders to their release height, with a marker at the top.

#include "engine/core/park.h"

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

} // namespace parktwin::viewer
