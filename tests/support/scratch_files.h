// SPDX-License-Identifier: MIT
#pragma once
// Real files for tests: scratch directories under the system temp directory
// (TMPDIR when set) that are removed again, and whole-file read/write in
// binary mode.

#include <filesystem>
#include <string>
#include <string_view>

namespace flight::test {

// `<temp>/<prefix>-<pid>/<name>`; the directory is created on first use, once
// per prefix, so parallel test processes never share files, and removed with
// everything in it when the process exits (also after failed tests).
std::filesystem::path scratchPath(std::string_view prefix, std::string_view name);

// A directory of its own for one test, `<temp>/<prefix>-<pid>-<n>`, removed
// with everything in it when it goes out of scope (an ASSERT returning early
// included).
class ScratchDir {
public:
    explicit ScratchDir(std::string_view prefix);
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(std::string_view name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

// Writes `bytes` as the whole file (its folder made if missing); false when it
// cannot be written in full.
bool writeFile(const std::filesystem::path& path, std::string_view bytes);
std::string readFile(const std::filesystem::path& path);

} // namespace flight::test
