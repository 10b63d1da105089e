#include "viewer/layer_cache.h"

#include <osg/GLExtensions>
#include <osg/Geode>
#include <osgUtil/CullVisitor>

#include <algorithm>
#include <utility>

namespace parktwin::viewer {

std::optional<DepthFormat> windowDepthFormat(osg::GraphicsContext& context) {
    if (!context.makeCurrent())
        return std::nullopt;
    GLint depthBits = 0, stencilBits = 0;
    glGetIntegerv(GL_DEPTH_BITS, &depthBits);
    glGetIntegerv(GL_STENCIL_BITS, &stencilBits);
    while (glGetError() != GL_NO_ERROR) {
    } // a core profile refuses the query: no match then
    context.releaseContext();
    if (depthBits == 24 && stencilBits == 8)
        return DepthFormat{GL_DEPTH24_STENCIL8_EXT, true};
    if (stencilBits != 0)
        return std::nullopt;
    switch (depthBits) {
    case 16: return DepthFormat{GL_DEPTH_COMPONENT16, false};
    case 24: return DepthFormat{GL_DEPTH_COMPONENT24, false};
    case 32: return DepthFormat{GL_DEPTH_COMPONENT32, false};
    default: return std::nullopt;
    }
}

namespace {

osg::ref_ptr<osg::Texture2D> screenTexture(int width, int height, GLint format) {
    osg::ref_ptr<osg::Texture2D> t = new osg::Texture2D;
    t->setTextureSize(width, height);
    t->setInternalFormat(format);
    if (format == GL_DEPTH24_STENCIL8_EXT) {
        t->setSourceFormat(GL_DEPTH_STENCIL_EXT);
        t->setSourceType(GL_UNSIGNED_INT_24_8_EXT);
    } else if (format != GL_RGBA8) {
        t->setSourceFormat(GL_DEPTH_COMPONENT);
        t->setSourceType(GL_UNSIGNED_INT);
    }
    t->setFilter(osg::Texture::MIN_FILTER, osg::Texture::NEAREST);
    t->setFilter(osg::Texture::MAG_FILTER, osg::Texture::NEAREST);
    t->setWrap(osg::Texture::WRAP_S, osg::Texture::CLAMP_TO_EDGE);
    t->setWrap(osg::Texture::WRAP_T, osg::Texture::CLAMP_TO_EDGE);
    t->setResizeNonPowerOfTwoHint(false);
    return t;
}

osg::Camera::BufferComponent depthAttachment(const DepthFormat& f) {
    return f.stencil ? osg::Camera::PACKED_DEPTH_STENCIL_BUFFER : osg::Camera::DEPTH_BUFFER;
}

} // namespace

/// Runs in the frame's cull traversal, before the window's camera reaches the layers, with the
/// view, projection and viewport the frame is drawn with. A frame whose view, projection,
/// cached layer visibility or cached layer nodes differ from the previous frame's, or whose
/// viewport is not the cache's size, draws the static layers directly; the first frame that
/// repeats the previous one renders them offscreen, and the frames after it reuse that picture
/// until something changes.
class StaticLayerCache::Check : public osg::NodeCallback {
public:
    explicit Check(StaticLayerCache& cache) : cache_(cache) {}

