// SPDX-License-Identifier: MIT
#include "input_loading.h"

#include "command_output.h"

#include "import/native_recording.h"
#include "protocol/recording_content.h"

#include <QFileInfo>

#include <cstdio>

namespace flight::app {

void addRulesOption(QCommandLineParser& parser)
{
    parser.addOption({QStringLiteral("rules"),
                      QStringLiteral("Purpose rules for heaptrack and massif files (see docs/native-programs.md)."),
                      QStringLiteral("FILE")});
}

QString rulesFile(const QCommandLineParser& parser)
{
    return parser.value(QStringLiteral("rules"));
}

Result<LoadedInputs> loadInputs(const QStringList& files, const char* command, const QString& rulesFile)
{
    LoadedInputs in;
    import::PurposeRules rules;
    if (!rulesFile.isEmpty()) {
        auto parsed = import::PurposeRules::readFile(rulesFile.toStdString());
        if (!parsed)
            return std::unexpected(parsed.error());
        rules = std::move(*parsed);
    }
    for (const QString& file : files) {
        auto store = std::make_unique<protocol::SessionStore>();
        import::ImportSummary imported;
        const auto read = import::loadAnyRecording(QFileInfo(file).absoluteFilePath().toStdString(), *store, rules, {},
                                                   &imported);
        if (read.ioError && read.lines == 0) {
            return makeError(MemoryErrorCode::IoError,
                             QStringLiteral("cannot read %1: %2").arg(file, QString::fromStdString(read.ioError->message)).toStdString());
        }
        // A file with no Flight content at all (a README, a log): refused as a whole,
        // not reported as a recording of N bad lines and no session.
        if (const auto reason = protocol::notARecordingReason(read, *store)) {
            return makeError(MemoryErrorCode::MalformedInput,
                             QStringLiteral("%1 is not a Flight recording %2").arg(file, QString::fromStdString(*reason)).toStdString());
        }
        // An imported heaptrack or massif file: what was read and the rules' coverage.
        if (imported.kind != protocol::RecordingKind::Flight)
            std::fprintf(stderr, "flight-inspector %s: %s: %s\n", command, printable(file).constData(),
                         printable(imported.text).constData());
        if (read.ioError)
            std::fprintf(stderr, "flight-inspector %s: %s: %s (kept what was read before)\n", command,
                         printable(file).constData(), printable(read.ioError->message).constData());
        // A compressed recording cut short (its recorder killed, the disk full):
        // say where. (A plain one cut mid-line shows as that line's decode error.)
        for (const protocol::ReadProblem& p : read.problems)
            if (p.kind == protocol::ReadProblemKind::CompressedCut)
                std::fprintf(stderr, "flight-inspector %s: %s: %s\n", command, printable(file).constData(),
                             printable(p.message).constData());
        in.sources.push_back({file.toStdString(), store.get()});
        in.stores.push_back(std::move(store));
    }
    return in;
}

} // namespace flight::app
