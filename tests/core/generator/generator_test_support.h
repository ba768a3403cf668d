// SPDX-License-Identifier: MIT
#pragma once
// Helpers shared by the generator tests: a per-process temp dir (removed at
// exit), whole-file reads, and loading a recording into a SessionStore.

#include "protocol/session_store.h"
#include "scratch_files.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

namespace flight::generator::test {

// Removed with its directory when the test process exits (scratch_files.h).
inline std::filesystem::path tempPath(const std::string& name)
{
    return flight::test::scratchPath("flight-gen-test", name);
}

using flight::test::readFile;

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
