#pragma once
// Captures what one component logger writes while a test runs, so a test can check that a
// warning was (or was not) given.

#include <algorithm>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <spdlog/sinks/ostream_sink.h>

#include "engine/core/log.h"

namespace parktwin::test {

class LogCapture {
public:
    /// Starts capturing the logger of `component` ("met", "gis"), at info level and above.
    explicit LogCapture(const char* component)
        : logger_(log::get(component)),
          sink_(std::make_shared<spdlog::sinks::ostream_sink_mt>(text_)),
          level_(logger_.level()) {
        sink_->set_pattern("%l %v");
        logger_.sinks().push_back(sink_);
        logger_.set_level(spdlog::level::info);
    }
    ~LogCapture() {
        auto& sinks = logger_.sinks();
        sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
        logger_.set_level(level_);
    }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    /// Everything captured so far, one "level message" per line.
    std::string text() const { return text_.str(); }

    /// The lines written at warn level, without the level name.
    std::vector<std::string> warnings() const {
        std::vector<std::string> out;
        std::istringstream lines(text_.str());
        for (std::string line; std::getline(lines, line);)
            if (line.rfind("warning ", 0) == 0)
                out.push_back(line.substr(8));
        return out;
    }

private:
    spdlog::logger& logger_;
    std::ostringstream text_;
    std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
    spdlog::level::level_enum level_;
};

} // namespace parktwin::test
