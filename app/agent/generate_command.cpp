// SPDX-License-Identifier: MIT
#include "generate_command.h"

#include "option_cursor.h"

#include "generator/workload_generator.h"
#include "generator/workload_recording.h"
#include "model/memory_size.h"

#include <QCommandLineParser>
#include <QFileInfo>

#include <cstdio>
#include <limits>
#include <optional>

namespace flight::agent {

namespace {

void printErr(const QString& text) { std::fprintf(stderr, "flight-agent generate: %s\n", qPrintable(text)); }

std::optional<std::uint64_t> parseCount(const QString& text, std::uint64_t max)
{
    bool ok = false;
    const qulonglong v = text.trimmed().toULongLong(&ok, 10);
    if (!ok || v > max)
        return std::nullopt;
    return v;
}

QString platformList()
{
    QStringList ids;
    for (const auto& p : generator::WorkloadProfile::platforms())
        ids << QString::fromStdString(p);
    return ids.join(QStringLiteral(", "));
}

const char* const kDescription =
    "Write a deterministic synthetic session of one platform as a flight-memory recording:\n"
    "allocations, frees, memory_update snapshots, markers and limits, with used/total crossing\n"
    "every pressure level and coming back down. Same platform, events and seed: same bytes.\n"
    "A FILE ending in .zst is written zstd-compressed.\n"
    "Exit codes: 0 written, 2 bad usage or the file could not be written.";

// generate's command line: the parser and its options.
struct GenerateParser {
    QCommandLineParser parser;
    const QCommandLineOption help{{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help and exit.")};
    const QCommandLineOption platform{{QStringLiteral("p"), QStringLiteral("platform")},
                                      QStringLiteral("Platform profile: %1.").arg(platformList()), QStringLiteral("P")};
    const QCommandLineOption events{{QStringLiteral("n"), QStringLiteral("events")},
                                    QStringLiteral("Messages to write after the header (at least %1).")
                                        .arg(generator::kMinWorkloadEvents),
                                    QStringLiteral("N")};
    const QCommandLineOption seed{{QStringLiteral("s"), QStringLiteral("seed")}, QStringLiteral("Random seed (default 1)."),
                                  QStringLiteral("S"), QStringLiteral("1")};
    const QCommandLineOption output{{QStringLiteral("o"), QStringLiteral("output")},
                                    QStringLiteral("Recording to write (.fmr format 2, .jsonl or .jsonl.zst)."), QStringLiteral("FILE")};
    const QCommandLineOption total{QStringLiteral("total"),
                                   QStringLiteral("Session total instead of the platform's, e.g. 3GB "
                                                  "(custom defaults to 256MB)."),
                                   QStringLiteral("SIZE")};
    const QCommandLineOption live{QStringLiteral("typical-live"),
                                  QStringLiteral("Allocations live at a time around 60 % used (default: by platform)."),
                                  QStringLiteral("N")};
    const QCommandLineOption leaked{QStringLiteral("leaked"), QStringLiteral("Allocations never freed (default: by platform)."),
                                    QStringLiteral("N")};
    const QCommandLineOption level{QStringLiteral("zstd-level"), QStringLiteral("zstd compression level 1..22 (default 19)."),
                                   QStringLiteral("L"), QStringLiteral("19")};
    const QCommandLineOption quiet{{QStringLiteral("q"), QStringLiteral("quiet")}, QStringLiteral("Print nothing on success.")};

    GenerateParser()
    {
        parser.setApplicationDescription(QString::fromLatin1(kDescription));
        parser.addPositionalArgument(QStringLiteral("generate"), QStringLiteral("The subcommand."));
        parser.addOptions({help, platform, events, seed, output, total, live, leaked, level, quiet});
    }
};

struct GenerateOptions {
    generator::WorkloadOptions workload;
    generator::WorkloadRecordingOptions recording;
    QString output;
    bool quiet = false;
};

// The options once parsed (help and parse errors handled by the caller).
Result<GenerateOptions> readOptions(const GenerateParser& p)
{
    const QCommandLineParser& parser = p.parser;
    if (parser.positionalArguments().size() > 1)
        return badArgument(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().at(1)));
    for (const auto* required : {&p.platform, &p.events, &p.output})
        if (!parser.isSet(*required))
            return badArgument(QStringLiteral("--%1 is required (see --help)").arg(required->names().constLast()));

    GenerateOptions o;
    generator::WorkloadOptions& w = o.workload;
    w.platform = parser.value(p.platform).toStdString();
    const auto events = parseCount(parser.value(p.events), std::numeric_limits<std::uint64_t>::max());
    if (!events || *events < generator::kMinWorkloadEvents)
        return badArgument(QStringLiteral("--events must be a whole number, at least %1: '%2'")
                               .arg(generator::kMinWorkloadEvents)
                               .arg(parser.value(p.events)));
    w.events = *events;
    const auto seed = parseCount(parser.value(p.seed), std::numeric_limits<std::uint64_t>::max());
    if (!seed)
        return badArgument(QStringLiteral("--seed must be a whole number 0..2^64-1: '%1'").arg(parser.value(p.seed)));
    w.seed = *seed;
    if (parser.isSet(p.total)) {
        auto total = MemorySize::parse(parser.value(p.total).toStdString());
        if (!total || total->bytes == 0)
            return badArgument(QStringLiteral("--total: %1").arg(
                total ? QStringLiteral("must be above 0") : QString::fromStdString(total.error().message)));
        w.totalBytes = total->bytes;
    }
    if (parser.isSet(p.live)) {
        const auto live = parseCount(parser.value(p.live), 100'000'000);
        if (!live || *live == 0)
            return badArgument(QStringLiteral("--typical-live must be 1..100000000: '%1'").arg(parser.value(p.live)));
        w.typicalLiveAllocations = static_cast<std::size_t>(*live);
    }
    if (parser.isSet(p.leaked)) {
        const auto leaked = parseCount(parser.value(p.leaked), std::numeric_limits<std::uint64_t>::max());
        if (!leaked)
            return badArgument(QStringLiteral("--leaked must be a whole number: '%1'").arg(parser.value(p.leaked)));
        w.leakedAllocations = *leaked;
    }
    o.output = parser.value(p.output);
    o.recording.compress = o.output.endsWith(QStringLiteral(".zst"), Qt::CaseInsensitive);
    // Format 2 unless the name asks for JSON Lines (.jsonl, .zst).
    o.recording.compact = !o.recording.compress && !o.output.endsWith(QStringLiteral(".jsonl"), Qt::CaseInsensitive);
    const auto level = parseCount(parser.value(p.level), 22);
    if (!level || *level == 0)
        return badArgument(QStringLiteral("--zstd-level must be 1..22: '%1'").arg(parser.value(p.level)));
    o.recording.compressionLevel = static_cast<int>(*level);
    o.quiet = parser.isSet(p.quiet);
    return o;
}

void printSummary(const GenerateOptions& o, const generator::WorkloadRecordingResult& written)
{
    const auto& c = written.counts;
    std::printf("%s: %llu events (%llu allocations, %llu frees, %llu updates, %llu markers, %llu leaked), "
                "%lld s of session, %zu live at end, %lld bytes%s\n",
                qPrintable(o.output), static_cast<unsigned long long>(written.messages),
                static_cast<unsigned long long>(c.allocations), static_cast<unsigned long long>(c.frees),
                static_cast<unsigned long long>(c.updates), static_cast<unsigned long long>(c.markers),
                static_cast<unsigned long long>(c.leaked),
                static_cast<long long>((written.lastMs - written.firstMs) / 1000), written.liveAtEnd,
                static_cast<long long>(QFileInfo(o.output).size()),
                o.recording.compact ? " (format 2)" : o.recording.compress ? " (zstd)" : "");
}

} // namespace

int generateMain(const QStringList& args)
{
    GenerateParser p;
    if (!p.parser.parse(args)) {
        printErr(p.parser.errorText());
        printErr(QStringLiteral("see flight-agent generate --help"));
        return 2;
    }
    if (p.parser.isSet(p.help)) {
        std::fputs(qPrintable(p.parser.helpText().replace(QStringLiteral("[options] generate"),
                                                          QStringLiteral("generate [options]"))),
                   stdout);
        return 0;
    }
    const auto options = readOptions(p);
    if (!options) {
        printErr(QString::fromStdString(options.error().message));
        return 2;
    }
    auto generator = generator::WorkloadGenerator::create(options->workload);
    if (!generator) {
        printErr(QString::fromStdString(generator.error().message));
        return 2;
    }
    auto written = generator::writeWorkloadRecording(*generator, options->output.toStdString(), options->recording);
    if (!written) {
        printErr(QStringLiteral("%1: %2").arg(options->output, QString::fromStdString(written.error().message)));
        if (!written.error().details.empty())
            printErr(QString::fromStdString(written.error().details));
        return 2;
    }
    if (!options->quiet)
        printSummary(*options, *written);
    return 0;
}

} // namespace flight::agent
