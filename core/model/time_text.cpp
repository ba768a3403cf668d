// SPDX-License-Identifier: MIT
#include "time_text.h"

#include <cstdio>
#include <ctime>
#include <string>

namespace flight {
namespace {

std::tm utcTm(std::int64_t ms)
{
    // Floor, so that instants before the epoch fall in the right second.
    const std::int64_t seconds = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    const auto t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return tm;
}

std::string strftimeText(const std::tm& tm, const char* format)
{
    char buf[48];
    const std::size_t n = std::strftime(buf, sizeof buf, format, &tm);
    return std::string(buf, n);
}

} // namespace

std::string formatDuration(std::int64_t ms, DurationStyle style)
{
    if (style == DurationStyle::Rounded) {
        if (ms >= 3'600'000 && (ms % 3'600'000 == 0 || ms >= 7'200'000))
            return std::to_string((ms + 1'800'000) / 3'600'000) + " h";
        if (ms >= 60'000 && (ms % 60'000 == 0 || ms >= 120'000))
            return std::to_string((ms + 30'000) / 60'000) + " min";
        if (ms % 1000 == 0 && ms >= 1000)
            return std::to_string(ms / 1000) + " s";
        return std::to_string(ms) + " ms";
    }
    char buf[64];
    const bool negative = ms < 0;
    const std::uint64_t a = negative ? 0 - static_cast<std::uint64_t>(ms) : static_cast<std::uint64_t>(ms);
    if (a < 60'000)
        std::snprintf(buf, sizeof buf, "%s%.1f s", negative ? "-" : "", static_cast<double>(a) / 1000.0);
    else if (a < 3'600'000)
        std::snprintf(buf, sizeof buf, "%s%llu min %04.1f s", negative ? "-" : "",
                      static_cast<unsigned long long>(a / 60'000), static_cast<double>(a % 60'000) / 1000.0);
    else
        std::snprintf(buf, sizeof buf, "%s%llu h %02llu min", negative ? "-" : "",
                      static_cast<unsigned long long>(a / 3'600'000),
                      static_cast<unsigned long long>((a % 3'600'000) / 60'000));
    return buf;
}

std::string formatUtc(std::int64_t ms)
{
    return strftimeText(utcTm(ms), "%Y-%m-%d %H:%M:%S UTC");
}

std::string formatTimeSpan(std::int64_t fromMs, std::int64_t toMs)
{
    const std::tm from = utcTm(fromMs);
    const std::tm to = utcTm(toMs);
    const bool sameDay = from.tm_year == to.tm_year && from.tm_yday == to.tm_yday;
    return strftimeText(from, "%Y-%m-%d %H:%M:%S") + " .. " + strftimeText(to, sameDay ? "%H:%M:%S" : "%Y-%m-%d %H:%M:%S") +
           " UTC (" + formatDuration(toMs - fromMs) + ")";
}

} // namespace flight
