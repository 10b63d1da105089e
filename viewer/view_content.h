#pragma once
// What the viewer draws: a park as the engine holds it, plus concentration grids over it.

#include "engine/core/met.h"
#include "engine/core/park.h"
#include "engine/core/raster.h"
#include "engine/core/time.h"

#include <limits>
#include <string>
#include <vector>

namespace parktwin::viewer {

/// Everything one viewer session shows. The viewer never owns the park; it must outlive the
/// session. Grids are ground-level concentrations in µg/m³ on the park-local frame.
struct ViewContent {
    const ParkModel* park = nullptr;
    std::string pollutant;          ///< e.g. "SO2", shown in the panel
    std::vector<UtcTime> hours;     ///< start of each hour in `hourly`, UTC
    std::vector<RasterGrid> hourly; ///< one grid per hour; may be empty
    RasterGrid periodMax;           ///< cell-wise maximum over the period; may be empty
    double limit_ugm3 = std::numeric_limits<double>::quiet_NaN(); ///< limit to mark, or NaN
    std::vector<MetHour> met; ///< meteorology of `hours`, same order; may be empty
};

/// Which concentration grid to show: the period maximum or one hour of `hourly`.
struct GridChoice {
    static constexpr int PeriodMax = -1;
    int hour = PeriodMax; ///< index into ViewContent::hourly, or PeriodMax
};

/// The grid a choice designates; nullptr when there is none (or it is empty).
const RasterGrid* chosenGrid(const ViewContent& content, GridChoice choice);

} // namespace parktwin::viewer
