// Mouse events over the ImGui panel belong to the panel, not to the camera.

#include "viewer/viewer_session.h"
#include "viewer_fixture.h"

#include <gtest/gtest.h>
#include <osgGA/EventQueue>

using namespace parktwin;
using namespace parktwin::viewer;

namespace {

/// Drags the left button from (x0, y) to (x0 + 150, y) in window pixels (top-left origin),
/// drawing a frame after each event.
void drag(ViewerSession& session, float x0, float y) {
    osgGA::EventQueue* queue = session.window()->getEventQueue();
    const osgGA::GUIEventAdapter* state = queue->getCurrentEventState();
    auto toQueue = [&](float px, float py) {
        float v = py / session.height();
        if (state->getMouseYOrientation() == osgGA::GUIEventAdapter::Y_INCREASING_UPWARDS)
            v = 1 - v;
        return std::pair<float, float>{
            state->getXmin() + px / session.width() * (state->getXmax() - state->getXmin()),
            state->getYmin() + v * (state->getYmax() - state->getYmin())};
    };
    auto [ax, ay] = toQueue(x0, y);
    queue->mouseMotion(ax, ay);
    session.frame();
    session.frame();
    queue->mouseButtonPress(ax, ay, 1);
    session.frame();
    for (int step = 1; step <= 5; ++step) {
        auto [bx, by] = toQueue(x0 + 30 * step, y);
        queue->mouseMotion(bx, by);
        session.frame();
    }
    auto [cx, cy] = toQueue(x0 + 150, y);
    queue->mouseButtonRelease(cx, cy, 1);
    session.frame();
}

bool sameMatrix(const osg::Matrixd& a, const osg::Matrixd& b) {
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c)
            if (std::abs(a(r, c) - b(r, c)) > 1e-9 * (1 + std::abs(a(r, c))))
                return false;
    return true;
}

} // namespace

TEST(Input, DragOverThePanelLeavesTheCameraAlone) {
    PARKTWIN_REQUIRE_DISPLAY();
    const ParkModel park = test::syntheticPark();
    const ViewContent content = test::syntheticContent(park);
    SessionOptions options;
    options.width = 800;
    options.height = 600;
    options.decorated = false;
    ViewerSession session(content, options);
    session.frame();
    session.frame();

    const PixelRect panel = session.panel().rect;
    ASSERT_GT(panel.width, 100.0f);
    ASSERT_GT(panel.height, 100.0f);
    // Drag inside the panel: from 20 px right of its left edge, a third of the way down.
    const osg::Matrixd before = session.viewer().getCamera()->getViewMatrix();
    drag(session, panel.x + 20, panel.y + panel.height / 3);
    EXPECT_TRUE(session.imgui().lastMouseEventCaptured());
    EXPECT_TRUE(sameMatrix(before, session.viewer().getCamera()->getViewMatrix()))
        << "the camera moved under a drag that started on the panel";

    // The same drag over the scene turns the camera: the test above can fail.
    drag(session, panel.x + panel.width + 100, 300);
    EXPECT_FALSE(session.imgui().lastMouseEventCaptured());
    EXPECT_FALSE(sameMatrix(before, session.viewer().getCamera()->getViewMatrix()));
}
