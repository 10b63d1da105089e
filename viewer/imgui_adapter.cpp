#include "viewer/imgui_adapter.h"

#include "engine/core/log.h"

#include <algorithm>
#include <backends/imgui_impl_opengl3.h>
#include <filesystem>
#include <imgui.h>
#include <osg/Camera>
#include <osg/RenderInfo>
#include <osg/Viewport>

namespace parktwin::viewer {

namespace {

// ImGui 1.86 indexes io.KeysDown[512] by the application's own key codes: printable keys by
// their character, OSG's 0xFFxx function keys folded into 256..511.
int keyIndex(int osgKey) {
    if (osgKey >= 0 && osgKey < 256)
        return osgKey;
    if ((osgKey & 0xFF00) == 0xFF00)
        return 256 + (osgKey & 0xFF);
    return -1;
}

void setKeyMap(ImGuiIO& io) {
    using K = osgGA::GUIEventAdapter::KeySymbol;
    const std::pair<ImGuiKey, int> map[] = {
        {ImGuiKey_Tab, K::KEY_Tab},
        {ImGuiKey_LeftArrow, K::KEY_Left},
        {ImGuiKey_RightArrow, K::KEY_Right},
        {ImGuiKey_UpArrow, K::KEY_Up},
        {ImGuiKey_DownArrow, K::KEY_Down},
        {ImGuiKey_PageUp, K::KEY_Page_Up},
        {ImGuiKey_PageDown, K::KEY_Page_Down},
        {ImGuiKey_Home, K::KEY_Home},
        {ImGuiKey_End, K::KEY_End},
        {ImGuiKey_Insert, K::KEY_Insert},
        {ImGuiKey_Delete, K::KEY_Delete},
        {ImGuiKey_Backspace, K::KEY_BackSpace},
        {ImGuiKey_Space, K::KEY_Space},
        {ImGuiKey_Enter, K::KEY_Return},
        {ImGuiKey_Escape, K::KEY_Escape},
        {ImGuiKey_KeyPadEnter, K::KEY_KP_Enter},
        {ImGuiKey_A, 'a'},
        {ImGuiKey_C, 'c'},
        {ImGuiKey_V, 'v'},
        {ImGuiKey_X, 'x'},
        {ImGuiKey_Y, 'y'},
        {ImGuiKey_Z, 'z'},
    };
    for (const auto& [imguiKey, osgKey] : map)
        io.KeyMap[imguiKey] = keyIndex(osgKey);
}

class ContextScope {
public:
    explicit ContextScope(ImGuiContext* context) : previous_(ImGui::GetCurrentContext()) {
        ImGui::SetCurrentContext(context);
    }
    ~ContextScope() { ImGui::SetCurrentContext(previous_); }

private:
    ImGuiContext* previous_;
};

} // namespace

class ImGuiLayer::EventHandler : public osgGA::GUIEventHandler {
public:
    explicit EventHandler(ImGuiLayer* layer) : layer_(layer) {}
    bool handle(const osgGA::GUIEventAdapter& ea, osgGA::GUIActionAdapter&) override {
        return layer_->handle(ea);
    }

private:
    osg::ref_ptr<ImGuiLayer> layer_;
};

class ImGuiLayer::PreDraw : public osg::Camera::DrawCallback {
public:
    explicit PreDraw(ImGuiLayer* layer) : layer_(layer) {}
    void operator()(osg::RenderInfo& renderInfo) const override { layer_->beginFrame(renderInfo); }

private:
    osg::ref_ptr<ImGuiLayer> layer_;
};

class ImGuiLayer::PostDraw : public osg::Camera::DrawCallback {
public:
    explicit PostDraw(ImGuiLayer* layer) : layer_(layer) {}
    void operator()(osg::RenderInfo& renderInfo) const override { layer_->endFrame(renderInfo); }

private:
    osg::ref_ptr<ImGuiLayer> layer_;
};

ImGuiLayer::ImGuiLayer(DrawUi drawUi, const std::string& fontPath) : drawUi_(std::move(drawUi)) {
    IMGUI_CHECKVERSION();
    ImGuiContext* previous = ImGui::GetCurrentContext();
    context_ = ImGui::CreateContext();
    ImGui::SetCurrentContext(context_);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr; // a viewer session should not leave imgui.ini behind
    setKeyMap(io);
    ImGui::StyleColorsDark();

    if (std::filesystem::exists(fontPath)) {
        io.Fonts->AddFontFromFileTTF(fontPath.c_str(), 16.0f, nullptr,
                                     io.Fonts->GetGlyphRangesVietnamese());
    } else {
        log::get("viewer").warn("font {} not found; using ImGui's built-in font, which "
                                "lacks Vietnamese letters",
                                fontPath);
        io.Fonts->AddFontDefault();
    }
    ImGui::SetCurrentContext(previous ? previous : context_);
}

ImGuiLayer::~ImGuiLayer() {
    // GL objects are released by releaseGl() while a context is current; here only the
    // CPU-side context remains.
    if (context_) {
        if (ImGui::GetCurrentContext() == context_)
            ImGui::SetCurrentContext(nullptr);
        ImGui::DestroyContext(context_);
    }
}

void ImGuiLayer::attach(osgViewer::View& view) {
    osg::Camera* camera = view.getCamera();
    camera->setPreDrawCallback(new PreDraw(this));
    camera->setPostDrawCallback(new PostDraw(this));
    view.addEventHandler(new EventHandler(this));
}

void ImGuiLayer::releaseGl() {
    if (!glReady_)
        return;
    ContextScope scope(context_);
    ImGui_ImplOpenGL3_Shutdown();
    glReady_ = false;
}

bool ImGuiLayer::wantCaptureMouse() const {
    ContextScope scope(context_);
    return ImGui::GetIO().WantCaptureMouse;
}

bool ImGuiLayer::wantCaptureKeyboard() const {
    ContextScope scope(context_);
    return ImGui::GetIO().WantCaptureKeyboard;
}

void ImGuiLayer::beginFrame(osg::RenderInfo& renderInfo) {
    ImGui::SetCurrentContext(context_);
    if (!glReady_) {
        // Mesa's compatibility profile under OSG accepts GLSL 1.30, the oldest the OpenGL3
        // backend supports.
        glReady_ = ImGui_ImplOpenGL3_Init("#version 130");
        if (!glReady_) {
            log::get("viewer").error("ImGui OpenGL3 backend failed to start; no panels");
            return;
        }
    }

    ImGuiIO& io = ImGui::GetIO();
    if (const osg::Viewport* vp = renderInfo.getCurrentCamera()->getViewport()) {
        displayWidth_ = static_cast<float>(vp->width());
        displayHeight_ = static_cast<float>(vp->height());
    }
    io.DisplaySize = ImVec2(displayWidth_, displayHeight_);
    const osg::FrameStamp* stamp = renderInfo.getState()->getFrameStamp();
    const double now = stamp ? stamp->getReferenceTime() : 0.0;
    io.DeltaTime =
        lastTime_s_ < 0 ? 1.0f / 60.0f : static_cast<float>(std::max(now - lastTime_s_, 1e-4));
    lastTime_s_ = now;

    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    frameOpen_ = true;
    if (drawUi_)
        drawUi_();
}

void ImGuiLayer::endFrame(osg::RenderInfo& renderInfo) {
    if (!frameOpen_)
        return;
    // OpenGL back to OpenSceneGraph's defaults, its tracking kept in step: a mode the scene
    // left on would apply to the panels too (the plume's alpha test, in a compatibility
    // context, dropped every fill under half opacity: buttons and headers lost their
    // backgrounds when the plume was drawn last).
    osg::State& state = *renderInfo.getState();
    state.popAllStateSets();
    state.apply();
    ImGui::SetCurrentContext(context_);
    ImGui::Render();
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    frameOpen_ = false;
}

bool ImGuiLayer::handle(const osgGA::GUIEventAdapter& ea) {
    using E = osgGA::GUIEventAdapter;
    ContextScope scope(context_);
    ImGuiIO& io = ImGui::GetIO();

    auto updateMouse = [&] {
        // Events may arrive in window pixels or in the master camera's [-1, 1] range, with
        // y up or down; normalise them to ImGui's top-left pixel frame.
        const float spanX = ea.getXmax() - ea.getXmin();
        const float spanY = ea.getYmax() - ea.getYmin();
        const float u = spanX != 0 ? (ea.getX() - ea.getXmin()) / spanX : 0.0f;
        float v = spanY != 0 ? (ea.getY() - ea.getYmin()) / spanY : 0.0f;
        if (ea.getMouseYOrientation() == E::Y_INCREASING_UPWARDS)
            v = 1.0f - v;
        io.MousePos = ImVec2(u * displayWidth_, v * displayHeight_);
    };
    auto buttonIndex = [&]() -> int {
        switch (ea.getButton()) {
        case E::LEFT_MOUSE_BUTTON:
            return 0;
        case E::RIGHT_MOUSE_BUTTON:
            return 1;
        case E::MIDDLE_MOUSE_BUTTON:
            return 2;
        default:
            return -1;
        }
    };
    auto modifiers = [&] {
        const unsigned mask = ea.getModKeyMask();
        io.KeyCtrl = (mask & E::MODKEY_CTRL) != 0;
        io.KeyShift = (mask & E::MODKEY_SHIFT) != 0;
        io.KeyAlt = (mask & E::MODKEY_ALT) != 0;
        io.KeySuper = (mask & E::MODKEY_SUPER) != 0;
    };

    switch (ea.getEventType()) {
    case E::MOVE:
    case E::DRAG:
        updateMouse();
        return lastMouseCaptured_ = io.WantCaptureMouse;
    case E::PUSH:
    case E::RELEASE: {
        updateMouse();
        const int b = buttonIndex();
        if (b >= 0)
            io.MouseDown[b] = ea.getEventType() == E::PUSH;
        return lastMouseCaptured_ = io.WantCaptureMouse;
    }
    case E::SCROLL:
        io.MouseWheel += ea.getScrollingMotion() == E::SCROLL_UP     ? 1.0f
                         : ea.getScrollingMotion() == E::SCROLL_DOWN ? -1.0f
                                                                     : 0.0f;
        return lastMouseCaptured_ = io.WantCaptureMouse;
    case E::KEYDOWN:
    case E::KEYUP: {
        modifiers();
        const bool down = ea.getEventType() == E::KEYDOWN;
        const int index = keyIndex(ea.getUnmodifiedKey());
        if (index >= 0)
            io.KeysDown[index] = down;
        if (down && ea.getKey() >= 32 && ea.getKey() < 0xFF00)
            io.AddInputCharacter(static_cast<unsigned>(ea.getKey()));
        return io.WantCaptureKeyboard;
    }
    default:
        return false;
    }
}

} // namespace parktwin::viewer
