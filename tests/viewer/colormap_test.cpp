// The log colour scale shared by the plume drape and the legend.

#include "viewer/colormap.h"

#include <cmath>
#include <gtest/gtest.h>

using namespace parktwin::viewer;

TEST(Colormap, ScaleSpansThreeDecadesUnderTheMaximum) {
    // 500 / 1000 = 0.5.
    const LogScale s = scaleForMaximum(500.0);
    EXPECT_DOUBLE_EQ(s.max_ugm3, 500.0);
    EXPECT_DOUBLE_EQ(s.floor_ugm3, 0.5);
}

TEST(Colormap, DegenerateMaximumGivesAUsableScale) {
    EXPECT_GT(scaleForMaximum(0.0).max_ugm3, scaleForMaximum(0.0).floor_ugm3);
    EXPECT_GT(scaleForMaximum(NAN).max_ugm3, scaleForMaximum(NAN).floor_ugm3);
}

TEST(Colormap, PositionIsLogarithmic) {
    const LogScale s{0.5, 500.0};
    EXPECT_DOUBLE_EQ(scalePosition(0.5, s), 0.0);
    EXPECT_DOUBLE_EQ(scalePosition(500.0, s), 1.0);
    // log10(5 / 0.5) / log10(500 / 0.5) = 1 / 3; log10(50 / 0.5) / 3 = 2 / 3.
    EXPECT_NEAR(scalePosition(5.0, s), 1.0 / 3.0, 1e-12);
    EXPECT_NEAR(scalePosition(50.0, s), 2.0 / 3.0, 1e-12);
    // The geometric mean sqrt(0.5 * 500) = 15.811 sits half-way.
    EXPECT_NEAR(scalePosition(std::sqrt(0.5 * 500.0), s), 0.5, 1e-12);
    // Equal ratios are equal steps: 1 -> 2 and 100 -> 200 both span log10(2) / 3.
    EXPECT_NEAR(scalePosition(2.0, s) - scalePosition(1.0, s),
                scalePosition(200.0, s) - scalePosition(100.0, s), 1e-12);
}

TEST(Colormap, BelowTheFloorIsTransparentAboveTheMaxIsClamped) {
    const LogScale s{0.5, 500.0};
    EXPECT_TRUE(std::isnan(scalePosition(0.49, s)));
    EXPECT_TRUE(std::isnan(scalePosition(0.0, s)));
    EXPECT_TRUE(std::isnan(scalePosition(NAN, s)));
    EXPECT_DOUBLE_EQ(scalePosition(5000.0, s), 1.0);
}

TEST(Colormap, EndsOfTheScaleAreTheDocumentedColours) {
    // The ramp's documented ends: blue (0.20, 0.25, 0.80) at the floor, dark red
    // (0.80, 0.05, 0.10) at the maximum and above; yellow (0.95, 0.90, 0.20) half-way.
    const LogScale s{0.5, 500.0};
    const Rgb bottom = colourFor(0.5, s);
    EXPECT_FLOAT_EQ(bottom.r, 0.20f);
    EXPECT_FLOAT_EQ(bottom.g, 0.25f);
    EXPECT_FLOAT_EQ(bottom.b, 0.80f);
    for (double v : {500.0, 1e6}) {
        const Rgb top = colourFor(v, s);
        EXPECT_FLOAT_EQ(top.r, 0.80f);
        EXPECT_FLOAT_EQ(top.g, 0.05f);
        EXPECT_FLOAT_EQ(top.b, 0.10f);
    }
    const Rgb middle = colourFor(std::sqrt(0.5 * 500.0), s);
    EXPECT_NEAR(middle.r, 0.95f, 1e-5);
    EXPECT_NEAR(middle.g, 0.90f, 1e-5);
    EXPECT_NEAR(middle.b, 0.20f, 1e-5);
}

TEST(Colormap, ColoursChangeMonotonicallyAlongTheRamp) {
    // Along the ramp blue falls and red rises overall; each step moves the colour.
    const LogScale s{1.0, 1000.0};
    Rgb previous = colourFor(1.0, s);
    double previousPosition = 0;
    for (int k = 1; k <= 60; ++k) {
        const double v = std::pow(10.0, 3.0 * k / 60.0);
        const double t = scalePosition(v, s);
        EXPECT_GT(t, previousPosition);
        const Rgb c = colourFor(v, s);
        const float moved =
            std::abs(c.r - previous.r) + std::abs(c.g - previous.g) + std::abs(c.b - previous.b);
        EXPECT_GT(moved, 0.0f) << "at " << v;
        previous = c;
        previousPosition = t;
    }
    EXPECT_GT(colourFor(1000.0, s).r, colourFor(1.0, s).r);
    EXPECT_LT(colourFor(1000.0, s).b, colourFor(1.0, s).b);
}

TEST(Colormap, TicksArePowersOfTen) {
    EXPECT_EQ(logTicks({0.5, 500.0}), (std::vector<double>{1.0, 10.0, 100.0}));
    const auto ticks = logTicks({1.0, 1000.0});
    ASSERT_EQ(ticks.size(), 4u);
    EXPECT_DOUBLE_EQ(ticks.front(), 1.0);
    EXPECT_DOUBLE_EQ(ticks.back(), 1000.0);
    // Under one decade there is at most one power of ten: the ends are labelled instead.
    EXPECT_EQ(logTicks({2.0, 5.0}), (std::vector<double>{2.0, 5.0}));
}