    void operator()(osg::Node* node, osg::NodeVisitor* nv) override {
        if (auto* cv = dynamic_cast<osgUtil::CullVisitor*>(nv))
            decide(*cv);
        traverse(node, nv);
    }

private:
    void decide(osgUtil::CullVisitor& cv) {
        StaticLayerCache& c = cache_;
        std::vector<bool> shown;
        std::vector<const osg::Node*> nodes;
        for (unsigned k : c.cached_) {
            const bool present = k < c.layers_->getNumChildren();
            shown.push_back(present && c.layers_->getValue(k));
            nodes.push_back(present ? c.layers_->getChild(k) : nullptr);
        }
        const osg::Matrixd view = *cv.getModelViewMatrix();
        const osg::Matrixd projection = *cv.getProjectionMatrix();
        // The window's camera may have been resized in this frame's event handling, after the
        // session compared sizes: such a frame is drawn directly and the session makes a
        // cache of the new size before the next one.
        const osg::Viewport* viewport = cv.getViewport();
        const bool sized = viewport && viewport->x() == 0 && viewport->y() == 0 &&
                           int(viewport->width()) == c.width_ &&
                           int(viewport->height()) == c.height_;
        const bool repeated = sized && seen_ && view == view_ &&
                              projection == projection_ && shown == shown_ && nodes == nodes_;
        seen_ = true;
        view_ = view;
        projection_ = projection;
        shown_ = std::move(shown);
        nodes_ = std::move(nodes);

        bool render = false;
        if (!repeated) {
            valid_ = false;
            ++c.direct_;
        } else if (!valid_) {
            render = valid_ = true;
            ++c.renders_;
        } else {
            ++c.reuses_;
        }
        const bool cachedNow = valid_ && !c.failed_;
        c.pass_->setNodeMask(render && cachedNow ? ~0u : 0u);
        c.blitThisFrame_ = cachedNow;
    }

    StaticLayerCache& cache_;
    bool seen_ = false, valid_ = false;
    osg::Matrixd view_, projection_;
    std::vector<bool> shown_;
    std::vector<const osg::Node*> nodes_;
};

bool StaticLayerCache::isCached(unsigned child) const {
    return std::find(cached_.begin(), cached_.end(), child) != cached_.end();
}

/// On the layer switch: in a frame that uses the cached picture, the window's camera skips the
/// cached layers; otherwise the switch is traversed as usual.
class StaticLayerCache::SkipCached : public osg::NodeCallback {
public:
    explicit SkipCached(StaticLayerCache& cache) : cache_(cache) {}

    void operator()(osg::Node* node, osg::NodeVisitor* nv) override {
        osg::Switch* layers = node->asSwitch();
        if (!cache_.blitThisFrame_ || !layers ||
            nv->getVisitorType() != osg::NodeVisitor::CULL_VISITOR) {
            traverse(node, nv);
            return;
        }
        for (unsigned k = 0; k < layers->getNumChildren(); ++k)
            if (layers->getValue(k) && !cache_.isCached(k))
                layers->getChild(k)->accept(*nv);
    }

private:
    StaticLayerCache& cache_;
};

/// In the offscreen pass: the cached layers the switch shows, and nothing else.
class StaticLayerCache::CachedOnly : public osg::NodeCallback {
public:
    explicit CachedOnly(StaticLayerCache& cache) : cache_(cache) {}

    void operator()(osg::Node*, osg::NodeVisitor* nv) override {
        const osg::Switch& layers = *cache_.layers_;
        for (unsigned k : cache_.cached_)
            if (k < layers.getNumChildren() && layers.getValue(k))
                const_cast<osg::Node*>(layers.getChild(k))->accept(*nv);
    }

private:
    StaticLayerCache& cache_;
};

/// Copies the cached colour and depth into the window's framebuffer, pixel for pixel, before
/// anything else of the frame is drawn.
class StaticLayerCache::Blit : public osg::Drawable {
public:
    Blit() = default;
    explicit Blit(StaticLayerCache& cache) : cache_(&cache) {
        setUseDisplayList(false);
        setCullingActive(false);
    }
    Blit(const Blit& other, const osg::CopyOp& op = osg::CopyOp::SHALLOW_COPY)
        : osg::Drawable(other, op), cache_(other.cache_) {}
    META_Object(parktwin, Blit)

