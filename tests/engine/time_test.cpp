#include "engine/core/error.h"
#include "engine/core/time.h"

#include <gtest/gtest.h>

using namespace parktwin;
using namespace std::chrono;

// Expected epoch seconds worked out with `date -u -d '2016-03-01 00:00' +%s` = 1456790400.
TEST(Time, LocalTimeWithoutOffsetUsesParkZone) {
    const UtcTime t = parseIsoTime("2016-03-01T07:00", UtcOffset{420});
    EXPECT_EQ(t.time_since_epoch().count(), 1456790400);
}

TEST(Time, ExplicitOffsetsWin) {
    EXPECT_EQ(parseIsoTime("2016-03-01T00:00Z", UtcOffset{420}).time_since_epoch().count(),
              1456790400);
    EXPECT_EQ(parseIsoTime("2016-03-01T08:00+08:00", UtcOffset{420}).time_since_epoch().count(),
              1456790400);
    EXPECT_EQ(parseIsoTime("2016-02-29 19:00:00-0500", UtcOffset{0}).time_since_epoch().count(),
              1456790400);
}

TEST(Time, HourTwentyFourIsNextMidnight) {
    EXPECT_EQ(parseIsoTime("2016-02-29T24:00Z", UtcOffset{0}),
              parseIsoTime("2016-03-01T00:00Z", UtcOffset{0}));
    EXPECT_THROW(parseIsoTime("2016-02-29T24:30Z", UtcOffset{0}), Error);
}

TEST(Time, RejectsNonsense) {
    EXPECT_THROW(parseIsoTime("yesterday", UtcOffset{0}), Error);
    EXPECT_THROW(parseIsoTime("2017-02-29T00:00", UtcOffset{0}), Error);
}

// Offsets in use run from -12:00 to +14:00; minutes past 59 are no offset at all.
TEST(Time, RejectsOffsetsOutOfRange) {
    EXPECT_EQ(parseIsoTime("2016-03-01T14:00+14:00", UtcOffset{0}).time_since_epoch().count(),
              1456790400);
    EXPECT_EQ(parseIsoTime("2016-02-29T12:00-12:00", UtcOffset{0}).time_since_epoch().count(),
              1456790400);
    for (const char* text : {"2016-03-01T12:00+30:00", "2016-03-01T12:00+09:75",
                             "2016-03-01T12:00+25:00", "2016-03-01T12:00-0960"})
        EXPECT_THROW(parseIsoTime(text, UtcOffset{0}), Error) << text;
}

TEST(Time, FormatsInLocalZone) {
    const UtcTime t{seconds{1456790400}};
    EXPECT_EQ(formatIsoTime(t, UtcOffset{420}), "2016-03-01T07:00:00+07:00");
    EXPECT_EQ(formatIsoTime(t, UtcOffset{0}), "2016-03-01T00:00:00Z");
}

TEST(Time, UtcOffsets) {
    EXPECT_EQ(parseUtcOffset("+07:00").minutes, 420);
    EXPECT_EQ(parseUtcOffset("UTC+8").minutes, 480);
    EXPECT_EQ(parseUtcOffset("-05:30").minutes, -330);
    EXPECT_EQ(parseUtcOffset("Z").minutes, 0);
    EXPECT_THROW(parseUtcOffset("+25:00"), Error);
    EXPECT_THROW(parseUtcOffset("seven"), Error);
}
