// SPDX-License-Identifier: MIT
#include "bearer_gate.h"

#include "prometheus_runner.h"

#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

namespace flight::promtest {

BearerGate::BearerGate(quint16 upstreamPort, QByteArray token)
    : m_upstream(upstreamPort), m_token(std::move(token)), m_server(std::make_unique<QTcpServer>())
{
    m_server->listen(QHostAddress::LocalHost, 0);
    QObject::connect(m_server.get(), &QTcpServer::newConnection, m_server.get(), [this] {
        while (QTcpSocket* s = m_server->nextPendingConnection()) {
            QObject::connect(s, &QTcpSocket::readyRead, s, [this, s] { onReadable(s); });
            QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
        }
    });
}

BearerGate::~BearerGate() = default;

QString BearerGate::url() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_server->serverPort());
}

void BearerGate::onReadable(QTcpSocket* s)
{
    const QByteArray head = s->peek(64 * 1024);
    if (!head.contains("\r\n\r\n") || s->property("answered").toBool())
        return;
    s->setProperty("answered", true); // before the upstream wait below runs the event loop again
    s->readAll();
    const QList<QByteArray> lines = head.left(head.indexOf("\r\n\r\n")).split('\n');
    const QList<QByteArray> request = lines.value(0).trimmed().split(' ');
    QByteArray authorization;
    for (const QByteArray& line : lines)
        if (line.toLower().startsWith("authorization:"))
            authorization = line.mid(14).trimmed();
    m_authorization << authorization;
    QPointer<QTcpSocket> alive(s); // the upstream wait runs the event loop: the client may go meanwhile
    const auto answer = [alive](int status, const QByteArray& reason, const QByteArray& body) {
        if (!alive)
            return;
        alive->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason
                 + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
                 + "\r\nConnection: close\r\n\r\n" + body);
        alive->disconnectFromHost();
    };
    if (request.value(0) != "GET" || authorization != "Bearer " + m_token) {
        ++m_refused;
        answer(401, "Unauthorized", R"({"status":"error","errorType":"unauthorized","error":"a bearer token is required"})");
        return;
    }
    ++m_passed;
    const HttpAnswer up = httpGet(m_upstream, request.value(1));
    if (up.status == 0)
        answer(502, "Bad Gateway", R"({"status":"error","errorType":"unavailable","error":"upstream did not answer"})");
    else
        answer(up.status, "From Upstream", up.body);
}

} // namespace flight::promtest
