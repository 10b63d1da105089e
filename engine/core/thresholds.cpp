#include "engine/core/thresholds.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include "engine/core/error.h"

namespace parktwin {

std::optional<Threshold> ThresholdTable::ambient(const std::string& parameter,
                                                 const std::string& period,
                                                 const std::string& regulation) const {
    for (const Threshold& t : rows) {
        // Later rows of the same limit (e.g. PM2.5 from 2026) replace earlier ones only when
        // the caller asks for them by regulation text; the first match is the default.
        if (t.regulation.rfind(regulation, 0) == 0 && t.parameter == parameter &&
            t.period == period && (t.unit == "ug/Nm3" || t.unit == "ug/m3"))
            return t;
    }
    return std::nullopt;
}

ThresholdTable readThresholds(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in)
        throw InputError(file.string(), "", "cannot open thresholds file");
    ThresholdTable table;
    table.source = file;
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty())
            continue;
        std::vector<std::string> fields;
        std::stringstream ss(line);
        std::string field;
        while (std::getline(ss, field, ','))
            fields.push_back(field);
        if (line.back() == ',')
            fields.emplace_back();
        const std::string where = "line " + std::to_string(lineNo);
        if (lineNo == 1) {
            if (fields.size() < 6 || fields[0] != "regulation" || fields[4] != "limit")
                throw InputError(file.string(), where,
                                 "expected the header regulation,status,parameter,"
                                 "column_or_period,limit,unit,grade,note");
            continue;
        }
        if (fields.size() < 6)
            throw InputError(file.string(), where,
                             "expected at least 6 comma-separated fields, found " +
                                 std::to_string(fields.size()));
        Threshold t;
        t.regulation = fields[0];
        t.status = fields[1];
        t.parameter = fields[2];
        t.period = fields[3];
        // A limit is a number, or a range "low-high" (pH 6-9).
        auto number = [&](const std::string& text) {
            size_t used = 0;
            double v = std::stod(text, &used);
            if (used != text.size() || !std::isfinite(v) || v < 0)
                throw std::invalid_argument("limit");
            return v;
        };
        try {
            const size_t dash = fields[4].find('-', 1);
            if (dash == std::string::npos) {
                t.limit = number(fields[4]);
            } else {
                t.lowerLimit = number(fields[4].substr(0, dash));
                t.limit = number(fields[4].substr(dash + 1));
            }
        } catch (const std::exception&) {
            throw InputError(file.string(), where,
                             "limit '" + fields[4] + "' is not a non-negative number or range");
        }
        t.unit = fields[5];
        t.grade = fields.size() > 6 ? fields[6] : "";
        t.note = fields.size() > 7 ? fields[7] : "";
        table.rows.push_back(std::move(t));
    }
    return table;
}

} // namespace parktwin
