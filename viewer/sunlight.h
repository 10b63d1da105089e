#pragma once
// The scene's light: a sun fixed in the park's sky (the viewer's sky light), and the colour
// OpenGL's fixed-function lighting gives a surface under it. Meshes that never move relative
// to the sun (buildings) carry that colour in their vertices and are drawn unlit: the same
// picture, without the lighting arithmetic in the software renderer's vertex stage.

#include <osg/Vec3>
#include <osg/Vec4>

namespace parktwin::viewer {

struct Sunlight {
    osg::Vec3 towardSun; ///< unit vector from the ground to the sun, park axes (x east, z up)
    osg::Vec4 ambient;   ///< the light's ambient part
    osg::Vec4 diffuse;   ///< the light's diffuse part
    osg::Vec4 scene;     ///< the light model's ambient (what lights a surface without the sun)
};

/// From the south-west and high; no specular part.
Sunlight sunlight();

/// The colour a lit surface of material colour `colour` (ambient and diffuse) facing `normal`
/// gets under sunlight(): scene × colour + ambient × colour + max(0, n·l) × diffuse × colour,
/// as OpenGL 2.1 §2.14.1 computes it with no emission or specular; alpha kept.
osg::Vec4 sunlit(const osg::Vec4& colour, const osg::Vec3& normal);

} // namespace parktwin::viewer
