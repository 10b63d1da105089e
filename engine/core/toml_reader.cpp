#include "engine/core/toml_reader.h"

#include <cmath>

#include "engine/core/error.h"

namespace parktwin::tomlin {
namespace {

const char* typeName(const toml::node& node) {
    switch (node.type()) {
    case toml::node_type::string:
        return "a string";
    case toml::node_type::integer:
    case toml::node_type::floating_point:
        return "a number";
    case toml::node_type::boolean:
        return "true/false";
    case toml::node_type::array:
        return "an array";
    case toml::node_type::table:
        return "a table";
    default:
        return "a date or time";
    }
}

} // namespace

toml::table parseFile(const std::filesystem::path& file) {
    if (!std::filesystem::exists(file))
        throw InputError(file.string(), "", "file not found");
    try {
        return toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw InputError(file.string(), "line " + std::to_string(e.source().begin.line),
                         std::string(e.description()));
    }
}

TableReader::TableReader(const toml::table& table, std::string path, std::string file)
    : table_(table), path_(std::move(path)), file_(std::move(file)) {}

std::string TableReader::where(const std::string& key) const {
    const std::string full = path_.empty() ? key : path_ + "." + key;
    const toml::node* n = table_.get(key);
    if (n && n->source().begin.line > 0)
        return "line " + std::to_string(n->source().begin.line) + ", key '" + full + "'";
    return "key '" + full + "'";
}

const toml::node* TableReader::node(const std::string& key) {
    seen_.insert(key);
    return table_.get(key);
}

void TableReader::wrongType(const std::string& key, const char* expected) const {
    throw InputError(file_, where(key),
                     std::string("expected ") + expected + ", found " + typeName(*table_.get(key)));
}

bool TableReader::has(const std::string& key) { return node(key) != nullptr; }

std::optional<std::string> TableReader::optString(const std::string& key) {
    const toml::node* n = node(key);
    if (!n)
        return std::nullopt;
    if (const auto* s = n->as_string())
        return s->get();
    wrongType(key, "a string");
}

std::optional<double> TableReader::optNumber(const std::string& key) {
    const toml::node* n = node(key);
    if (!n)
        return std::nullopt;
    std::optional<double> v;
    if (const auto* d = n->as_floating_point())
        v = d->get();
    else if (const auto* i = n->as_integer())
        v = static_cast<double>(i->get());
    if (!v)
        wrongType(key, "a number");
    if (!std::isfinite(*v))
        throw InputError(file_, where(key), "expected a finite number");
    return v;
}

std::optional<bool> TableReader::optBoolean(const std::string& key) {
    const toml::node* n = node(key);
    if (!n)
        return std::nullopt;
    if (const auto* b = n->as_boolean())
        return b->get();
    wrongType(key, "true or false");
}

std::string TableReader::string(const std::string& key) {
    auto v = optString(key);
    if (!v || v->empty())
        throw InputError(file_, where(key), "required key is missing");
    return *v;
}

double TableReader::number(const std::string& key) {
    auto v = optNumber(key);
    if (!v)
        throw InputError(file_, where(key), "required key is missing");
    return *v;
}

const toml::table& TableReader::table(const std::string& key) {
    const toml::node* n = node(key);
    if (!n)
        throw InputError(file_, "[" + (path_.empty() ? key : path_ + "." + key) + "]",
                         "required table is missing");
    if (!n->is_table())
        wrongType(key, "a table");
    return *n->as_table();
}

std::vector<double> TableReader::numbers(const std::string& key) {
    std::vector<double> out;
    const toml::node* n = node(key);
    if (!n)
        return out;
    const toml::array* array = n->as_array();
    if (!array)
        wrongType(key, "an array of numbers");
    for (const toml::node& item : *array) {
        auto v = item.value<double>();
        if (!v || !std::isfinite(*v))
            throw InputError(file_, where(key), "expected an array of finite numbers");
        out.push_back(*v);
    }
    return out;
}

std::vector<std::string> TableReader::strings(const std::string& key) {
    std::vector<std::string> out;
    const toml::node* n = node(key);
    if (!n)
        return out;
    const toml::array* array = n->as_array();
    if (!array)
        wrongType(key, "an array of strings");
    for (const toml::node& item : *array) {
        const auto* s = item.as_string();
        if (!s)
            throw InputError(file_, where(key), "expected an array of strings");
        out.push_back(s->get());
    }
    return out;
}

std::vector<const toml::table*> TableReader::tables(const std::string& key) {
    std::vector<const toml::table*> out;
    const toml::node* n = node(key);
    if (!n)
        return out;
    const toml::array* array = n->as_array();
    if (!array)
        wrongType(key, "an array of tables");
    for (size_t k = 0; k < array->size(); ++k) {
        const toml::table* t = (*array)[k].as_table();
        if (!t)
            throw InputError(file_, where(key), "expected [[" + key + "]] tables");
        out.push_back(t);
    }
    return out;
}

void TableReader::refuseUnknown(const std::set<std::string>& allowed) const {
    for (const auto& [key, value] : table_) {
        const std::string name(key.str());
        if (allowed.count(name))
            continue;
        std::string list;
        for (const std::string& k : allowed)
            list += (list.empty() ? "" : ", ") + k;
        throw InputError(file_, where(name), "unknown key; expected one of: " + list);
    }
}

void TableReader::finish() const {
    for (const auto& [key, value] : table_) {
        const std::string name(key.str());
        if (!seen_.count(name))
            throw InputError(file_, where(name), "unknown key");
    }
}

} // namespace parktwin::tomlin
