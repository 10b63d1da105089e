#include "engine/core/time.h"

#include <cstdio>
#include <regex>

#include "engine/core/error.h"

namespace parktwin {

UtcTime fromLocal(int year, int month, int day, int hour, int minute, int second,
                  UtcOffset offset) {
    using namespace std::chrono;
    const year_month_day ymd{std::chrono::year{year}, std::chrono::month{unsigned(month)},
                             std::chrono::day{unsigned(day)}};
    if (!ymd.ok())
        throw Error("invalid calendar date " + std::to_string(year) + "-" +
                    std::to_string(month) + "-" + std::to_string(day));
    const sys_days d{ymd};
    return UtcTime{d} + hours{hour} + minutes{minute} + seconds{second} -
           minutes{offset.minutes};
}

UtcTime parseIsoTime(const std::string& text, UtcOffset defaultOffset) {
    static const std::regex pattern(
        R"(^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?)"
        R"(\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$)");
    std::smatch m;
    if (!std::regex_match(text, m, pattern))
        throw Error("'" + text + "' is not an ISO 8601 date-time (expected e.g. 2016-03-01T07:00)");

    auto num = [&](int k) { return m[k].matched ? std::stoi(m[k].str()) : 0; };
    const int hour = num(4), minute = num(5), second = num(6);
    if (hour > 24 || minute > 59 || second > 60 || (hour == 24 && (minute || second)))
        throw Error("'" + text + "' has an out-of-range time of day");

    UtcOffset offset = defaultOffset;
    if (m[7].matched) {
        const std::string z = m[7].str();
        if (z == "Z") {
            offset.minutes = 0;
        } else {
            const int sign = z[0] == '-' ? -1 : 1;
            const int hh = std::stoi(z.substr(1, 2));
            std::string rest = z.substr(3);
            if (!rest.empty() && rest[0] == ':')
                rest = rest.substr(1);
            const int mm = rest.empty() ? 0 : std::stoi(rest);
            // Offsets in use run from -12:00 to +14:00 (Kiribati's Line Islands).
            if (hh > 14 || mm > 59)
                throw Error("'" + text + "' has an out-of-range UTC offset " + z +
                            " (at most 14 hours, minutes 00 to 59)");
            offset.minutes = sign * (hh * 60 + mm);
        }
    }
    try {
        return fromLocal(num(1), num(2), num(3), hour, minute, second, offset);
    } catch (const Error&) {
        throw Error("'" + text + "' is not a valid calendar date");
    }
}

std::string formatIsoTime(UtcTime t, UtcOffset offset) {
    using namespace std::chrono;
    const auto local = t + minutes{offset.minutes};
    const auto day = floor<days>(local);
    const year_month_day ymd{day};
    const hh_mm_ss hms{local - day};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), long(hms.hours().count()),
                  long(hms.minutes().count()), long(hms.seconds().count()));
    std::string out = buf;
    if (offset.minutes == 0)
        return out + "Z";
    const int a = std::abs(offset.minutes);
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset.minutes < 0 ? '-' : '+', a / 60, a % 60);
    return out + buf;
}

UtcOffset parseUtcOffset(const std::string& text) {
    static const std::regex iso(R"(^([+-])(\d{2})(?::?(\d{2}))?$)");
    static const std::regex utc(R"(^UTC([+-])(\d{1,2})(?::?(\d{2}))?$)");
    if (text == "Z" || text == "UTC")
        return UtcOffset{0};
    std::smatch m;
    if (std::regex_match(text, m, iso) || std::regex_match(text, m, utc)) {
        const int sign = m[1].str() == "-" ? -1 : 1;
        const int hours = std::stoi(m[2].str());
        const int minutes = m[3].matched ? std::stoi(m[3].str()) : 0;
        if (hours <= 14 && minutes < 60)
            return UtcOffset{sign * (hours * 60 + minutes)};
    }
    throw Error("'" + text + "' is not a UTC offset (expected e.g. +07:00)");
}

} // namespace parktwin
