// SPDX-License-Identifier: MIT
// The inspector's side of the soak (tests/soak/run-soak): a LiveSession, the
// client the window and `capture` use (socket, decoder and SessionStore with
// its SessionModels on a worker thread, snapshots to this thread), connected
// to a `flight-agent serve` for --seconds, while --churn other clients
// (LiveConnection, the same socket code) connect, take the stream for
// --churn-ms each and disconnect, staggered so one comes and goes every
// churn-ms / churn milliseconds.
//
//   soak_client --url ws://127.0.0.1:PORT [--seconds 600] [--churn 3] [--churn-ms 3000]
//               [--max-rss-mib 8192] [--full-detail-s S]
//
// --full-detail-s: the live memory policy's full-detail window (RetentionPolicy;
// default: the window's default, 10 min; 0 keeps everything).
//
// Prints one line every 10 s (messages applied, rate over the last 10 s, VmRSS),
// then the figures: messages/s held over the run and its slowest 10 s, VmRSS
// at start (after 2 s), after 1 min (1/3 of the run when shorter) and at the
// end, and messages lost, by per-session seq (the agent numbers each
// session's messages 1, 2, 3, ...): missing at a session's start, inside it
// (gaps) or at its end (see below). Exit code 0 only when nothing was lost, nothing failed to
// decode, the link never dropped and messages kept arriving to the end;
// 1 otherwise, 2 for bad arguments or VmRSS over --max-rss-mib (stopped early).

#include "live/client/live_connection.h"
#include "live/client/live_session.h"
#include "model/session_model.h"
#include "protocol/session_store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

using namespace flight;

namespace {

long rssKiB()
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stol(line.substr(6));
    return -1;
}

struct Args {
    QUrl url;
    double seconds = 600;
    int churn = 3;
    int churnMs = 3000;
    long maxRssMiB = 8192;
    double fullDetailS = -1; // < 0: the default retention policy (as the window's default)
};

bool parse(const QStringList& a, Args& out)
{
    for (qsizetype i = 1; i < a.size(); ++i) {
        const auto next = [&]() -> QString { return i + 1 < a.size() ? a[++i] : QString(); };
        if (a[i] == QLatin1String("--url"))
            out.url = QUrl(next());
        else if (a[i] == QLatin1String("--seconds"))
            out.seconds = next().toDouble();
        else if (a[i] == QLatin1String("--churn"))
            out.churn = next().toInt();
        else if (a[i] == QLatin1String("--churn-ms"))
            out.churnMs = next().toInt();
        else if (a[i] == QLatin1String("--max-rss-mib"))
            out.maxRssMiB = next().toLong();
        else if (a[i] == QLatin1String("--full-detail-s"))
            out.fullDetailS = next().toDouble();
        else
            return false;
    }
    return out.url.isValid() && out.seconds >= 3 && out.churn >= 0 && out.churnMs >= 100;
}

