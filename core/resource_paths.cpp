// SPDX-License-Identifier: MIT
#include "resource_paths.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace flight {
namespace fs = std::filesystem;

std::string resourcesDir(const std::string& executableDir)
{
    std::vector<fs::path> candidates;
    if (const char* env = std::getenv("FLIGHT_RESOURCES_DIR"); env && *env)
        candidates.emplace_back(env);
    // Installed: <prefix>/bin/flight-inspector -> <prefix>/share/flight-inspector.
    candidates.push_back(fs::path(executableDir) / ".." / "share" / "flight-inspector");
    // A build tree: the sources it was built from.
    candidates.emplace_back(FLIGHT_SOURCE_RESOURCES_DIR);
    for (const auto& c : candidates) {
        std::error_code ec;
        if (fs::is_directory(c / "recordings", ec))
            return fs::weakly_canonical(c, ec).string();
    }
    return {};
}

std::vector<std::string> exampleRecordings(const std::string& executableDir)
{
    std::vector<std::string> out;
    const std::string dir = resourcesDir(executableDir);
    if (dir.empty())
        return out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(fs::path(dir) / "recordings", ec)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && (name.ends_with(".jsonl") || name.ends_with(".jsonl.zst")))
            out.push_back(entry.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace flight
