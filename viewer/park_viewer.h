#pragma once
// The two ways to look at a park: an interactive window, and a headless PNG snapshot.

#include "engine/core/geometry.h"
#include "viewer/camera.h"
#include "viewer/colormap.h"
#include "viewer/imgui_adapter.h"
#include "viewer/view_content.h"

#include <array>
#include <filesystem>
#include <optional>
#include <osg/Matrixd>
#include <string>
#include <vector>

namespace parktwin::viewer {

struct ViewerOptions {
    int width = 1280;
    int height = 720;
    GridChoice grid;                                  ///< grid shown first
    std::optional<UtcTime> at;                        ///< instant shown first
    CameraPreset camera = CameraPreset::ObliqueSouth; ///< initial view
    std::string fontPath = kDefaultFontPath;
    double colourRange = 1000; ///< ratio of the colour scale's top to its floor
};

struct SnapshotOptions {
    int width = 1280; ///< pixels; keep within the X screen (Xvfb: -screen 0 WxHx24)
    int height = 720;
    GridChoice grid; ///< an hour of ViewContent::hourly, or the period maximum
    std::optional<UtcTime> at; ///< the instant to show; overrides `grid`
    CameraPreset camera = CameraPreset::ObliqueSouth;
    std::filesystem::path output; ///< PNG to write; nothing is written when empty
    bool showPanel = true;
    int warmupFrames = 3; ///< frames drawn before the captured one (ImGui lays out over two)
    std::string fontPath = kDefaultFontPath;
    double colourRange = 1000; ///< ratio of the colour scale's top to its floor
};

struct SnapshotInfo {
    int width = 0;
    int height = 0;
    /// Local frame (metres; x east, y north, z up) to window pixels with the origin at the
    /// bottom-left, OSG's row-vector convention: window = local * viewProjectionWindow.
    osg::Matrixd viewProjectionWindow;
    LogScale scale;                 ///< the colour scale the plume and legend used
    PixelRect panel;                ///< where the ImGui panel is in the picture (top-left origin)
    PixelRect legendBar;            ///< the legend's colour bar in the picture
    std::string timeText;           ///< the instant the timeline showed, park local time
    int hour = -1;                  ///< index of the hour shown, -1 for none or the maximum
    std::vector<unsigned char> rgb; ///< the picture, RGB, top row first
    double firstFrame_ms = 0;       ///< wall time of the first frame (shader compilation)
    double meanFrame_ms = 0;        ///< mean wall time of the later frames

    /// Where a local-frame point lands in the picture: column and row in pixels from the
    /// top-left corner (fractional; the pixel is their floor). Points behind the eye give NaN.
    Vec2 project(const Vec3& local) const;

    /// The picture's pixel at (column, row), or black outside it.
    std::array<unsigned char, 3> pixel(int column, int row) const;
};

/// Opens a window showing the park and its plume with the ImGui panel; returns when the
/// window is closed (or Escape is pressed). Throws parktwin::Error when no window can be opened.
void runViewer(const ViewContent& content, const ViewerOptions& options);

/// Renders the content into a hidden-from-view, undecorated window, reads the picture back
/// (panel included), writes it as PNG when options.output is set, and returns it with the
/// projection needed to find points in it. Throws parktwin::Error without an X display or
/// when the PNG cannot be written.
SnapshotInfo renderSnapshot(const ViewContent& content, const SnapshotOptions& options);

/// Writes RGB bytes (top row first) as a PNG; throws parktwin::Error naming the path on failure.
void writePng(const std::filesystem::path& path, int width, int height,
              const std::vector<unsigned char>& rgb);

} // namespace parktwin::viewer
