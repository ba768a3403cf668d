// SPDX-License-Identifier: MIT
#include "live/client/live_connection.h"

#include "model/time_text.h"

#include "live/client/redact_url.h"
#include "protocol/printable_text.h"

#include <QCryptographicHash>
#include <QFile>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>

namespace flight::live {

namespace {

// What the peer chose to say (a close reason, an error text that quotes it):
// control characters escaped before it reaches a terminal or the window.
QString peerText(const QString& text)
{
    return QString::fromStdString(protocol::printableText(text.toStdString()));
}

QString httpStatusText(int code)
{
    switch (code) {
    case 401: return QStringLiteral("401 Unauthorized: the bearer token is missing or was refused");
    case 403: return QStringLiteral("403 Forbidden: the bearer token was refused");
    case 404: return QStringLiteral("404 Not Found: no WebSocket endpoint at this path");
    default: return QString::number(code);
    }
}

} // namespace

LiveConnection::LiveConnection(LiveConnectionOptions options, QObject* parent)
    : QObject(parent), m_options(std::move(options)), m_backoff(m_options.backoff)
{
    m_retryTimer = new QTimer(this);
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &LiveConnection::startAttempt);
    m_aliveTimer = new QTimer(this);
    connect(m_aliveTimer, &QTimer::timeout, this, &LiveConnection::checkAlive);
    m_handshakeTimer = new QTimer(this);

    m_handshakeTimer->setSingleShot(true);
    connect(m_handshakeTimer, &QTimer::timeout, this, [this] {
        if (m_state == ConnectionState::Connecting && m_attemptActive)
            linkDown(QStringLiteral("no handshake within %1 ms").arg(m_options.handshakeTimeout.count()), false);
    });
}

LiveConnection::~LiveConnection()
{
    m_userClosed = true;
    dropSocket();
}

QString LiveConnection::displayUrl() const { return redactUrl(m_options.url); }

void LiveConnection::trustCertificate(const QSslCertificate& certificate)
{
    if (!certificate.isNull() && !m_options.trustedCertificates.contains(certificate))
        m_options.trustedCertificates.append(certificate);
}

void LiveConnection::open()
{
    m_userClosed = false;
    m_finalReason.clear();
    m_backoff.reset();
    m_retryTimer->stop();
    const QString scheme = m_options.url.scheme().toLower();
    if (!m_options.url.isValid() || (scheme != QStringLiteral("ws") && scheme != QStringLiteral("wss"))) {
        setState(ConnectionState::Error,
                 QStringLiteral("%1 is not a ws:// or wss:// URL").arg(displayUrl()));
        return;
    }
    startAttempt();
}

void LiveConnection::close()
{
    m_userClosed = true;
    m_retryTimer->stop();
    m_handshakeTimer->stop();
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState) {
        m_attemptActive = false;
        setState(ConnectionState::Closing, QStringLiteral("closing %1").arg(displayUrl()));
        QWebSocket* s = m_socket;
        s->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("client closed"));
        // Closed when the close handshake ends (onDisconnected), at the latest after 2 s.
        QTimer::singleShot(2000, this, [this, s] {
            if (m_socket == s && m_state == ConnectionState::Closing) {
                dropSocket();
                setState(ConnectionState::Closed, QStringLiteral("closed"));
            }
        });
        return;
    }
    m_attemptActive = false;
    dropSocket();
    if (m_state != ConnectionState::Error)
        setState(ConnectionState::Closed, QStringLiteral("closed"));
}

bool LiveConnection::sendText(const QString& text)
{
    if (!m_socket || m_state != ConnectionState::Connected)
        return false;
    const qsizetype bytes = text.toUtf8().size();
    m_linkLargestSent = std::max(m_linkLargestSent, bytes);
    return m_socket->sendTextMessage(text) == bytes;
}

bool LiveConnection::hasPendingOutput() const
{
    return m_socket && m_socket->bytesToWrite() > 0;
}

void LiveConnection::dropSocket()
{
    m_aliveTimer->stop();
    if (!m_socket)
        return;
    QWebSocket* s = m_socket;
    m_socket = nullptr;
    s->disconnect(this);
    s->abort();
    s->deleteLater();
}

