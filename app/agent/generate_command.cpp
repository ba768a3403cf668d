// SPDX-License-Identifier: MIT
#include "generate_command.h"

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

} // namespace

int generateMain(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Write a deterministic synthetic session of one platform as a flight-memory recording:\n"
        "allocations, frees, memory_update snapshots, markers and limits, with used/total crossing\n"
        "every pressure level and coming back down. Same platform, events and seed: same bytes.\n"
        "A FILE ending in .zst is written zstd-compressed.\n"
        "Exit codes: 0 written, 2 bad usage or the file could not be written."));
    parser.addPositionalArgument(QStringLiteral("generate"), QStringLiteral("The subcommand."));
    const QCommandLineOption helpOption({QStringLiteral("h"), QStringLiteral("help")},
                                        QStringLiteral("Show this help and exit."));
    const QCommandLineOption platformOption({QStringLiteral("p"), QStringLiteral("platform")},
                                            QStringLiteral("Platform profile: %1.").arg(platformList()),
                                            QStringLiteral("P"));
    const QCommandLineOption eventsOption({QStringLiteral("n"), QStringLiteral("events")},
                                          QStringLiteral("Messages to write after the header (at least %1).")
                                              .arg(generator::kMinWorkloadEvents),
                                          QStringLiteral("N"));
    const QCommandLineOption seedOption({QStringLiteral("s"), QStringLiteral("seed")},
                                        QStringLiteral("Random seed (default 1)."), QStringLiteral("S"),
                                        QStringLiteral("1"));
    const QCommandLineOption outputOption({QStringLiteral("o"), QStringLiteral("output")},
                                          QStringLiteral("Recording to write (.jsonl or .jsonl.zst)."),
                                          QStringLiteral("FILE"));
    const QCommandLineOption totalOption(QStringLiteral("total"),
                                         QStringLiteral("Session total instead of the platform's, e.g. 3GB "
                                                        "(custom defaults to 256MB)."),
                                         QStringLiteral("SIZE"));
    const QCommandLineOption liveOption(QStringLiteral("typical-live"),
                                        QStringLiteral("Allocations live at a time around 60 % used "
                                                       "(default: by platform)."),
                                        QStringLiteral("N"));
    const QCommandLineOption leakOption(QStringLiteral("leaked"),
                                        QStringLiteral("Allocations never freed (default: by platform)."),
                                        QStringLiteral("N"));
    const QCommandLineOption levelOption(QStringLiteral("zstd-level"),
                                         QStringLiteral("zstd compression level 1..22 (default 19)."),
                                         QStringLiteral("L"), QStringLiteral("19"));
    const QCommandLineOption quietOption({QStringLiteral("q"), QStringLiteral("quiet")},
                                         QStringLiteral("Print nothing on success."));
    parser.addOptions({helpOption, platformOption, eventsOption, seedOption, outputOption, totalOption, liveOption,
                       leakOption, levelOption, quietOption});

    if (!parser.parse(args)) {
        printErr(parser.errorText());
        printErr(QStringLiteral("see flight-agent generate --help"));
        return 2;
    }
    if (parser.isSet(helpOption)) {
        std::fputs(qPrintable(parser.helpText().replace(QStringLiteral("[options] generate"),
                                                        QStringLiteral("generate [options]"))),
                   stdout);
        return 0;
    }
    if (parser.positionalArguments().size() > 1) {
        printErr(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().at(1)));
        return 2;
    }
    for (const auto* required : {&platformOption, &eventsOption, &outputOption}) {
        if (!parser.isSet(*required)) {
            printErr(QStringLiteral("--%1 is required (see --help)").arg(required->names().constLast()));
            return 2;
        }
    }

    generator::WorkloadOptions options;
    options.platform = parser.value(platformOption).toStdString();
    const auto events = parseCount(parser.value(eventsOption), std::numeric_limits<std::uint64_t>::max());
    if (!events || *events < generator::kMinWorkloadEvents) {
        printErr(QStringLiteral("--events must be a whole number, at least %1: '%2'")
                     .arg(generator::kMinWorkloadEvents)
                     .arg(parser.value(eventsOption)));
        return 2;
    }
    options.events = *events;
    const auto seed = parseCount(parser.value(seedOption), std::numeric_limits<std::uint64_t>::max());
    if (!seed) {
        printErr(QStringLiteral("--seed must be a whole number 0..2^64-1: '%1'").arg(parser.value(seedOption)));
        return 2;
    }
    options.seed = *seed;
    if (parser.isSet(totalOption)) {
        auto total = MemorySize::parse(parser.value(totalOption).toStdString());
        if (!total || total->bytes == 0) {
            printErr(QStringLiteral("--total: %1").arg(
                total ? QStringLiteral("must be above 0") : QString::fromStdString(total.error().message)));
            return 2;
        }
        options.totalBytes = total->bytes;
    }
    if (parser.isSet(liveOption)) {
        const auto live = parseCount(parser.value(liveOption), 100'000'000);
        if (!live || *live == 0) {
            printErr(QStringLiteral("--typical-live must be 1..100000000: '%1'").arg(parser.value(liveOption)));
            return 2;
        }
        options.typicalLiveAllocations = static_cast<std::size_t>(*live);
    }
    if (parser.isSet(leakOption)) {
        const auto leaked = parseCount(parser.value(leakOption), std::numeric_limits<std::uint64_t>::max());
        if (!leaked) {
            printErr(QStringLiteral("--leaked must be a whole number: '%1'").arg(parser.value(leakOption)));
            return 2;
        }
        options.leakedAllocations = *leaked;
    }
    generator::WorkloadRecordingOptions recording;
    const QString output = parser.value(outputOption);
    recording.compress = output.endsWith(QStringLiteral(".zst"), Qt::CaseInsensitive);
    const auto level = parseCount(parser.value(levelOption), 22);
    if (!level || *level == 0) {
        printErr(QStringLiteral("--zstd-level must be 1..22: '%1'").arg(parser.value(levelOption)));
        return 2;
    }
    recording.compressionLevel = static_cast<int>(*level);

    auto generator = generator::WorkloadGenerator::create(options);
    if (!generator) {
        printErr(QString::fromStdString(generator.error().message));
        return 2;
    }
    auto written = generator::writeWorkloadRecording(*generator, output.toStdString(), recording);
    if (!written) {
        printErr(QStringLiteral("%1: %2").arg(output, QString::fromStdString(written.error().message)));
        if (!written.error().details.empty())
            printErr(QString::fromStdString(written.error().details));
        return 2;
    }
    if (!parser.isSet(quietOption)) {
        const auto& c = written->counts;
        std::printf("%s: %llu events (%llu allocations, %llu frees, %llu updates, %llu markers, %llu leaked), "
                    "%lld s of session, %zu live at end, %lld bytes%s\n",
                    qPrintable(output), static_cast<unsigned long long>(written->messages),
                    static_cast<unsigned long long>(c.allocations), static_cast<unsigned long long>(c.frees),
                    static_cast<unsigned long long>(c.updates), static_cast<unsigned long long>(c.markers),
                    static_cast<unsigned long long>(c.leaked),
                    static_cast<long long>((written->lastMs - written->firstMs) / 1000), written->liveAtEnd,
                    static_cast<long long>(QFileInfo(output).size()), recording.compress ? " (zstd)" : "");
    }
    return 0;
}

} // namespace flight::agent
