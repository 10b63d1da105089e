#pragma once
// Runs a command from a test as a user would type it (the parktwin executable, or GDAL's and
// SQLite's command-line tools) and collects what it prints.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace parktwin::test {

/// What a command run from a test did.
struct CommandResult {
    int exitCode = -1;    ///< -1 when it did not exit normally
    bool crashed = false; ///< ended by a signal
    std::string output;   ///< its standard output (and standard error where the command joins it)
};

/// Runs `command` with /bin/sh and collects its standard output; a `2>&1` in the command
/// collects standard error too.
inline CommandResult runShell(const std::string& command) {
    CommandResult r;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe)
        return r;
    std::array<char, 4096> buf{};
    while (std::size_t n = fread(buf.data(), 1, buf.size(), pipe))
        r.output.append(buf.data(), n);
    const int status = pclose(pipe);
    r.crashed = WIFSIGNALED(status);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

/// As runShell(): the output, with the exit code in `*exitCode`.
inline std::string capture(const std::string& command, int* exitCode) {
    CommandResult r = runShell(command);
    *exitCode = r.exitCode;
    return std::move(r.output);
}

#ifdef PARKTWIN_EXE
/// Runs the parktwin executable with `args`; its standard error joins the output.
inline CommandResult runParktwin(const std::string& args) {
    return runShell(std::string(PARKTWIN_EXE) + " " + args + " 2>&1");
}
#endif

} // namespace parktwin::test