    void drawImplementation(osg::RenderInfo& info) const override {
        StaticLayerCache* c = cache_;
        if (!c || c->failed_ || !c->blitThisFrame_)
            return;
        osg::State& state = *info.getState();
        const osg::GLExtensions* gl = state.get<osg::GLExtensions>();
        if (!gl || !gl->glBlitFramebuffer) {
            c->failed_ = true;
            return;
        }
        while (glGetError() != GL_NO_ERROR) {
        } // errors of earlier calls are not the blit's
        GLint read = 0;
        glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING_EXT, &read);
        c->buffer_->apply(state, osg::FrameBufferObject::READ_FRAMEBUFFER);
        const GLbitfield mask = GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT |
                                (c->format_.stencil ? GL_STENCIL_BUFFER_BIT : 0);
        gl->glBlitFramebuffer(0, 0, c->width_, c->height_, 0, 0, c->width_, c->height_, mask,
                              GL_NEAREST);
        if (glGetError() != GL_NO_ERROR)
            c->failed_ = true;
        gl->glBindFramebuffer(GL_READ_FRAMEBUFFER_EXT, GLuint(read));
    }

private:
    StaticLayerCache* cache_ = nullptr;
};

StaticLayerCache::StaticLayerCache(osg::Switch* layers, std::vector<unsigned> cached, int width,
                                   int height, const osg::Vec4& clear, DepthFormat depth)
    : root_(new osg::Group), layers_(layers), cached_(std::move(cached)), format_(depth),
      width_(width), height_(height) {
    root_->setName("static layer cache");
    colour_ = screenTexture(width, height, GL_RGBA8);
    depth_ = screenTexture(width, height, GLint(depth.internalFormat));
    buffer_ = new osg::FrameBufferObject;
    buffer_->setAttachment(osg::Camera::COLOR_BUFFER, osg::FrameBufferAttachment(colour_.get()));
    buffer_->setAttachment(depthAttachment(depth), osg::FrameBufferAttachment(depth_.get()));

    // The static layers, drawn with the frame's own view and projection (relative reference
    // frame, identity matrices) when the check asks for it.
    pass_ = new osg::Camera;
    pass_->setName("static layers");
    pass_->setRenderOrder(osg::Camera::PRE_RENDER);
    pass_->setRenderTargetImplementation(osg::Camera::FRAME_BUFFER_OBJECT);
    pass_->setReferenceFrame(osg::Transform::RELATIVE_RF);
    pass_->setViewport(0, 0, width, height);
    pass_->setComputeNearFarMode(osg::CullSettings::DO_NOT_COMPUTE_NEAR_FAR);
    pass_->setInheritanceMask(pass_->getInheritanceMask() &
                              ~osg::CullSettings::COMPUTE_NEAR_FAR_MODE);
    pass_->attach(osg::Camera::COLOR_BUFFER, colour_.get());
    pass_->attach(depthAttachment(depth), depth_.get());
    pass_->setClearMask(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT |
                        (depth.stencil ? GL_STENCIL_BUFFER_BIT : 0));
    pass_->setClearColor(clear);
    osg::ref_ptr<osg::Group> cachedLayers = new osg::Group;
    cachedLayers->setCullCallback(new CachedOnly(*this));
    cachedLayers->setCullingActive(false); // no children of its own, so no bound
    pass_->addChild(cachedLayers);
    pass_->setCullingActive(false);
    pass_->setNodeMask(0);
    layers_->setCullCallback(new SkipCached(*this));
    osg::ref_ptr<osg::Group> gate = new osg::Group;
    gate->setCullCallback(new Check(*this));
    // The check runs every frame, whatever the camera sees.
    gate->setCullingActive(false);
    gate->addChild(pass_);
    root_->addChild(gate);

    // The picture into the window, first in the frame.
    osg::ref_ptr<osg::Geode> copy = new osg::Geode;
    copy->setCullingActive(false);
    copy->addDrawable(new Blit(*this));
    copy->getOrCreateStateSet()->setRenderBinDetails(-100, "RenderBin");
    root_->addChild(copy);
    root_->setCullingActive(false);
}

void StaticLayerCache::release() {
    layers_->setCullCallback(nullptr);
    pass_->setNodeMask(0);
    blitThisFrame_ = false;
}

} // namespace parktwin::viewer
