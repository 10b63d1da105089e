#pragma once
// Dear ImGui 1.86 inside an OSG view: the frame starts in the camera's pre-draw callback and
// is drawn in its post-draw callback (so final-draw screen captures include it), with the
// OpenGL3 backend; OSG events are forwarded through ImGui 1.86's io fields.

#include <functional>
#include <osg/Referenced>
#include <osgGA/GUIEventHandler>
#include <osgViewer/View>
#include <string>

struct ImGuiContext;

namespace osg {
class RenderInfo;
}

namespace parktwin::viewer {

/// DejaVu Sans as Debian installs it; covers Vietnamese.
inline constexpr const char* kDefaultFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/// A rectangle in window pixels, origin top-left, y down.
struct PixelRect {
    float x = 0, y = 0, width = 0, height = 0;
    bool contains(float px, float py) const {
        return px >= x && px < x + width && py >= y && py < y + height;
    }
};

class ImGuiLayer : public osg::Referenced {
public:
    using DrawUi = std::function<void()>;

    /// Creates the ImGui context and loads `fontPath` (16 px, Vietnamese glyph ranges);
    /// falls back to ImGui's built-in font with a warning when the file is missing.
    ImGuiLayer(DrawUi drawUi, const std::string& fontPath = kDefaultFontPath);
    ~ImGuiLayer() override;

    /// Installs the pre/post-draw callbacks on the view's camera and the event handler.
    /// The view must run single-threaded.
    void attach(osgViewer::View& view);

    /// Frees the backend's GL objects; call with the view's context current.
    void releaseGl();

    /// Whether ImGui wanted the mouse (keyboard) at the last frame: events it took then are
    /// reported handled, so the camera manipulator leaves them alone.
    bool wantCaptureMouse() const;
    bool wantCaptureKeyboard() const;

    /// True when the last mouse event was taken by ImGui.
    bool lastMouseEventCaptured() const { return lastMouseCaptured_; }

    ImGuiContext* context() const { return context_; }

private:
    class EventHandler;
    class PreDraw;
    class PostDraw;

    void beginFrame(osg::RenderInfo& renderInfo);
    void endFrame(osg::RenderInfo& renderInfo);
    bool handle(const osgGA::GUIEventAdapter& ea);

    DrawUi drawUi_;
    ImGuiContext* context_ = nullptr;
    bool glReady_ = false;
    bool frameOpen_ = false;
    double lastTime_s_ = -1;
    float displayWidth_ = 1, displayHeight_ = 1;
    bool lastMouseCaptured_ = false;
};

} // namespace parktwin::viewer
