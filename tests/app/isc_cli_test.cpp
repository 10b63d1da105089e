// parktwin isc as a user runs it: EPA's TEST-ST deck writes the print file and the deck's
// output files into --out, and a bad deck fails with the file and line, never a crash.

#include "test_paths.h"
#include "shell_command.h"

#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

namespace fs = std::filesystem;
using parktwin::test::scratchDir;

namespace {

using Outcome = parktwin::test::CommandResult;

Outcome runIsc(const std::string& args) {
    return parktwin::test::runParktwin("isc --no-progress " + args);
}

} // namespace

TEST(IscCli, RunsTestStAndWritesTheDecksFiles) {
    const fs::path deck = parktwin::test::sharedDataDir() / "validation" / "isc3" / "TEST-ST.INP";
    PARKTWIN_REQUIRE_SHARED(deck);
    const fs::path out = scratchDir() / "out";
    const Outcome o = runIsc(deck.string() + " --out " + out.string());
    ASSERT_EQ(o.exitCode, 0) << o.output;
    for (const char* name : {"TEST-ST.out", "MAXIALL.FIL", "PSTALL.FIL", "PSTANALL.FIL",
                             "PLT03ALL.FIL", "PLT24ALL.FIL"})
        EXPECT_GT(fs::file_size(out / name), 0u) << name;
    // Ten days give ten 24-hour blocks of 180 receptors in the POSTFILE.
    std::ifstream post(out / "PSTALL.FIL");
    size_t records = 0;
    for (std::string l; std::getline(post, l);)
        records += !l.empty() && l[0] != '*';
    EXPECT_EQ(records, 10u * 180u);
}

TEST(IscCli, UnknownKeywordFailsWithTheLine) {
    const fs::path dir = scratchDir();
    std::ofstream(dir / "BAD.INP") << "CO STARTING\n   TITLEONE  x\n   FASTMODE  ON\n";
    const Outcome o = runIsc((dir / "BAD.INP").string());
    EXPECT_EQ(o.exitCode, 1) << o.output;
    EXPECT_FALSE(o.crashed);
    EXPECT_NE(o.output.find("BAD.INP: line 3: unknown keyword 'FASTMODE'"), std::string::npos)
        << o.output;
}
