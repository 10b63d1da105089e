#include "engine/core/log.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace parktwin::log {
namespace {

std::mutex gMutex;
spdlog::level::level_enum gLevel = spdlog::level::info;

std::map<std::string, std::shared_ptr<spdlog::logger>>& registry() {
    static std::map<std::string, std::shared_ptr<spdlog::logger>> loggers;
    return loggers;
}

spdlog::level::level_enum toSpd(Level level) {
    switch (level) {
    case Level::Debug:
        return spdlog::level::debug;
    case Level::Info:
        return spdlog::level::info;
    case Level::Warn:
        return spdlog::level::warn;
    case Level::Error:
        return spdlog::level::err;
    case Level::Quiet:
        return spdlog::level::off;
    }
    return spdlog::level::info;
}

} // namespace

void setLevel(Level level) {
    std::lock_guard lock(gMutex);
    gLevel = toSpd(level);
    for (auto& [name, logger] : registry())
        logger->set_level(gLevel);
}

spdlog::logger& get(const char* component) {
    std::lock_guard lock(gMutex);
    auto& loggers = registry();
    auto it = loggers.find(component);
    if (it != loggers.end())
        return *it->second;

    // Logs go to stderr so that stdout stays free for results (--json and tables).
    static auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    auto logger = std::make_shared<spdlog::logger>(component, sink);
    logger->set_pattern("%^%L%$ [%n] %v");
    logger->set_level(gLevel);
    loggers.emplace(component, logger);
    return *logger;
}

} // namespace parktwin::log
