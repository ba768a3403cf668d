// SPDX-License-Identifier: MIT
#pragma once
// Loading the recordings named on a headless command line, shared by the
// subcommands so they read inputs and report unreadable ones the same way.

#include "protocol/session_store.h"
#include "protocol/summary_json.h"

#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace flight::app {

struct LoadedInputs {
    std::vector<std::unique_ptr<protocol::SessionStore>> stores;
    std::vector<protocol::SummarySource> sources; // name + store, same order
};

// Reads every file; on one that cannot be read at all, or that holds no Flight
// content (protocol/recording_content.h), returns nullopt with the reason in
// *error ("cannot read FILE: why", "FILE is not a Flight recording (...)").
// Partial reads warn on stderr.
std::optional<LoadedInputs> loadInputs(const QStringList& files, const char* command, QString* error);

} // namespace flight::app
