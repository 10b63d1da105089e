#pragma once
// The ImGui panels: the park panel (summary, timeline, wind, layers, camera, incidents and the
// legend) on the left, the inspector of the selection on the right. Charts and the wind rose
// are drawn with ImGui's own draw lists.

#include "viewer/camera.h"
#include "viewer/colormap.h"
#include "viewer/imgui_adapter.h"
#include "viewer/plume_drape.h"
#include "viewer/view_content.h"
#include "viewer/what_if.h"
#include "viewer/wind.h"

#include <cmath>
#include <optional>
#include <osg/Vec3d>
#include <string>
#include <vector>

struct ImDrawList;

namespace parktwin::viewer {

struct LayerToggles {
    bool terrain = true;
    bool areas = true; ///< land use and park boundaries
    bool buildings = true;
    bool roads = true;
    bool stacks = true;
    bool plumeRise = true;
    bool plume = true;
    bool contours = true; ///< lines at the limit
    bool sensors = true;
    bool trucks = true;
    bool wind = true;
    bool slice = false; ///< vertical slice of concentration along the plume axis
};

/// The instant shown and how it moves. The picture is a function of `time_s` (and of
/// `periodMax`) alone: the same instant always gives the same picture.
struct TimelineState {
    double time_s = NAN;   ///< seconds since the epoch, UTC
    bool playing = false;
    double speed = 3600;   ///< scenario seconds per wall-clock second
    bool periodMax = false; ///< show the period maximum instead of the hour's grid
};

/// What the user clicked in the scene.
struct Selection {
    enum class Kind { None, Building, Stack, Sensor, Ground };
    Kind kind = Kind::None;
    int index = -1; ///< into ParkModel::buildings / ::stacks, or ViewContent::sensors
    Vec3 point;     ///< where the pick ray met it, local frame
};

/// A camera pose the user saved.
struct Viewpoint {
    std::string name;
    osg::Vec3d eye, centre, up;
};

/// The What-if panel: the edit being composed, what a click on the ground places, and the
/// state of the run (written by the session).
struct WhatIfPanel {
    enum class Placing { Nothing, Building, Stack };
    Placing placing = Placing::Nothing; ///< what the next click on open ground places

    // The next building placed: footprint (m), height (m), turn anticlockwise from east.
    float buildingWidth_m = 80, buildingDepth_m = 40, buildingHeight_m = 30;
    float buildingRotation_deg = 0;
    // The next stack placed.
    float stackHeight_m = 40, stackDiameter_m = 2, stackExitVelocity_ms = 12;
    float stackExitTemperature_K = 400, stackRate_gs = 20;

    WhatIfEdit edit;            ///< filled from the scenario by the session
    bool editChanged = false;   ///< set when the edit changed, for the scene to follow
    bool runRequest = false;    ///< set when "run" was pressed
    bool running = false;       ///< a run is under way
    float progress = 0;         ///< share of its hours done
    std::string status;         ///< the last event worth telling (placed, finished, refused)
};

/// What the panels show and what the user asked of them this frame.
struct PanelState {
    LayerToggles layers;
    TimelineState timeline;
    GridChoice grid; ///< the grid on screen, derived from the timeline each frame
    int variant = GridChoice::Baseline; ///< the run shown: baseline or a what-if variant
    bool showChange = false; ///< with a variant shown: draw its change from the baseline
    WhatIfPanel whatIf;
    Selection selection;
    int incident = -1; ///< the incident last chosen in the list, or -1
    std::optional<CameraPreset> presetRequest; ///< set when a view button was pressed
    bool flyToSelection = false;
    bool saveViewpoint = false;
    std::optional<size_t> viewpointRequest;
    std::vector<Viewpoint> viewpoints;

    PixelRect rect;          ///< where the park panel was drawn last frame
    PixelRect inspectorRect; ///< where the inspector was drawn (zero when hidden)
    PixelRect legendBar;     ///< the legend's colour bar, floor at the left, maximum at the right
    std::string timeText;    ///< the instant the timeline showed, park local time
    std::string hourText;    ///< the hour's summary line (grid, wind) as shown
    std::string readingText; ///< the selected sensor's latest reading as the inspector showed it
};

/// What the session computed for this frame, for the panels to show.
struct PanelView {
    LogScale scale;
    DivergingScale changeScale; ///< of the change shown, when one is
    std::optional<LogScale> sliceScale; ///< of the vertical slice, while one is shown
    bool whatIfPossible = false; ///< the content has a scenario and met to run again
    GridPeak peak;         ///< maximum of the grid shown
    WindRose rose;         ///< of the whole met series
    int hour = -1;         ///< index of the hour at the timeline's instant, or -1
    double windowStart_s = 0, windowEnd_s = 0; ///< the replay window; equal when none
    std::vector<RunFigures> figures; ///< the baseline's, then each variant's
};

/// Width of the side panels, pixels.
inline constexpr float kPanelWidth_px = 330.0f;

/// "2016-03-01 14:30 +07:00": an instant in the park's local time, labelled with its offset.
std::string localTimeLabel(double t_s, UtcOffset zone);

/// Draws the park panel at the top-left and the inspector at the top-right of the window,
/// and updates `state` from the user's clicks.
void drawPanels(const ViewContent& content, const PanelView& view, PanelState& state);

/// Draws the colour bar of `scale` into `drawList` from `origin` (pixels, top-left), with
/// its log ticks labelled in µg/m³ and `limit_ugm3` marked when finite; returns the height
/// used, pixels.
float drawLegend(ImDrawList* drawList, float originX, float originY, float width,
                 const LogScale& scale, double limit_ugm3);

/// Draws the colour bar of a change scale: decreases on the left half, increases on the
/// right, the magnitude on a log scale out from the middle (the floor) to the ends (the top),
/// labelled in µg/m³ with signs; returns the height used, pixels.
float drawChangeLegend(ImDrawList* drawList, float originX, float originY, float width,
                       const DivergingScale& scale);

/// The wind rose as stacked wedges per sector (length by share of hours), speed classes
/// from light to dark, north up; `current` marks the hour shown with a line from the centre.
void drawWindRose(ImDrawList* drawList, float centreX, float centreY, float radius,
                  const WindRose& rose, const MetHour* current);

/// A time chart of readings (dots and line) against modelled values (line), with the limit
/// as a dashed red line and the instant `now_s` as a vertical line, in the box
/// [x0, x1] x [y0, y1] pixels over [from_s, to_s].
void drawSeriesChart(ImDrawList* drawList, float x0, float y0, float x1, float y1,
                     const std::vector<TimedValue>& readings,
                     const std::vector<TimedValue>& modelled, double limit, double from_s,
                     double to_s, double now_s);

} // namespace parktwin::viewer
