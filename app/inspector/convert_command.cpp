// SPDX-License-Identifier: MIT
#include "convert_command.h"

#include "headless_command.h"

#include "recording/convert_recording.h"

#include <QFileInfo>

#include <cstdio>

namespace flight::app {

namespace {
const char* const kDescription =
    "Convert a recording between JSON Lines and format 2, losslessly.\n"
    "IN may be JSON Lines (plain or zstd) or format 2 (.fmr): its bytes tell.\n"
    "OUT's name gives the format written: .fmr format 2, .jsonl.zst (.zst)\n"
    "zstd JSON Lines, anything else plain JSON Lines. Every line is kept\n"
    "(lines not in canonical form as they are), so converting back gives IN\n"
    "again; only the header's format name changes.\n\n"
    "Exit codes: 0 written, 2 IN cannot be read or OUT cannot be written.";
} // namespace

int convertMain(int argc, char** argv)
{
    HeadlessCommand command(argc, argv, "convert", QString::fromLatin1(kDescription));
    command.parser().addPositionalArgument(QStringLiteral("in"), QStringLiteral("The recording to read."),
                                           QStringLiteral("IN"));
    command.parser().addPositionalArgument(QStringLiteral("out"),
                                           QStringLiteral("The recording to write (.fmr, .jsonl or .jsonl.zst)."),
                                           QStringLiteral("OUT"));
    const QStringList args = command.parse();
    if (args.size() != 2)
        return command.fail(QStringLiteral("give an input and an output: flight-inspector convert IN OUT"));
    if (QFileInfo(args[0]).absoluteFilePath() == QFileInfo(args[1]).absoluteFilePath())
        return command.fail(QStringLiteral("IN and OUT are the same file"));
    const std::string out = args[1].toStdString();
    const auto r = recording::convertRecording(args[0].toStdString(), out, recording::outputFormatFor(out));
    if (!r)
        return command.fail(r.error());
    for (const auto& note : r->notes)
        command.warn(QString::fromStdString(note));
    return 0;
}

} // namespace flight::app
