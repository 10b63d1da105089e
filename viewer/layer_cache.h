#pragma once
// Static layers drawn once per view and reused: the ground, land-use outlines, buildings and
// roads do not change while the timeline plays. Once the view has stayed the same for a frame,
// they are rendered offscreen (colour and depth) and from then on each frame starts with one
// framebuffer blit of that picture into the window; the moving layers (plume, trucks, sensors,
// stacks, wind) and the panels are drawn over it, hidden behind buildings by the copied depth.
// While the view changes every frame (orbiting, flying), every layer is drawn directly, as
// without the cache, so a moving camera pays nothing for it.
//
// The offscreen depth buffer has the window's own depth format, so that the blit needs no
// conversion (a converting copy is drawn as a full-screen pass, which under Mesa's llvmpipe
// costs more than the cache saves). Both ways of drawing share one projection: the
// session fits the camera's near and far planes itself instead of OpenSceneGraph per pass.
// When OpenGL refuses the blit, failed() says so and the session goes back to drawing every
// layer every frame.
//
// The layers' own node masks are left to the layers (a hidden wind arrow keeps mask 0): the
// cache decides what each camera draws with cull callbacks on the layer switch and on its
// offscreen pass. It is meant for osgViewer's SingleThreaded model, where cull and draw of a
// frame end before the next frame starts; the session uses no other.

#include <osg/Camera>
#include <osg/FrameBufferObject>
#include <osg/GraphicsContext>
#include <osg/Group>
#include <osg/Switch>
#include <osg/Texture2D>

#include <atomic>
#include <optional>
#include <vector>

namespace parktwin::viewer {

/// A depth buffer format: the internal format and the buffers a blit of it copies.
struct DepthFormat {
    GLenum internalFormat = 0;
    bool stencil = false;
};

/// The offscreen depth format equal to the depth (and stencil) buffer of `context`'s
/// framebuffer, or none when the window's buffer has no such format. Makes the context current
/// for the query and releases it.
std::optional<DepthFormat> windowDepthFormat(osg::GraphicsContext& context);

class StaticLayerCache {
public:
    /// Caches the children `cached` of `layers` (a switch whose other children stay live) for a
    /// window of width × height whose depth buffer has format `depth`; `clear` is the camera's
    /// clear colour.
    StaticLayerCache(osg::Switch* layers, std::vector<unsigned> cached, int width, int height,
                     const osg::Vec4& clear, DepthFormat depth);

    /// The node to put first under the scene root: the offscreen pass and the blit. Sets a
    /// cull callback on `layers`, which release() takes off again.
    osg::Node* node() const { return root_.get(); }

    /// Frames that rendered the static layers offscreen, that reused them, and that drew them
    /// directly because the view was changing.
    unsigned renders() const { return renders_; }
    unsigned reuses() const { return reuses_; }
    unsigned direct() const { return direct_; }

    /// True once OpenGL refused the blit into the window.
    bool failed() const { return failed_; }

    /// The window size the cache was made for; a session whose window changes size makes a
    /// new cache.
    int width() const { return width_; }
    int height() const { return height_; }

    /// Takes the cull callback off the layer switch, for a session that stops using the cache.
    void release();

private:
    class Check;
    class Blit;
    class SkipCached;
    class CachedOnly;
    bool isCached(unsigned child) const;
    osg::ref_ptr<osg::Group> root_;
    osg::ref_ptr<osg::Camera> pass_;
    osg::ref_ptr<osg::Texture2D> colour_, depth_;
    osg::ref_ptr<osg::FrameBufferObject> buffer_;
    osg::ref_ptr<osg::Switch> layers_;
    std::vector<unsigned> cached_;
    DepthFormat format_;
    int width_ = 0, height_ = 0;
    unsigned renders_ = 0, reuses_ = 0, direct_ = 0;
    bool blitThisFrame_ = false;
    std::atomic<bool> failed_ = false;
};

} // namespace parktwin::viewer
