// SPDX-License-Identifier: MIT
#include "capture_command.h"

#include "command_output.h"
#include "headless_command.h"
#include "stop_signals.h"

#include "live/client/live_session.h"
#include "live/client/redact_url.h"
#include "live/common/token_file.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace flight::app {
namespace {

const char* const kDescription =
    "Record a live session to a file without a display.\n"
    "Connects to URL (ws:// or wss://), reconnects by itself (1 s doubling to 30 s),\n"
    "records every message as it arrives, and stops after --duration seconds or on\n"
    "SIGINT/SIGTERM; the file is then flushed and closed and always loads.\n"
    "A bearer token is read from --token-file; it is never printed or recorded,\n"
    "and credentials in URL (user info, query) are removed from what is shown.\n"
    "FILE is written as a new file next to it (.FILE.partial-*) and moved onto\n"
    "FILE when the first message arrives: a run that receives nothing leaves an\n"
    "existing FILE untouched; a symlink at FILE is replaced, never written through.\n\n"
    "Exit codes: 0 the capture ran and was connected at least once,\n"
    "            2 wrong arguments, an unreadable token or certificate file,\n"
    "              or FILE cannot be written (at the start, or later: disk full,\n"
    "              file size limit; capture then stops at once),\n"
    "            3 never connected for the whole run, or a final connection error\n"
    "              (token refused, TLS certificate not trusted); FILE is still a\n"
    "              valid recording of whatever arrived.";

void addOptions(QCommandLineParser& parser)
{
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("The recording to write (.fmr format 2; .jsonl, .zst: JSON Lines)."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("format"),
                      QStringLiteral("fmr (format 2) or jsonl; default: jsonl when FILE ends in .jsonl or .zst, "
                                     "else fmr."),
                      QStringLiteral("FORMAT")});
    parser.addOption({QStringLiteral("duration"), QStringLiteral("Stop after S seconds (default: until a signal)."),
                      QStringLiteral("S")});
    parser.addOption({QStringLiteral("token-file"),
                      QStringLiteral("Send the token in F as \"Authorization: Bearer\" on the handshake."),
                      QStringLiteral("F")});
    parser.addOption({QStringLiteral("trust-cert"),
                      QStringLiteral("Trust the certificate(s) in PEM for this connection (self-signed wss)."),
                      QStringLiteral("PEM")});
    parser.addOption({QStringLiteral("compress"),
                      QStringLiteral("zstd-compress a JSON Lines recording (implies --format jsonl).")});
    parser.addPositionalArgument(QStringLiteral("url"), QStringLiteral("ws:// or wss:// URL of the producer."),
                                 QStringLiteral("URL"));
}

struct CaptureOptions {
    live::LiveSessionOptions session;
    QString path;               // absolute
    bool targetExisted = false; // a file (or symlink) was at path before
    std::optional<double> durationSeconds;
};

Result<CaptureOptions> readOptions(const QCommandLineParser& parser, const QStringList& args)
{
    if (args.size() != 1)
        return badArgument(QStringLiteral("give exactly one URL: flight-inspector capture URL -o FILE"));
    const QUrl url(args.first(), QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || (scheme != QStringLiteral("ws") && scheme != QStringLiteral("wss")))
        return badArgument(QStringLiteral("%1 is not a ws:// or wss:// URL").arg(live::redactUrl(url)));
    const QString output = parser.value(QStringLiteral("output"));
    if (output.isEmpty())
        return badArgument(QStringLiteral("no output file: -o FILE"));
    CaptureOptions o;
    if (parser.isSet(QStringLiteral("duration"))) {
        bool ok = false;
        const double s = parser.value(QStringLiteral("duration")).toDouble(&ok);
        if (!ok || !(s > 0) || s > 1e7)
            return badArgument(QStringLiteral("--duration wants a number of seconds above 0"));
        o.durationSeconds = s;
    }
    o.session.connection.url = url;
    if (parser.isSet(QStringLiteral("token-file"))) {
        auto token = live::readTokenFile(parser.value(QStringLiteral("token-file")));
        if (!token)
            return std::unexpected(token.error());
        o.session.connection.bearerToken = *token;
    }
    if (parser.isSet(QStringLiteral("trust-cert"))) {
        auto certs = live::loadPemCertificates(parser.value(QStringLiteral("trust-cert")));
        if (!certs)
            return std::unexpected(certs.error());
        o.session.connection.trustedCertificates = *certs;
    }
    o.path = QFileInfo(output).absoluteFilePath();
    o.targetExisted = QFileInfo(o.path).exists() || QFileInfo(o.path).isSymLink();
    o.session.recordingPath = o.path.toStdString();
    o.session.compressRecording = parser.isSet(QStringLiteral("compress")) || o.path.endsWith(QStringLiteral(".zst"));
    const QString format = parser.value(QStringLiteral("format"));
    if (!format.isEmpty() && format != QStringLiteral("fmr") && format != QStringLiteral("jsonl"))
        return badArgument(QStringLiteral("--format wants fmr or jsonl"));
    if (format == QStringLiteral("fmr") && parser.isSet(QStringLiteral("compress")))
        return badArgument(QStringLiteral("--compress is for JSON Lines (format 2 is always compressed)"));
    const bool jsonl = format == QStringLiteral("jsonl")
                       || (format.isEmpty() && (o.session.compressRecording || o.path.endsWith(QStringLiteral(".jsonl"))));
    o.session.recordingFormat = jsonl ? protocol::RecordingFormat::Jsonl : protocol::RecordingFormat::Compact;
    if (!jsonl)
        o.session.compressRecording = false;
    o.session.publishInterval = std::chrono::milliseconds(250);
    return o;
}

