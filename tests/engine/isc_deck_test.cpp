// ISCST3 control files: what the reader accepts, and the bad decks it refuses with the file
// and line in the message.

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "engine/core/error.h"
#include "engine/isc/deck.h"
#include "engine/isc/outputs.h"
#include "engine/isc/run.h"
#include "test_paths.h"

using namespace parktwin;
namespace fs = std::filesystem;

namespace {

// A small deck in the layout of EPA's TEST-ST example; line numbers are noted where the tests
// edit it.
const char* kDeck = R"(CO STARTING
   TITLEONE  Bad-deck checks
   MODELOPT  DFAULT  RURAL  CONC
   AVERTIME  3  24  PERIOD
   POLLUTID  SO2
CO FINISHED
SO STARTING
   LOCATION  STACK1  POINT  0.0   0.0   0.0
   SRCPARAM  STACK1  1.00  35.0  432.  11.7  2.4
   BUILDHGT  STACK1  36*34.
   BUILDWID  STACK1  18*30.
             STACK1  18*20.
   SRCGROUP  ALL
SO FINISHED
RE STARTING
   GRIDPOLR  POL1  STA
             POL1  ORIG  0.0  0.0
             POL1  DIST  100.  500.
             POL1  GDIR  36    10.   10.
             POL1  END
   DISCCART  250.  -40.
RE FINISHED
ME STARTING
   INPUTFIL  MET.ASC
   ANEMHGHT  10 METERS
   SURFDATA  94823  1964  PITTSBURGH
   UAIRDATA  94823  1964  PITTSBURGH
ME FINISHED
OU STARTING
   RECTABLE  ALLAVE  FIRST-SECOND
   MAXTABLE  ALLAVE  10
OU FINISHED
)";

/// A day of ISC ASCII met: hours 1-24 of 1 January 1964, D class, 5 m/s toward 90 degrees.
std::string metDay(int skipHour = 0) {
    std::string s = " 94823     64  94823     64\n";
    for (int h = 1; h <= 24; ++h) {
        if (h == skipHour)
            continue;
        char line[80];
        std::snprintf(line, sizeof line, "64 1 1%2d  90.0000   5.0000 270.0 4  800.0  800.0\n",
                      h);
        s += line;
    }
    return s;
}

fs::path writeCase(const fs::path& dir, std::string deck, const std::string& met) {
    std::ofstream(dir / "MET.ASC") << met;
    const fs::path p = dir / "CASE.INP";
    std::ofstream(p) << deck;
    return p;
}

void replaceLine(std::string& deck, const std::string& from, const std::string& to) {
    const auto pos = deck.find(from);
    ASSERT_NE(pos, std::string::npos) << from;
    deck.replace(pos, from.size(), to);
}

