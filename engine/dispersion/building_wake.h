#pragma once
// Building dimensions for a stack's downwash, by wind sector, from the park's 3D buildings, in
// the way EPA's Building Profile Input Program prepares ISC3's BUILDHGT and BUILDWID: for each
// of the 36 flow directions, the building whose wake can reach the stack and that gives the
// highest good-engineering-practice height hb + 1.5 L (L = the lesser of its height and its
// width projected across the wind) is the one the stack sees.

#include <span>

#include "engine/core/park.h"
#include "engine/dispersion/plume.h"

namespace parktwin::dispersion {

/// The wake table of a stack at `stack` whose base is at `stackBase_m`. A building counts when
/// the stack stands within 5 L of its footprint (the region of influence of EPA's GEP
/// guidance, EPA-450/4-80-023R); its height is taken above the stack base. Returns nothing
/// when no building reaches the stack in any sector.
std::optional<BuildingWakeTable> buildingWake(Vec2 stack, double stackBase_m,
                                              std::span<const Building> buildings);

} // namespace parktwin::dispersion