double mib(long kib) { return static_cast<double>(kib) / 1024.0; }

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    Args args;
    if (!parse(app.arguments(), args)) {
        std::fprintf(stderr, "usage: soak_client --url ws://HOST:PORT [--seconds S>=3] [--churn N] [--churn-ms MS]"
                             " [--max-rss-mib MIB] [--full-detail-s S]\n");
        return 2;
    }

    live::LiveSessionOptions options;
    options.connection.url = args.url;
    if (args.fullDetailS == 0)
        options.retention.enabled = false; // keep everything
    else if (args.fullDetailS > 0)
        options.retention.fullDetail = std::chrono::milliseconds(static_cast<long long>(args.fullDetailS * 1000));
    live::LiveSession session(options);
    std::uint64_t stateChanges = 0;
    QObject::connect(&session, &live::LiveSession::stateChanged, [&](live::ConnectionState, const QString& text) {
        ++stateChanges;
        std::fprintf(stderr, "soak: main client: %s\n", qPrintable(text));
    });
    session.start();

    // Churn: each slot's client lives churnMs, then is closed and replaced;
    // slots are staggered so one client comes and goes every churnMs / churn.
    struct Churner {
        std::unique_ptr<live::LiveConnection> c;
    };
    std::vector<Churner> churners(static_cast<std::size_t>(args.churn));
    std::uint64_t churnOpened = 0, churnConnected = 0, churnFrames = 0;
    const auto churnOne = [&](std::size_t slot) {
        Churner& ch = churners[slot];
        if (ch.c) {
            const auto s = ch.c->stats();
            churnFrames += s.framesReceived;
            churnConnected += s.connects;
            ch.c->close();
            ch.c.release()->deleteLater();
        }
        live::LiveConnectionOptions o;
        o.url = args.url;
        ch.c = std::make_unique<live::LiveConnection>(o);
        QObject::connect(ch.c.get(), &live::LiveConnection::linkUp, ch.c.get(), [c = ch.c.get()] {
            c->sendText(QStringLiteral("{\"type\":\"subscribe\",\"sessionIds\":[\"*\"]}"));
        });
        ch.c->open();
        ++churnOpened;
    };
    std::vector<std::unique_ptr<QTimer>> churnTimers;
    for (std::size_t i = 0; i < churners.size(); ++i) {
        auto t = std::make_unique<QTimer>();
        t->setInterval(args.churnMs);
        QObject::connect(t.get(), &QTimer::timeout, [&, i] { churnOne(i); });
        QTimer::singleShot(static_cast<int>(args.churnMs * static_cast<long>(i) / std::max(1, args.churn)),
                           t.get(), [&, i, timer = t.get()] {
                               churnOne(i);
                               timer->start();
                           });
        churnTimers.push_back(std::move(t));
    }

    // Sampling once a second.
    QElapsedTimer clock;
    clock.start();
    const double oneMinute = std::min(60.0, args.seconds / 3.0);
    std::vector<std::uint64_t> appliedAt; // per whole second
    long rssStart = -1, rssMinute = -1, rssPeak = 0;
    bool rssExceeded = false;
    QTimer sampler;
    sampler.setInterval(1000);
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        const auto& latest = session.latest();
        const std::uint64_t applied = latest ? latest->stats.messagesApplied : 0;
        appliedAt.push_back(applied);
        const long rss = rssKiB();
        rssPeak = std::max(rssPeak, rss);
        const std::size_t sec = appliedAt.size();
        if (sec == 2)
            rssStart = rss;
        if (rssMinute < 0 && static_cast<double>(sec) >= oneMinute)
            rssMinute = rss;
        if (sec % 10 == 0) {
            const std::uint64_t before = sec >= 11 ? appliedAt[sec - 11] : 0; // 10 s ago (or the start)
            const double span = sec >= 11 ? 10.0 : static_cast<double>(sec);
            std::printf("soak: t=%3zus applied=%llu rate10s=%.0f/s rss=%.1f MiB sessions=%zu churn_clients=%llu\n", sec,
                        static_cast<unsigned long long>(applied), static_cast<double>(applied - before) / span,
                        mib(rss), latest ? latest->sessions.size() : 0, static_cast<unsigned long long>(churnOpened));
            std::fflush(stdout);
        }
        if (rss > args.maxRssMiB * 1024) {
            rssExceeded = true;
            std::fprintf(stderr, "soak: VmRSS %.0f MiB over --max-rss-mib %ld: stopping early\n", mib(rss), args.maxRssMiB);
            app.quit();
        }
        if (static_cast<double>(sec) >= args.seconds)
            app.quit();
    });
    sampler.start();
    app.exec();

    for (auto& t : churnTimers)
        t->stop();
    for (auto& ch : churners)
        if (ch.c) {
            churnFrames += ch.c->stats().framesReceived;
            churnConnected += ch.c->stats().connects;
            ch.c->close();
        }
    const long rssEnd = rssKiB();
    const double elapsed = static_cast<double>(clock.elapsed()) / 1000.0;

    // Held seq per session (what the next subscribe would send as "since"),
    // and the final snapshot, both after the worker stopped (same instant).
    const live::LiveSnapshot end = session.stop();
    const QJsonObject since =
        QJsonDocument::fromJson(session.subscribeMessage().toUtf8()).object().value(QStringLiteral("since")).toObject();
    const live::LiveStats& st = end.stats;
    // Loss, by seq. Inside a session: the store's gap count. At a session's
    // start: its first seq would be above 1 (Sum of last seqs > applied). At
    // its end: a session that never got its session_ended although a newer
    // one exists lost its tail (the agent dropped it for this client when the
    // ring moved on); every demo run has the same length, so the tail lost is
    // that length minus the last seq held.
    std::uint64_t heldSeqSum = 0, sessionsEnded = 0, runLength = 0;
    std::vector<std::uint64_t> heldSeqs;
    for (const auto& s : end.sessions) {
        const std::uint64_t seq = static_cast<std::uint64_t>(since.value(QString::fromStdString(s.sessionId)).toInteger());
        heldSeqs.push_back(seq);
        heldSeqSum += seq;
        if (s.ended) {
            ++sessionsEnded;
            runLength = std::max(runLength, seq);
        }
    }
    std::uint64_t incomplete = 0, tailLost = 0;
    for (std::size_t i = 0; i + 1 < end.sessions.size(); ++i)
        if (!end.sessions[i].ended) {
            ++incomplete;
            tailLost += runLength > heldSeqs[i] ? runLength - heldSeqs[i] : 0;
        }

    // Rate held: whole run after the first 2 s (connect + the agent's buffer),
    // and the slowest 10 s window.
    const std::size_t n = appliedAt.size();
    double held = 0, slowest = 0;
    if (n > 3) {
        held = static_cast<double>(appliedAt[n - 1] - appliedAt[1]) / static_cast<double>(n - 2);
        slowest = held;
        for (std::size_t i = 11; i < n; ++i)
            slowest = std::min(slowest, static_cast<double>(appliedAt[i] - appliedAt[i - 10]) / 10.0);
    }
    const bool lastSecondsMoved = n < 6 || appliedAt[n - 1] > appliedAt[n - 6];
    const std::uint64_t lost =
        (heldSeqSum > st.messagesApplied ? heldSeqSum - st.messagesApplied : 0) + st.seqGaps + tailLost;
    const std::uint64_t rssMinuteAt = static_cast<std::uint64_t>(std::min(60.0, args.seconds / 3.0));

    std::printf("soak: ran %.0f s against %s, %d churn clients each living %d ms, memory policy: %s\n", elapsed,
                qPrintable(st.url), args.churn, args.churnMs,
                options.retention.enabled
                    ? qPrintable(QStringLiteral("full detail for the last %1 s").arg(
                          static_cast<double>(options.retention.fullDetail.count()) / 1000.0))
                    : "keep everything");
    std::printf("soak: messages applied %llu, held %.0f msg/s (slowest 10 s: %.0f msg/s), sessions %zu (%llu ended)\n",
                static_cast<unsigned long long>(st.messagesApplied), held, slowest, end.sessions.size(),
                static_cast<unsigned long long>(sessionsEnded));
    std::printf("soak: VmRSS start %.1f MiB, at %llu s %.1f MiB, end %.1f MiB, peak %.1f MiB\n", mib(rssStart),
                static_cast<unsigned long long>(rssMinuteAt), mib(rssMinute), mib(rssEnd), mib(rssPeak));
    std::printf("soak: lost %llu (sum of last seq per session %llu - applied %llu; seq gaps %llu; %llu older sessions "
                "without their end, tails %llu), duplicates %llu, decode errors %llu, reconnects %llu\n",
                static_cast<unsigned long long>(lost), static_cast<unsigned long long>(heldSeqSum),
                static_cast<unsigned long long>(st.messagesApplied), static_cast<unsigned long long>(st.seqGaps),
                static_cast<unsigned long long>(incomplete), static_cast<unsigned long long>(tailLost),
                static_cast<unsigned long long>(st.duplicatesDropped), static_cast<unsigned long long>(st.decodeErrors),
                static_cast<unsigned long long>(st.reconnects));
    std::printf("soak: churn clients opened %llu, connected %llu, frames they received %llu\n",
                static_cast<unsigned long long>(churnOpened), static_cast<unsigned long long>(churnConnected),
                static_cast<unsigned long long>(churnFrames));
    std::fflush(stdout);

    if (rssExceeded)
        return 2;
    const bool ok = lost == 0 && incomplete == 0 && st.decodeErrors == 0 && st.reconnects == 0 && st.connects == 1
                    && st.messagesApplied > 0 && lastSecondsMoved && (args.churn == 0 || churnConnected > 0);
    if (!ok)
        std::fprintf(stderr, "soak: FAILED (lost, gaps, decode errors, a dropped link, a stall or no churn client connected)\n");
    return ok ? 0 : 1;
}