/// Runs the deck and returns the error message ("" when it ran).
std::string errorOf(const fs::path& deck) {
    try {
        isc::runDeck(isc::readDeck(deck));
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST(IscDeck, ReadsTheTestStLayout) {
    const fs::path dir = test::scratchDir();
    const isc::Deck d = isc::readDeck(writeCase(dir, kDeck, metDay()));
    ASSERT_EQ(d.sources.size(), 1u);
    ASSERT_TRUE(d.sources[0].point.buildings.has_value());
    EXPECT_DOUBLE_EQ((*d.sources[0].point.buildings)[0].height_m, 34.0);
    EXPECT_DOUBLE_EQ((*d.sources[0].point.buildings)[17].width_m, 30.0);
    EXPECT_DOUBLE_EQ((*d.sources[0].point.buildings)[18].width_m, 20.0);
    EXPECT_EQ(d.receptors.size(), 2u * 36u + 1u);
    // Radial 90 degrees, ring 500 m: east of the origin.
    EXPECT_NEAR(d.receptors[8 * 2 + 1].position.x, 500.0, 1e-9);
    EXPECT_NEAR(d.receptors[8 * 2 + 1].position.y, 0.0, 1e-9);
    EXPECT_EQ(d.met.inputFile, dir / "MET.ASC");
    EXPECT_EQ(d.control.periods_h, (std::vector<int>{3, 24}));
    const isc::RunResult r = isc::runDeck(d);
    EXPECT_EQ(r.hours, 24);
    // Wind toward 90 degrees: the receptor at (500, 0) is on the plume axis and gets the
    // highest 24-hour value of the ring; the one toward 270 degrees gets nothing.
    const auto& acc = r.groups[0].averages;
    EXPECT_GT(acc.highest(1, 8 * 2 + 1, 0).value, 0.0);
    EXPECT_EQ(acc.highest(1, 26 * 2 + 1, 0).value, 0.0);
    EXPECT_EQ(acc.highest(1, 8 * 2 + 1, 0).stamp, 64010124);
}

TEST(IscDeck, UnknownKeywordNamesTheLine) {
    const fs::path dir = test::scratchDir();
    std::string deck = kDeck;
    replaceLine(deck, "   POLLUTID  SO2\n", "   POLLUTID  SO2\n   SPEEDUP   YES\n");
    const std::string msg = errorOf(writeCase(dir, deck, metDay()));
    EXPECT_NE(msg.find("CASE.INP: line 6"), std::string::npos) << msg;
    EXPECT_NE(msg.find("unknown keyword 'SPEEDUP'"), std::string::npos) << msg;
}

TEST(IscDeck, MissingMetFileNamesTheDeckLine) {
    const fs::path dir = test::scratchDir();
    std::string deck = kDeck;
    replaceLine(deck, "INPUTFIL  MET.ASC", "INPUTFIL  NOSUCH.ASC");
    const std::string msg = errorOf(writeCase(dir, deck, metDay()));
    EXPECT_NE(msg.find("CASE.INP: line 24"), std::string::npos) << msg;
    EXPECT_NE(msg.find("NOSUCH.ASC not found"), std::string::npos) << msg;
}

TEST(IscDeck, MetFileWithAMissingHourNamesTheMetLine) {
    const fs::path dir = test::scratchDir();
    // Hour 7 left out: the record of hour 8 is line 8 of the file (header on line 1).
    const std::string msg = errorOf(writeCase(dir, kDeck, metDay(7)));
    EXPECT_NE(msg.find("MET.ASC: line 8"), std::string::npos) << msg;
    EXPECT_NE(msg.find("hour 64010108 follows hour 64010106"), std::string::npos) << msg;
    EXPECT_NE(msg.find("1 hour(s) missing"), std::string::npos) << msg;
}

TEST(IscDeck, NegativeEmissionRateNamesTheLine) {
    const fs::path dir = test::scratchDir();
    std::string deck = kDeck;
    replaceLine(deck, "STACK1  1.00  35.0", "STACK1  -1.00  35.0");
    const std::string msg = errorOf(writeCase(dir, deck, metDay()));
    EXPECT_NE(msg.find("CASE.INP: line 9"), std::string::npos) << msg;
    EXPECT_NE(msg.find("negative emission rate"), std::string::npos) << msg;
}

TEST(IscDeck, OtherMistakesNameTheLine) {
    const fs::path dir = test::scratchDir();
    const std::pair<std::string, std::string> cases[] = {
        {"   BUILDWID  STACK1  18*30.\n             STACK1  18*20.\n",
         "   BUILDWID  STACK1  18*30.\n"},                                   // 18 widths
        {"AVERTIME  3  24  PERIOD", "AVERTIME  5  24  PERIOD"},             // 5 hours
        {"RECTABLE  ALLAVE  FIRST-SECOND", "RECTABLE  8  FIRST-SECOND"},   // not averaged
        {"SRCPARAM  STACK1  1.00  35.0  432.  11.7  2.4", "SRCPARAM  STACK1  1.00  35.0"},
        {"MODELOPT  DFAULT  RURAL  CONC", "MODELOPT  DFAULT  RURAL  CONC  DDEP"},
    };
    for (const auto& [from, to] : cases) {
        std::string deck = kDeck;
        replaceLine(deck, from, to);
        const std::string msg = errorOf(writeCase(dir, deck, metDay()));
        EXPECT_NE(msg.find("CASE.INP: line "), std::string::npos) << to << ": " << msg;
    }
}

TEST(IscDeck, WritesTheFilesTheOuPathwayNames) {
    const fs::path dir = test::scratchDir();
    std::string deck = kDeck;
    replaceLine(deck, "   MAXTABLE  ALLAVE  10\n",
                "   MAXTABLE  ALLAVE  10\n"
                "   MAXIFILE   3  ALL  0.0   MAXI.FIL\n"
                "   POSTFILE  24  ALL  PLOT   POST24.FIL\n"
                "   POSTFILE  PERIOD ALL PLOT POSTPER.FIL\n"
                "   PLOTFILE   3  ALL  2ND    PLOT03.FIL\n");
    const isc::Deck d = isc::readDeck(writeCase(dir, deck, metDay()));
    const fs::path out = dir / "out";
    isc::OutputFiles files(d, out);
    const isc::RunResult r = isc::runDeck(d, files.sink());
    files.finish(r);
    isc::writePrintFile(d, r, out / "CASE.out");
    auto lines = [](const fs::path& p) {
        std::ifstream in(p);
        std::vector<std::string> v;
        for (std::string l; std::getline(in, l);)
            v.push_back(l);
        return v;
    };
    auto records = [&](const fs::path& p) {
        size_t n = 0;
        for (const auto& l : lines(p))
            n += !l.empty() && l[0] != '*';
        return n;
    };
    const size_t receptors = d.receptors.size();
    // 8 three-hour blocks, every receptor at or above a threshold of zero.
    EXPECT_EQ(records(out / "MAXI.FIL"), 8 * receptors);
    EXPECT_EQ(records(out / "POST24.FIL"), receptors);
    EXPECT_EQ(records(out / "POSTPER.FIL"), receptors);
    EXPECT_EQ(records(out / "PLOT03.FIL"), receptors);
    const auto plot = lines(out / "PLOT03.FIL");
    EXPECT_NE(plot.at(3).find("2ND HIGHEST  3-HR VALUES FOR SOURCE GROUP: ALL"), std::string::npos)
        << plot.at(3);
    EXPECT_NE(plot.at(5).find("FORMAT:"), std::string::npos);
    const auto print = lines(out / "CASE.out");
    size_t tables = 0;
    for (const auto& l : print)
        tables += l.find("HIGHEST  3-HR AVERAGE CONCENTRATION") != std::string::npos;
    // First and second highest, each for the polar network and for the discrete receptor.
    EXPECT_EQ(tables, 4u);
}

TEST(IscDeck, VolumeAndAreaSourcesRunThroughTheirModels) {
    const fs::path dir = test::scratchDir();
    std::string deck = kDeck;
    replaceLine(deck, "   SRCGROUP  ALL\n",
                "   LOCATION  VOL1  VOLUME  -50.0  0.0  0.0\n"
                "   SRCPARAM  VOL1  2.0  10.0  5.0  3.0\n"
                "   LOCATION  AREA1  AREA  -700.0  -20.0\n"
                "   SRCPARAM  AREA1  0.001  2.0  40.0  40.0  0.0\n"
                "   SRCGROUP  ALL\n"
                "   SRCGROUP  VOL  VOL1\n"
                "   SRCGROUP  AREA  AREA1\n");
    const isc::Deck d = isc::readDeck(writeCase(dir, deck, metDay()));
    ASSERT_EQ(d.sources.size(), 3u);
    EXPECT_EQ(d.sources[1].type, isc::SourceType::Volume);
    EXPECT_DOUBLE_EQ(d.sources[1].volume.initialSigmaY_m, 5.0);
    EXPECT_EQ(d.sources[2].type, isc::SourceType::Area);
    EXPECT_DOUBLE_EQ(d.sources[2].area.yLength_m, 40.0);
    const isc::RunResult r = isc::runDeck(d);
    ASSERT_EQ(r.groups.size(), 3u);
    // On the plume axis 500 m east (wind toward 90 degrees), every group contributes, and the
    // group of all sources is the sum of the others (same hours, same receptors).
    const size_t east500 = 8 * 2 + 1;
    const double all = r.groups[0].averages.periodAverage(east500);
    const double vol = r.groups[1].averages.periodAverage(east500);
    const double area = r.groups[2].averages.periodAverage(east500);
    EXPECT_GT(vol, 0.0);
    EXPECT_GT(area, 0.0);
    EXPECT_GT(all, vol + area);
}
