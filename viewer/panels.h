#pragma once
// The ImGui side panel: park, hour, maximum, layer toggles, time slider and the legend.

#include "viewer/camera.h"
#include "viewer/colormap.h"
#include "viewer/imgui_adapter.h"
#include "viewer/plume_drape.h"
#include "viewer/view_content.h"

#include <optional>

struct ImDrawList;

namespace parktwin::viewer {

struct LayerToggles {
    bool terrain = true;
    bool buildings = true;
    bool roads = true;
    bool stacks = true;
    bool plume = true;
    bool areas = true;
};

/// What the panel shows and what the user asked of it this frame.
struct PanelState {
    LayerToggles layers;
    GridChoice grid;
    std::optional<CameraPreset> presetRequest; ///< set when a view button was pressed
    PixelRect rect;                            ///< where the panel was drawn last frame
};

/// Width of the side panel, pixels.
inline constexpr float kPanelWidth_px = 330.0f;

/// Draws the panel for `content` at the top-left of the window and updates `state` from the
/// user's clicks. `peak` is the maximum of the grid currently shown.
void drawParkPanel(const ViewContent& content, const LogScale& scale, const GridPeak& peak,
                   PanelState& state);

/// Draws the colour bar of `scale` into `drawList` from `origin` (pixels, top-left), with
/// its log ticks labelled in µg/m³ and `limit_ugm3` marked when finite; returns the height
/// used, pixels.
float drawLegend(ImDrawList* drawList, float originX, float originY, float width,
                 const LogScale& scale, double limit_ugm3);

} // namespace parktwin::viewer
