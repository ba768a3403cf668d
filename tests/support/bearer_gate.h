// SPDX-License-Identifier: MIT
#pragma once
// A real HTTP front on loopback that passes a GET on to a server (a real
// Prometheus) only when it carries `Authorization: Bearer TOKEN`, and answers
// 401 otherwise: what an authenticating proxy in front of Prometheus does.
// Tests that the inspector sends its token, and only where it should. Runs on
// the creating thread's event loop (keep it running: livetest::waitUntil).

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>

class QTcpServer;
class QTcpSocket;

namespace flight::promtest {

class BearerGate {
public:
    BearerGate(quint16 upstreamPort, QByteArray token);
    ~BearerGate();
    BearerGate(const BearerGate&) = delete;
    BearerGate& operator=(const BearerGate&) = delete;

    QString url() const;              // http://127.0.0.1:PORT
    int passed() const { return m_passed; }    // requests with the token, passed on
    int refused() const { return m_refused; }  // requests without it, answered 401
    // Every request's Authorization header, in order (empty when it had none).
    const QList<QByteArray>& authorizationHeaders() const { return m_authorization; }

private:
    void onReadable(QTcpSocket* socket);

    quint16 m_upstream;
    QByteArray m_token;
    std::unique_ptr<QTcpServer> m_server;
    int m_passed = 0;
    int m_refused = 0;
    QList<QByteArray> m_authorization;
};

} // namespace flight::promtest