void LiveConnection::startAttempt()
{
    dropSocket();
    m_attemptActive = true;
    ++m_stats.attempts;
    auto* s = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = s;
    s->setMaxAllowedIncomingFrameSize(m_options.maxMessageBytes);
    s->setMaxAllowedIncomingMessageSize(m_options.maxMessageBytes);
    s->setReadBufferSize(static_cast<qint64>(m_options.maxMessageBytes) + 14); // see the header: bounded reading
    connect(s, &QWebSocket::connected, this, &LiveConnection::onConnected);
    connect(s, &QWebSocket::disconnected, this, &LiveConnection::onDisconnected);
    connect(s, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, &LiveConnection::onSocketError);
    connect(s, &QWebSocket::sslErrors, this, &LiveConnection::onSslErrors);
    connect(s, &QWebSocket::textMessageReceived, this, [this](const QString& m) { acceptFrame(m.toUtf8()); });
    connect(s, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray& m) { acceptFrame(m); });
    connect(s, &QWebSocket::pong, this, [this](quint64, const QByteArray&) { m_lastHeard.start(); });

    QNetworkRequest request(m_options.url);
    if (!m_options.bearerToken.isEmpty())
        request.setRawHeader(QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer ") + m_options.bearerToken);
    setState(ConnectionState::Connecting,
             m_stats.connects == 0 ? QStringLiteral("connecting to %1").arg(displayUrl())
                                   : QStringLiteral("reconnecting to %1").arg(displayUrl()));
    m_handshakeTimer->start(m_options.handshakeTimeout);
    s->open(request);
}

void LiveConnection::acceptFrame(const QByteArray& frame)
{
    if (m_linkFrames++ == 0) {
        // the link delivers: what failed before is over
        m_backoff.reset();
        m_refusals = 0;
        m_lastRefusal.clear();
    }
    m_lastHeard.start();
    ++m_stats.framesReceived;
    m_stats.bytesReceived += static_cast<std::uint64_t>(frame.size());
    Q_EMIT frameReceived(frame);
}

void LiveConnection::onConnected()
{
    m_handshakeTimer->stop();
    m_linkFrames = 0; // the backoff is reset by the first frame (a refusal comes up, then closes)
    m_lastHeard.start();
    if (m_options.pingInterval.count() > 0 && m_options.idleTimeout.count() > 0)
        m_aliveTimer->start(m_options.pingInterval);
    m_linkLargestSent = 0;
    ++m_stats.connects;
    if (m_stats.connects > 1)
        ++m_stats.reconnects;
    setState(ConnectionState::Connected, QStringLiteral("connected to %1").arg(displayUrl()));
    Q_EMIT linkUp();
}

void LiveConnection::onSslErrors(const QList<QSslError>& errors)
{
    if (!m_socket)
        return;
    QStringList problems;
    bool allTrusted = !errors.isEmpty();
    for (const QSslError& e : errors) {
        const bool trusted = !e.certificate().isNull() && m_options.trustedCertificates.contains(e.certificate());
        allTrusted = allTrusted && trusted;
        QString text = peerText(e.errorString());
        if (!e.certificate().isNull())
            text += QStringLiteral(" (certificate SHA-256 %1)").arg(certificateFingerprint(e.certificate()));
        problems.append(text);
    }
    if (allTrusted) {
        m_socket->ignoreSslErrors(errors); // exactly these errors, for exactly this certificate
        return;
    }
    m_finalReason = QStringLiteral("TLS certificate of %1 not trusted: %2; trust it explicitly (--trust-cert PEM) "
                                   "if it is the right one")
                        .arg(displayUrl(), problems.join(QStringLiteral("; ")));
}

void LiveConnection::onSocketError()
{
    if (!m_socket || m_userClosed)
        return;
    QString reason = peerText(m_socket->errorString());
    static const QRegularExpression status(QStringLiteral("status code: (\\d+)"));
    if (const auto match = status.match(reason); match.hasMatch()) {
        const int code = match.captured(1).toInt();
        if (code == 401 || code == 403 || code == 404) {
            m_finalReason = QStringLiteral("%1 refused the WebSocket handshake: HTTP %2")
                                .arg(displayUrl(), httpStatusText(code));
        } else {
            reason = QStringLiteral("%1 answered the handshake with HTTP %2").arg(displayUrl()).arg(code);
        }
    }
    if (!m_finalReason.isEmpty()) {
        linkDown(m_finalReason, true);
        return;
    }
    // A dropped link also says "remote host closed": leave that to onDisconnected
    // when the link was up, so the close code is seen.
    if (m_state == ConnectionState::Connected)
        return;
    linkDown(reason, false);
}

