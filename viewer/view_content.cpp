#include "viewer/view_content.h"

namespace parktwin::viewer {

const RasterGrid* chosenGrid(const ViewContent& content, GridChoice choice) {
    const RasterGrid* grid = nullptr;
    if (choice.hour == GridChoice::PeriodMax)
        grid = &content.periodMax;
    else if (choice.hour >= 0 && choice.hour < static_cast<int>(content.hourly.size()))
        grid = &content.hourly[choice.hour];
    return grid && !grid->empty() ? grid : nullptr;
}

} // namespace parktwin::viewer
