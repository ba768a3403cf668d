// SPDX-License-Identifier: MIT
#include "generator/workload_profile.h"

#include "model/platform_profile.h"

#include <algorithm>

namespace flight::generator {

namespace {

// Both kinds of session climb through medium and high to critical twice, with
// a plateau at the top (so a sampled series sees it), and fall back to low
// in between and at the end.
std::vector<UsagePoint> standardCurve()
{
    return {
        {0.00, 0.20}, {0.06, 0.45}, {0.16, 0.62}, {0.26, 0.78}, {0.36, 0.90}, {0.43, 0.972},
        {0.50, 0.972}, {0.60, 0.50}, {0.70, 0.88}, {0.76, 0.968}, {0.82, 0.968}, {0.91, 0.40},
        {1.00, 0.30},
    };
}

WorkloadProfile consoleProfile(std::string platform, std::string label)
{
    WorkloadProfile p;
    p.platform = std::move(platform);
    p.sessionId = "title-1";
    p.label = std::move(label);
    p.virtualMachine = false;
    p.mix = {
        {StandardPurpose::AssetCache, 50, 2.0},
        {StandardPurpose::WasmLinear, 14, 1.0},
        {StandardPurpose::ComponentStack, 10, 0.5},
        {StandardPurpose::Temporary, 20, 0.25},
        {StandardPurpose::VmHeap, 6, 0.5},
    };
    p.curve = standardCurve();
    p.markers = {"boot", "title screen", "level 1 loaded", "level 1 streaming", "level 2 loaded", "boss fight",
                 "boss fight", "level 2 unloaded", "level 3 loaded", "cutscene", "cutscene", "results screen",
                 "back to menu"};
    p.systemReservedShare = 0.12;
    p.systemReservedBlocks = 2;
    p.leakShare = 0.0;
    p.vmHeapRetention = 0.0;
    p.updatePeriodMs = 500;
    p.sendLimits = false;
    return p;
}

WorkloadProfile vmProfile(std::string platform, std::string label)
{
    WorkloadProfile p;
    p.platform = std::move(platform);
    p.sessionId = "vm-1";
    p.label = std::move(label);
    p.virtualMachine = true;
    p.mix = {
        {StandardPurpose::VmHeap, 38, 1.5},
        {StandardPurpose::JitCodeCache, 9, 1.0},
        {StandardPurpose::NetworkBuffers, 12, 0.5},
        {StandardPurpose::Temporary, 28, 0.25},
        {StandardPurpose::AssetCache, 6, 2.0},
        {StandardPurpose::ComponentStack, 4, 0.5},
        {StandardPurpose::WasmLinear, 3, 2.0},
    };
    p.curve = standardCurve();
    p.markers = {"boot", "workspace opened", "build started", "compiling", "linking", "tests started",
                 "tests started", "build finished", "level 2 loaded", "gc", "gc", "idle", "shutdown requested"};
    p.systemReservedShare = 0.04;
    p.systemReservedBlocks = 1;
    p.leakShare = 0.06;
    p.vmHeapRetention = 0.6;
    p.updatePeriodMs = 1000;
    p.sendLimits = true;
    return p;
}

} // namespace

const std::vector<std::string>& WorkloadProfile::platforms()
{
    static const std::vector<std::string> ids{"dreamcast", "psp",        "psp-1000",  "vita",
                                              "v6r-small", "v6r-medium", "v6r-large", "custom"};
    return ids;
}

Result<WorkloadProfile> WorkloadProfile::forPlatform(std::string_view platform, std::uint64_t totalOverride)
{
    const auto& ids = platforms();
    if (std::ranges::find(ids, platform) == ids.end())
        return makeError(MemoryErrorCode::UnsupportedPlatform,
                         "unknown platform '" + std::string(platform)
                             + "' (dreamcast, psp, psp-1000, vita, v6r-small, v6r-medium, v6r-large, custom)");
    const PlatformProfile* known = PlatformCatalog::builtin().find(platform);
    std::uint64_t total = known ? known->totalBytes : 0;
    if (totalOverride != 0)
        total = totalOverride;
    if (total == 0)
        total = 256ull << 20; // custom without a total
    if (total < (1ull << 20))
        return makeError(MemoryErrorCode::InvalidSize, "total below 1 MiB is too small for a workload");

    const std::string name = known ? known->name : std::string(platform);
    WorkloadProfile p;
    if (platform.starts_with("v6r")) {
        p = vmProfile(std::string(platform), name + " VM running a build");
    } else if (platform == "custom") {
        p = vmProfile(std::string(platform), "custom runtime");
        p.sessionId = "session-1";
        p.mix = {
            {StandardPurpose::VmHeap, 20, 1.0},         {StandardPurpose::ComponentStack, 8, 0.5},
            {StandardPurpose::AssetCache, 20, 2.0},     {StandardPurpose::JitCodeCache, 6, 1.0},
            {StandardPurpose::WasmLinear, 12, 1.5},     {StandardPurpose::NetworkBuffers, 10, 0.5},
            {StandardPurpose::Temporary, 24, 0.25},
        };
        p.markers = {"boot", "init done", "level 1 loaded", "build started", "level 2 loaded", "peak load",
                     "peak load", "level 2 unloaded", "build started", "stress test", "stress test",
                     "cooldown", "shutdown requested"};
        p.leakShare = 0.03;
        p.vmHeapRetention = 0.3;
    } else {
        p = consoleProfile(std::string(platform), name + " title streaming assets");
    }
    p.totalBytes = total;
    return p;
}

double WorkloadProfile::targetShare(double progress) const
{
    progress = std::clamp(progress, 0.0, 1.0);
    if (curve.empty())
        return 0.5;
    if (progress <= curve.front().progress)
        return curve.front().usedShare;
    for (std::size_t i = 1; i < curve.size(); ++i) {
        if (progress <= curve[i].progress) {
            const UsagePoint& a = curve[i - 1];
            const UsagePoint& b = curve[i];
            const double f = (progress - a.progress) / (b.progress - a.progress);
            return a.usedShare + f * (b.usedShare - a.usedShare);
        }
    }
    return curve.back().usedShare;
}

} // namespace flight::generator
