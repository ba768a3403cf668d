// SPDX-License-Identifier: MIT
#include "fleet/agent_reachability.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QTcpSocket>

namespace flight::fleet {
namespace {

bool listensEverywhere(const QString& host)
{
    const QHostAddress address(host);
    return address == QHostAddress(QHostAddress::AnyIPv4) || address == QHostAddress(QHostAddress::AnyIPv6);
}

// The host part of HOST:PORT or [V6]:PORT.
QString hostOfTarget(const QString& target)
{
    // QUrl parses both forms (and drops a port-less bracket pair's brackets).
    const QUrl parsed(QStringLiteral("tcp://") + target);
    return parsed.isValid() ? parsed.host() : QString();
}

QString whyNot(QAbstractSocket::SocketError error, const QString& text)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError: return QStringLiteral("connection refused");
    case QAbstractSocket::HostNotFoundError: return QStringLiteral("host not found");
    case QAbstractSocket::NetworkError: return QStringLiteral("network unreachable");
    default: return text.isEmpty() ? QStringLiteral("error %1").arg(static_cast<int>(error)) : text.toLower();
    }
}

} // namespace

QUrl agentConnectUrl(const QString& websocket, const QString& scrapeTarget)
{
    QUrl url(websocket.trimmed());
    if (!url.isValid() || (url.scheme() != QStringLiteral("ws") && url.scheme() != QStringLiteral("wss"))
        || url.host().isEmpty() || url.port() <= 0)
        return {};
    if (listensEverywhere(url.host())) {
        const QString host = hostOfTarget(scrapeTarget);
        if (!host.isEmpty() && !listensEverywhere(host))
            url.setHost(host);
    }
    return url;
}

Result<void> probeAgent(const QUrl& url, const AgentProbeOptions& options)
{
    // Fully encoded: the address comes from a peer's label, and this text ends up in a tooltip
    // (which renders anything that looks like HTML).
    const QString where = url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment)
                              .toString(QUrl::FullyEncoded);
    const auto fail = [&](const QString& why) {
        return makeError(MemoryErrorCode::IoError,
                         QStringLiteral("agent at %1 not reachable: %2").arg(where, why).toStdString());
    };
    if (url.host().isEmpty() || url.port() <= 0)
        return fail(QStringLiteral("the address names no host and port"));
    if (listensEverywhere(url.host()))
        return fail(QStringLiteral("it listens on every address and its scrape target names no host to reach it at"));
    QTcpSocket socket;
    socket.connectToHost(url.host(), static_cast<quint16>(url.port()));
    QElapsedTimer clock;
    clock.start();
    // Short waits, so that a cancel (another row selected, the window closing) ends it within 20 ms.
    while (true) {
        if (options.cancelled && options.cancelled()) {
            socket.abort();
            return fail(QStringLiteral("the check was cancelled"));
        }
        if (socket.waitForConnected(20)) {
            socket.abort();
            return {};
        }
        if (socket.state() == QAbstractSocket::UnconnectedState)
            return fail(whyNot(socket.error(), socket.errorString()));
        if (clock.elapsed() >= options.timeoutMs) {
            socket.abort();
            return fail(QStringLiteral("no answer within %1 s").arg(options.timeoutMs / 1000.0));
        }
    }
}

} // namespace flight::fleet