void LiveConnection::onDisconnected()
{
    if (!m_socket)
        return;
    if (m_userClosed) {
        dropSocket();
        setState(ConnectionState::Closed, QStringLiteral("closed"));
        return;
    }
    if (!m_finalReason.isEmpty()) {
        linkDown(m_finalReason, true);
        return;
    }
    const auto code = m_socket->closeCode();
    const QString why = peerText(m_socket->closeReason());
    const bool refused = m_state == ConnectionState::Connected && m_linkFrames == 0;
    if (code == QWebSocketProtocol::CloseCodeTooMuchData && refused && m_linkLargestSent > 1024) {
        const QString reason = QStringLiteral("%1 refused our message of %2 bytes as too big (link closed with code 1009)")
                                   .arg(displayUrl())
                                   .arg(m_linkLargestSent);
        const bool final = countRefusal(reason);
        linkDown(final ? m_finalReason : reason, final);
        return;
    }
    if (code == QWebSocketProtocol::CloseCodeTooMuchData && m_state == ConnectionState::Connected) {
        ++m_stats.oversizedRefused;
        linkDown(QStringLiteral("a message over the %1-byte limit was refused (link closed with code 1009)")
                     .arg(m_options.maxMessageBytes),
                 false);
        return;
    }
    if (code == QWebSocketProtocol::CloseCodePolicyViolated) {
        linkDown(QStringLiteral("%1 closed the link for a policy violation (code 1008)%2")
                     .arg(displayUrl(), why.isEmpty() ? QString() : QStringLiteral(": ") + why),
                 true);
        return;
    }
    QString reason = m_state == ConnectionState::Connected ? QStringLiteral("link to %1 dropped").arg(displayUrl())
                                                           : QStringLiteral("cannot connect to %1").arg(displayUrl());
    if (!why.isEmpty())
        reason += QStringLiteral(": ") + why;
    else if (m_socket->error() != QAbstractSocket::UnknownSocketError)
        reason += QStringLiteral(": ") + peerText(m_socket->errorString());
    if (refused)
        reason += QStringLiteral(" (code %1, before any message)").arg(static_cast<int>(code));
    const bool final = refused && countRefusal(reason);
    linkDown(final ? m_finalReason : reason, final);
}

void LiveConnection::checkAlive()
{
    if (!m_socket || m_state != ConnectionState::Connected) {
        m_aliveTimer->stop();
        return;
    }
    if (m_lastHeard.elapsed() >= m_options.idleTimeout.count()) {
        linkDown(QStringLiteral("no message and no pong from %1 for %2 ms: link taken for dead")
                     .arg(displayUrl())
                     .arg(m_options.idleTimeout.count()),
                 false);
        return;
    }
    m_socket->ping();
}

bool LiveConnection::countRefusal(const QString& reason)
{
    if (reason == m_lastRefusal) {
        ++m_refusals;
    } else {
        m_lastRefusal = reason;
        m_refusals = 1;
    }
    if (m_refusals < m_options.maxRepeatedRefusals)
        return false;
    m_finalReason = QStringLiteral("%1; refused %2 times in a row, giving up").arg(reason).arg(m_refusals);
    return true;
}

void LiveConnection::linkDown(const QString& reason, bool final)
{
    if (!m_attemptActive)
        return; // this attempt was already handled (error then disconnected)
    m_attemptActive = false;
    m_handshakeTimer->stop();
    m_aliveTimer->stop();
    QWebSocket* s = m_socket;
    m_socket = nullptr;
    if (s) {
        s->disconnect(this);
        s->abort();
        s->deleteLater();
    }
    if (m_userClosed) {
        setState(ConnectionState::Closed, QStringLiteral("closed"));
        return;
    }
    if (final || !m_options.reconnect) {
        setState(ConnectionState::Error, reason);
        return;
    }
    m_lastDelay = m_backoff.next();
    // Whole seconds from 1 s ("reconnecting in 12 s"): a countdown, not a measurement.
    const std::int64_t ms = m_lastDelay.count();
    const std::int64_t shown = ms >= 1000 ? (ms + 500) / 1000 * 1000 : ms;
    setState(ConnectionState::Disconnected,
             QStringLiteral("%1; reconnecting in %2").arg(reason, QString::fromStdString(formatDuration(shown, DurationStyle::Rounded))));
    m_retryTimer->start(m_lastDelay);
}

void LiveConnection::setState(ConnectionState state, const QString& text)
{
    if (state == m_state && text == m_stateText)
        return;
    m_state = state;
    m_stateText = text;
    Q_EMIT stateChanged(state, text);
}

Result<QList<QSslCertificate>> loadPemCertificates(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(MemoryErrorCode::IoError,
                         "cannot read certificate file " + path.toStdString() + ": " + file.errorString().toStdString());
    QList<QSslCertificate> certs = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (certs.isEmpty())
        return makeError(MemoryErrorCode::MalformedInput, "no PEM certificate in " + path.toStdString());
    return certs;
}

QString certificateFingerprint(const QSslCertificate& certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

} // namespace flight::live
