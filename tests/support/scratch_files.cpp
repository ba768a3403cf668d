// SPDX-License-Identifier: MIT
#include "scratch_files.h"

#include <fstream>
#include <iterator>

#include <unistd.h>

namespace flight::test {

std::filesystem::path scratchPath(std::string_view prefix, std::string_view name)
{
    const auto dir = std::filesystem::temp_directory_path()
        / (std::string(prefix) + "-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir / name;
}

void writeFile(const std::filesystem::path& path, std::string_view bytes)
{
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string readFile(const std::filesystem::path& path)
{
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

} // namespace flight::test
