// SPDX-License-Identifier: MIT
#include "live/v8/cdp_client.h"

#include "protocol/printable_text.h"

#include <QJsonDocument>
#include <QPointer>
#include <QTimer>
#include <QWebSocket>

#include <map>

namespace flight::live {

namespace {

QString printable(const QString& text)
{
    return QString::fromStdString(protocol::printableText(text.left(512).toStdString()));
}

} // namespace

struct CdpClient::Impl {
    CdpClientOptions options;
    QWebSocket socket;
    std::map<qint64, std::pair<QString, Reply>> pending;
    qint64 nextId = 1;
    bool everOpened = false;
    bool reported = false;   // closed() sent or close() called
    QTimer connectTimer;
};

CdpClient::CdpClient(CdpClientOptions options, QObject* parent) : QObject(parent), d(std::make_unique<Impl>())
{
    d->options = options;
    // Bounded reads: a target (or whatever listens on the port) cannot make
    // the agent buffer more than one message of this size.
    d->socket.setMaxAllowedIncomingFrameSize(static_cast<quint64>(options.maxMessageBytes));
    d->socket.setMaxAllowedIncomingMessageSize(static_cast<quint64>(options.maxMessageBytes));
    d->socket.setReadBufferSize(options.maxMessageBytes + 14);
    d->connectTimer.setSingleShot(true);

    connect(&d->connectTimer, &QTimer::timeout, this, [this] {
        if (d->everOpened || d->reported)
            return;
        d->reported = true;
        d->socket.abort();
        Q_EMIT closed(QStringLiteral("no WebSocket handshake within %1 ms").arg(d->options.connectTimeout.count()));
    });
    connect(&d->socket, &QWebSocket::connected, this, [this] {
        d->everOpened = true;
        d->connectTimer.stop();
        Q_EMIT opened();
    });
    connect(&d->socket, &QWebSocket::textMessageReceived, this, [this](const QString& text) {
        QJsonParseError err{};
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &err);
        if (err.error != QJsonParseError::NoError || !doc.isObject())
            return; // not CDP: ignored, as a reply that never comes ends in its timeout
        const QJsonObject o = doc.object();
        if (o.contains(QLatin1String("id"))) {
            const auto it = d->pending.find(o.value(QLatin1String("id")).toInteger(-1));
            if (it == d->pending.end())
                return;
            Reply reply = std::move(it->second.second);
            d->pending.erase(it);
            if (o.contains(QLatin1String("error"))) {
                const QString msg = o.value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString();
                reply(makeError(MemoryErrorCode::IoError, "the target refused: " + printable(msg).toStdString()));
            } else {
                reply(o.value(QLatin1String("result")).toObject());
            }
            return;
        }
        const QString method = o.value(QLatin1String("method")).toString();
        if (!method.isEmpty())
            Q_EMIT event(method, o.value(QLatin1String("params")).toObject());
    });
    connect(&d->socket, &QWebSocket::disconnected, this, [this] {
        d->connectTimer.stop();
        QString reason;
        if (!d->everOpened)
            reason = QStringLiteral("cannot connect to the inspector: ") + printable(d->socket.errorString());
        else if (d->socket.closeCode() == QWebSocketProtocol::CloseCodeTooMuchData)
            reason = QStringLiteral("the target sent a message over %1 bytes").arg(d->options.maxMessageBytes);
        else
            reason = QStringLiteral("the inspector closed the connection (the target exited or detached)");
        // closed() first: the owner learns why before its pending replies fail.
        auto pending = std::move(d->pending);
        d->pending.clear();
        if (!d->reported) {
            d->reported = true;
            Q_EMIT closed(reason);
        }
        for (auto& [id, p] : pending)
            p.second(makeError(MemoryErrorCode::IoError, reason.toStdString() + " (waiting for " + p.first.toStdString() + ")"));
    });
}

CdpClient::~CdpClient()
{
    d->reported = true;
    d->pending.clear();
    d->socket.disconnect(this);
    d->socket.abort();
}

void CdpClient::open(const QUrl& url)
{
    d->connectTimer.start(d->options.connectTimeout);
    d->socket.open(url);
}

bool CdpClient::isOpen() const
{
    return d->everOpened && !d->reported && d->socket.state() == QAbstractSocket::ConnectedState;
}

void CdpClient::call(const QString& method, const QJsonObject& params, Reply reply, std::chrono::milliseconds timeout)
{
    if (timeout.count() <= 0)
        timeout = d->options.replyTimeout;
    if (!isOpen()) {
        QTimer::singleShot(0, this, [method, reply = std::move(reply)] {
            reply(makeError(MemoryErrorCode::IoError, "not connected (" + method.toStdString() + ")"));
        });
        return;
    }
    const qint64 id = d->nextId++;
    QJsonObject o;
    o.insert(QLatin1String("id"), id);
    o.insert(QLatin1String("method"), method);
    if (!params.isEmpty())
        o.insert(QLatin1String("params"), params);
    d->pending.emplace(id, std::make_pair(method, std::move(reply)));
    d->socket.sendTextMessage(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
    QTimer::singleShot(timeout, this, [this, id, timeout] {
        const auto it = d->pending.find(id);
        if (it == d->pending.end())
            return;
        Reply r = std::move(it->second.second);
        const QString m = it->second.first;
        d->pending.erase(it);
        r(makeError(MemoryErrorCode::IoError, "no reply to " + m.toStdString() + " within "
                                                  + std::to_string(timeout.count()) + " ms"));
    });
}

void CdpClient::close()
{
    d->reported = true;
    d->connectTimer.stop();
    d->pending.clear();
    if (d->socket.state() != QAbstractSocket::UnconnectedState)
        d->socket.close();
}

} // namespace flight::live
