// SPDX-License-Identifier: MIT
#pragma once
// Helpers shared by the generator tests: a per-process temp dir (removed at
// exit), whole-file reads, and loading a recording into a SessionStore.

#include "protocol/session_store.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include <unistd.h>

namespace flight::generator::test {

inline std::filesystem::path tempPath(const std::string& name)
{
    static const std::filesystem::path dir = [] {
        auto p = std::filesystem::temp_directory_path() / ("flight-gen-test-" + std::to_string(::getpid()));
        std::filesystem::create_directories(p);
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(
                std::filesystem::temp_directory_path() / ("flight-gen-test-" + std::to_string(::getpid())), ec);
        });
        return p;
    }();
    return dir / name;
}

inline std::string readFile(const std::filesystem::path& p)
{
    std::ifstream f(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

struct Loaded {
    std::unique_ptr<protocol::SessionStore> store = std::make_unique<protocol::SessionStore>();
    protocol::RecordingReadResult read;
};

inline Loaded load(const std::filesystem::path& p)
{
    Loaded l;
    l.read = protocol::loadRecording(p.string(), *l.store);
    return l;
}

} // namespace flight::generator::test
