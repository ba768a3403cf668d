// SPDX-License-Identifier: MIT
#pragma once
// Real files for tests: a per-process scratch directory under the system temp
// directory, and whole-file read/write in binary mode.

#include <filesystem>
#include <string>
#include <string_view>

namespace flight::test {

// `<temp>/<prefix>-<pid>/<name>`; the directory is created on first use, once
// per prefix, so parallel test processes never share files.
std::filesystem::path scratchPath(std::string_view prefix, std::string_view name);

void writeFile(const std::filesystem::path& path, std::string_view bytes);
std::string readFile(const std::filesystem::path& path);

} // namespace flight::test
