#pragma once
// Reading ParkTwin's TOML files (park manifests, scenarios): typed values with errors that name
// the file, the line and the key, and refusal of keys nobody asked for, so that a misspelt
// key never falls back silently to a default.

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <toml++/toml.h>

namespace parktwin::tomlin {

/// Parses a TOML file. Throws InputError naming the file (and the line of a syntax error).
toml::table parseFile(const std::filesystem::path& file);

/// Typed access to one table of a TOML document. Every key read (or merely asked about) is
/// remembered; finish() refuses the others.
class TableReader {
public:
    /// `path` is the table's dotted name in the document ("" for the root, "receptors",
    /// "layers[2]"); `file` names the document in errors.
    TableReader(const toml::table& table, std::string path, std::string file);

    /// "line N, key 'path.key'" for messages about `key`.
    std::string where(const std::string& key) const;

    /// True when the key is present; marks it as known.
    bool has(const std::string& key);

    std::optional<std::string> optString(const std::string& key);
    std::optional<double> optNumber(const std::string& key);
    std::optional<bool> optBoolean(const std::string& key);

    /// A required string, number or table; InputError "required key is missing" otherwise.
    std::string string(const std::string& key);
    double number(const std::string& key);
    const toml::table& table(const std::string& key);

    std::string string(const std::string& key, const std::string& fallback) {
        return optString(key).value_or(fallback);
    }
    double number(const std::string& key, double fallback) {
        return optNumber(key).value_or(fallback);
    }
    bool boolean(const std::string& key, bool fallback) {
        return optBoolean(key).value_or(fallback);
    }

    /// An array of numbers or of strings; empty when the key is absent.
    std::vector<double> numbers(const std::string& key);
    std::vector<std::string> strings(const std::string& key);

    /// The array of tables under `key` ([[key]] in the document); empty when absent.
    std::vector<const toml::table*> tables(const std::string& key);

    /// Refuses any key outside `allowed`, listing the allowed ones in the message.
    void refuseUnknown(const std::set<std::string>& allowed) const;

    /// Refuses any key that was never read or asked about.
    void finish() const;

    const std::string& file() const { return file_; }
    const std::string& path() const { return path_; }

private:
    const toml::node* node(const std::string& key);
    [[noreturn]] void wrongType(const std::string& key, const char* expected) const;

    const toml::table& table_;
    std::string path_;
    std::string file_;
    std::set<std::string> seen_;
};

} // namespace parktwin::tomlin
