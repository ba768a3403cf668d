// SPDX-License-Identifier: MIT
#pragma once
// Loading the recordings named on a headless command line, shared by the
// subcommands so they read inputs and report unreadable ones the same way.

#include "model/memory_error.h"
#include "protocol/session_store.h"
#include "protocol/summary_json.h"

#include <QCommandLineParser>
#include <QStringList>

#include <memory>
#include <vector>

namespace flight::app {

struct LoadedInputs {
    std::vector<std::unique_ptr<protocol::SessionStore>> stores;
    std::vector<protocol::SummarySource> sources; // name + store, same order
};

// Reads every file; on one that cannot be read at all (IoError: "cannot read
// FILE: why"), or that holds no Flight content (MalformedInput: "FILE is not
// a Flight recording (...)", protocol/recording_content.h), fails with that
// reason. Partial reads warn on stderr ("flight-inspector COMMAND: ...").
// rulesFile: purpose rules for heaptrack and massif inputs (import/purpose_rules.h);
// a rules file that cannot be read or parsed fails the whole command.
Result<LoadedInputs> loadInputs(const QStringList& files, const char* command, const QString& rulesFile = {});

// --rules FILE, the purpose rules every command that reads heaptrack and
// massif files takes, and its value (empty when not given).
void addRulesOption(QCommandLineParser& parser);
QString rulesFile(const QCommandLineParser& parser);

} // namespace flight::app
