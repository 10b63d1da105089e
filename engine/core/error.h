#pragma once
// Errors a user can cause. Library code throws these; only app/ turns them into an exit code.

#include <stdexcept>
#include <string>

namespace parktwin {

/// Base of every ParkTwin error; what() is a complete one-line message for a user.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Bad input: names the file, where in it (line, feature, key) and what was wrong.
class InputError : public Error {
public:
    InputError(const std::string& file, const std::string& where, const std::string& what)
        : Error(file + (where.empty() ? "" : ": " + where) + ": " + what), file_(file),
          where_(where) {}

    const std::string& file() const { return file_; }
    const std::string& where() const { return where_; }

private:
    std::string file_;
    std::string where_;
};

} // namespace parktwin
