// SPDX-License-Identifier: MIT
#include "scratch_files.h"

#include <atomic>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>

#include <unistd.h>

namespace flight::test {
namespace {

// The per-prefix directories of scratchPath, removed at exit: a test process
// leaves nothing behind in the temp directory.
class ScratchRegistry {
public:
    std::filesystem::path directory(std::string_view prefix)
    {
        const auto dir = std::filesystem::temp_directory_path()
            / (std::string(prefix) + "-" + std::to_string(::getpid()));
        std::lock_guard lock(m_mutex);
        if (m_dirs.insert(dir).second)
            std::filesystem::create_directories(dir);
        return dir;
    }
    ~ScratchRegistry()
    {
        for (const auto& dir : m_dirs) {
            std::error_code ec;
            std::filesystem::remove_all(dir, ec);
        }
    }

private:
    std::mutex m_mutex;
    std::set<std::filesystem::path> m_dirs;
};

ScratchRegistry& registry()
{
    static ScratchRegistry r;
    return r;
}

} // namespace

std::filesystem::path scratchPath(std::string_view prefix, std::string_view name)
{
    const auto dir = registry().directory(prefix);
    std::filesystem::create_directories(dir); // again, should a test have removed it
    return dir / name;
}

ScratchDir::ScratchDir(std::string_view prefix)
{
    static std::atomic<int> next{0};
    m_path = std::filesystem::temp_directory_path()
        / (std::string(prefix) + "-" + std::to_string(::getpid()) + "-" + std::to_string(next++));
    std::filesystem::create_directories(m_path);
}

ScratchDir::~ScratchDir()
{
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

bool writeFile(const std::filesystem::path& path, std::string_view bytes)
{
    std::error_code ec;
    if (path.has_parent_path())
        std::filesystem::create_directories(path.parent_path(), ec);
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    f.close();
    return !f.fail();
}

std::string readFile(const std::filesystem::path& path)
{
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

} // namespace flight::test
