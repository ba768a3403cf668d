// SPDX-License-Identifier: MIT
#pragma once
// Helpers shared by the generator tests: loading a recording into a
// SessionStore, and scratch_files.h's scratch paths and whole-file reads.

#include "scratch_files.h"

#include "protocol/session_store.h"

#include <filesystem>
#include <memory>
#include <string>

namespace flight::generator::test {

using flight::test::readFile;
using flight::test::scratchPath;

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
