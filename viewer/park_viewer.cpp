#include "viewer/park_viewer.h"

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "viewer/viewer_session.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <stb_image_write.h>

namespace parktwin::viewer {

Vec2 SnapshotInfo::project(const Vec3& local) const {
    const osg::Vec4d clip = osg::Vec4d(local.x, local.y, local.z, 1.0) * viewProjectionWindow;
    if (!(clip.w() > 0))
        return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
    const double x = clip.x() / clip.w();
    const double y = clip.y() / clip.w();
    return {x, height - y};
}

std::array<unsigned char, 3> SnapshotInfo::pixel(int column, int row) const {
    if (column < 0 || row < 0 || column >= width || row >= height ||
        rgb.size() < static_cast<size_t>(width) * height * 3)
        return {0, 0, 0};
    const size_t at = (static_cast<size_t>(row) * width + column) * 3;
    return {rgb[at], rgb[at + 1], rgb[at + 2]};
}

void writePng(const std::filesystem::path& path, int width, int height,
              const std::vector<unsigned char>& rgb) {
    if (path.has_parent_path())
        std::filesystem::create_directories(path.parent_path());
    if (rgb.size() < static_cast<size_t>(width) * height * 3 ||
        !stbi_write_png(path.c_str(), width, height, 3, rgb.data(), width * 3))
        throw Error("could not write PNG " + path.string());
}

void runViewer(const ViewContent& content, const ViewerOptions& options) {
    SessionOptions session;
    session.width = options.width;
    session.height = options.height;
    session.x = 40;
    session.y = 40;
    session.title = "ParkTwin - " + (content.park ? content.park->name : std::string());
    session.fontPath = options.fontPath;
    session.grid = options.grid;
    session.at = options.at;
    session.camera = options.camera;
    session.colourRange = options.colourRange;
    ViewerSession viewer(content, session);
    while (!viewer.viewer().done())
        viewer.frame();
}

SnapshotInfo renderSnapshot(const ViewContent& content, const SnapshotOptions& options) {
    using Clock = std::chrono::steady_clock;
    SessionOptions session;
    session.width = options.width;
    session.height = options.height;
    session.decorated = false;
    session.interactive = false;
    session.showPanel = options.showPanel;
    session.title = "ParkTwin snapshot";
    session.fontPath = options.fontPath;
    session.grid = options.grid;
    session.at = options.at;
    session.camera = options.camera;
    session.colourRange = options.colourRange;
    ViewerSession viewer(content, session);

    SnapshotInfo info;
    info.width = options.width;
    info.height = options.height;
    double later_ms = 0;
    const int warmup = std::max(options.warmupFrames, 0);
    for (int k = 0; k <= warmup; ++k) {
        const auto start = Clock::now();
        if (k < warmup)
            viewer.frame();
        else
            info.rgb = viewer.frameAndCapture();
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        if (k == 0)
            info.firstFrame_ms = ms;
        else
            later_ms += ms;
    }
    info.meanFrame_ms = warmup > 0 ? later_ms / warmup : info.firstFrame_ms;
    info.viewProjectionWindow = viewer.viewProjectionWindow();
    info.scale = viewer.scale();
    info.panel = options.showPanel ? viewer.panel().rect : PixelRect{};
    info.legendBar = options.showPanel ? viewer.panel().legendBar : PixelRect{};
    info.timeText = viewer.panel().timeText;
    info.hour = viewer.hourShown();

    if (!options.output.empty()) {
        writePng(options.output, info.width, info.height, info.rgb);
        log::get("viewer").info("snapshot {} ({}x{}, first frame {:.0f} ms, then {:.1f} ms)",
                                options.output.string(), info.width, info.height,
                                info.firstFrame_ms, info.meanFrame_ms);
    }
    return info;
}

} // namespace parktwin::viewer