// How the capture ended, besides the session's figures.
struct CaptureEnd {
    live::LiveSnapshot last;
    bool stoppedBySignal = false;
    bool finalError = false;      // a connection error that ends retrying (token refused, TLS)
    bool recordingFailed = false; // a write failed: capture stopped at once
};

// Runs the event loop until the duration passes, a signal, a final connection
// error or a failed write; returns the session's last figures (the file closed).
Result<CaptureEnd> runCapture(const CaptureOptions& options)
{
    StopSignals stopSignals;
    if (!stopSignals.install())
        return makeError(MemoryErrorCode::IoError, "cannot install the signal handlers");
    QSocketNotifier notifier(stopSignals.readFd(), QSocketNotifier::Read);
    CaptureEnd end;
    QObject::connect(&notifier, &QSocketNotifier::activated, qApp, [&] {
        stopSignals.acknowledge();
        end.stoppedBySignal = true;
        QCoreApplication::quit();
    });

    // A file size limit (RLIMIT_FSIZE) must end in a clear error, not SIGXFSZ's
    // silent kill: ignored, the write fails with EFBIG like a full disk's ENOSPC.
    std::signal(SIGXFSZ, SIG_IGN);

    live::LiveSession session(options.session);
    QObject::connect(&session, &live::LiveSession::recordingFailed, qApp, [&](const QString& message) {
        // Recording is all capture is for: say so now and stop (the file keeps
        // everything up to the failed write's last flush).
        std::fprintf(stderr, "flight-inspector capture: recording stopped: %s\n", printable(message).constData());
        end.recordingFailed = true;
        QCoreApplication::quit();
    });
    QObject::connect(&session, &live::LiveSession::stateChanged, qApp,
                     [&](live::ConnectionState state, const QString& text) {
                         // texts are redacted: no token, no URL credentials; a close
                         // reason is the peer's own text: escaped (printable())
                         std::fprintf(stderr, "flight-inspector capture: %s\n", printable(text).constData());
                         if (state == live::ConnectionState::Error) {
                             end.finalError = true;
                             QCoreApplication::quit();
                         }
                     });
    session.start();
    // the worker created the file before this blocking call runs
    if (const auto early = session.snapshotNow(); !early.stats.recordingError.empty()) {
        session.stop();
        return makeError(MemoryErrorCode::IoError, QStringLiteral("cannot write %1: %2")
                                                       .arg(options.path, QString::fromStdString(early.stats.recordingError))
                                                       .toStdString());
    }
    if (options.durationSeconds)
        QTimer::singleShot(static_cast<int>(*options.durationSeconds * 1000.0), qApp, &QCoreApplication::quit);
    QCoreApplication::exec();
    end.last = session.stop(); // closes the link, flushes and closes the file
    return end;
}

// The summary line on stdout, what went wrong on stderr; returns the exit code.
int finishCapture(const CaptureOptions& options, const CaptureEnd& end)
{
    const live::LiveStats& st = end.last.stats;
    const QString& path = options.path;
    std::printf("capture: messages=%llu sessions=%zu reconnects=%llu decode_errors=%llu bytes=%llu file=%s\n",
                static_cast<unsigned long long>(st.recordedMessages),
                end.last.sessions.size() + static_cast<std::size_t>(st.endedSessionsDropped), // dropped from memory, recorded
                static_cast<unsigned long long>(st.reconnects), static_cast<unsigned long long>(st.decodeErrors),
                static_cast<unsigned long long>(st.bytesReceived), qPrintable(path));
    std::fflush(stdout);
    if (st.duplicatesDropped > 0 || st.seqGaps > 0 || st.seqOutOfOrder > 0)
        // nothing is dropped without a visible reason (protocol.md, "seq and since")
        std::fprintf(stderr,
                     "flight-inspector capture: seq: %llu duplicate(s) dropped, %llu message(s) missing (gaps), "
                     "%llu applied out of order\n",
                     static_cast<unsigned long long>(st.duplicatesDropped),
                     static_cast<unsigned long long>(st.seqGaps),
                     static_cast<unsigned long long>(st.seqOutOfOrder));
    if (end.recordingFailed || !st.recordingError.empty()) {
        std::fprintf(stderr, "flight-inspector capture: writing %s failed: %s\n", printable(path).constData(),
                     printable(st.recordingError).constData());
        return 2;
    }
    if (st.recordedMessages == 0 && options.targetExisted)
        std::fprintf(stderr, "flight-inspector capture: nothing received, %s left as it was\n", qPrintable(path));
    if (end.stoppedBySignal)
        std::fprintf(stderr, "flight-inspector capture: stopped by signal, %s closed\n", qPrintable(path));
    if (end.finalError || st.connects == 0) {
        if (!end.finalError)
            std::fprintf(stderr, "flight-inspector capture: never connected to %s\n", printable(st.url).constData());
        return 3;
    }
    return 0;
}

} // namespace

int captureMain(int argc, char** argv)
{
    HeadlessCommand command(argc, argv, "capture", QString::fromLatin1(kDescription));
    const auto options = command.parseOptions(addOptions, readOptions);
    const auto end = runCapture(options);
    if (!end)
        return command.fail(end.error());
    return finishCapture(options, *end);
}

} // namespace flight::app
