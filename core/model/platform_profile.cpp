// SPDX-License-Identifier: MIT
#include "platform_profile.h"

#include <simdjson.h>

#include <cctype>

namespace flight {
namespace embedded {
extern const std::string_view platformsJson;
}

namespace {

auto bad(std::string_view where, std::string_view why)
{
    return makeError(MemoryErrorCode::MalformedInput,
                     "platform catalogue: " + std::string(where) + ": " + std::string(why));
}

Result<PressureThresholds> readThresholds(simdjson::dom::element e, PressureThresholds base, std::string_view where)
{
    simdjson::dom::object o;
    if (e.get(o))
        return bad(where, "thresholds must be an object");
    for (auto [key, value] : o) {
        double v = 0;
        if (value.get(v) || v <= 0 || v > 1)
            return bad(where, "threshold \"" + std::string(key) + "\" must be a number in (0, 1]");
        if (key == "medium")
            base.medium = v;
        else if (key == "high")
            base.high = v;
        else if (key == "critical")
            base.critical = v;
    }
    if (!(base.medium <= base.high && base.high <= base.critical))
        return bad(where, "thresholds must rise: medium <= high <= critical");
    return base;
}

} // namespace

Result<PlatformCatalog> PlatformCatalog::fromJson(std::string_view json)
{
    simdjson::dom::parser parser;
    simdjson::padded_string padded(json);
    simdjson::dom::element root;
    if (auto err = parser.parse(padded).get(root))
        return bad("document", simdjson::error_message(err));
    PressureThresholds defaults;
    if (simdjson::dom::element t; !root["defaultThresholds"].get(t)) {
        auto r = readThresholds(t, defaults, "defaultThresholds");
        if (!r)
            return std::unexpected(r.error());
        defaults = *r;
    }
    simdjson::dom::array list;
    if (root["profiles"].get(list))
        return bad("profiles", "missing or not an array");
    PlatformCatalog catalog;
    std::size_t index = 0;
    for (simdjson::dom::element item : list) {
        const std::string where = "profiles[" + std::to_string(index++) + "]";
        PlatformProfile p;
        std::string_view s;
        if (item["id"].get(s) || s.empty())
            return bad(where, "\"id\" must be a non-empty string");
        p.id = s;
        p.name = item["name"].get(s) ? p.id : std::string(s);
        std::uint64_t total = 0;
        if (item["totalBytes"].get(total))
            return bad(where, "\"totalBytes\" must be a whole number of bytes");
        p.totalBytes = total;
        if (!item["note"].get(s))
            p.note = s;
        p.thresholds = defaults;
        if (simdjson::dom::element t; !item["thresholds"].get(t)) {
            auto r = readThresholds(t, defaults, where + ".thresholds");
            if (!r)
                return std::unexpected(r.error());
            p.thresholds = *r;
        }
        catalog.m_profiles.push_back(std::move(p));
    }
    return catalog;
}

const PlatformCatalog& PlatformCatalog::builtin()
{
    // The embedded file is part of the build and tested; failing here is a build bug.
    static const PlatformCatalog catalog = fromJson(embedded::platformsJson).value_or(PlatformCatalog{});
    return catalog;
}

const PlatformProfile* PlatformCatalog::find(std::string_view id) const
{
    for (const auto& p : m_profiles) {
        if (p.id.size() != id.size())
            continue;
        bool same = true;
        for (std::size_t i = 0; i < id.size() && same; ++i)
            same = std::tolower(static_cast<unsigned char>(id[i])) == p.id[i];
        if (same)
            return &p;
    }
    return nullptr;
}

} // namespace flight
