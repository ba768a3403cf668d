// SPDX-License-Identifier: MIT
#include "live/v8/v8_discovery.h"

#include "protocol/printable_text.h"
#include "protocol/string_caps.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

namespace flight::live {

namespace {

constexpr qint64 kMaxHeadBytes = 16 * 1024;

std::unexpected<MemoryError> fail(const std::string& why)
{
    return makeError(MemoryErrorCode::IoError, why);
}

QString hostPort(const V8Endpoint& e)
{
    return (e.host.contains(u':') ? u'[' + e.host + u']' : e.host) + u':' + QString::number(e.port);
}

// Peer text kept for labels: escaped for terminals and capped like any label.
QString peerText(const QString& text)
{
    const std::string printable = protocol::printableText(text.toStdString());
    return QString::fromStdString(std::string(protocol::cutText(printable, 1024)));
}

QString safeId(const QString& raw)
{
    QString id;
    for (QChar c : raw) {
        if (id.size() >= 64)
            break;
        if (c.isLetterOrNumber() && c.unicode() < 128)
            id += c;
        else if (c == u'.' || c == u'_' || c == u'-')
            id += c;
    }
    return id;
}

} // namespace

bool isLoopbackHost(const QString& host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    QHostAddress a;
    return a.setAddress(host) && a.isLoopback();
}

Result<V8Endpoint> parseV8Endpoint(const QString& text, bool allowRemote)
{
    V8Endpoint e;
    if (text.startsWith(QLatin1String("ws://"), Qt::CaseInsensitive)) {
        const QUrl url(text, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() || url.port() <= 0)
            return fail("a debugger URL needs ws://HOST:PORT/PATH");
        e.host = url.host();
        e.port = static_cast<quint16>(url.port());
        e.directUrl = url;
    } else if (text.startsWith(QLatin1String("wss://"), Qt::CaseInsensitive)
               || text.startsWith(QLatin1String("http"), Qt::CaseInsensitive)) {
        return fail("use HOST:PORT or a ws:// debugger URL");
    } else {
        const qsizetype colon = text.lastIndexOf(u':');
        if (colon <= 0)
            return fail("needs HOST:PORT (e.g. 127.0.0.1:9229) or a ws:// debugger URL");
        QString host = text.left(colon);
        if (host.startsWith(u'[') && host.endsWith(u']'))
            host = host.mid(1, host.size() - 2);
        bool ok = false;
        const uint port = text.mid(colon + 1).toUInt(&ok);
        if (!ok || port < 1 || port > 65535 || host.isEmpty())
            return fail("needs HOST:PORT with a port from 1 to 65535");
        e.host = host;
        e.port = static_cast<quint16>(port);
    }
    if (!allowRemote && !isLoopbackHost(e.host))
        return fail("'" + e.host.toStdString()
                    + "' is not a loopback address: a V8 inspector port lets anyone who reaches it run code in the "
                      "target, so only 127.0.0.1, ::1 or localhost are used unless --allow-remote-v8 is given");
    return e;
}

Result<std::vector<V8Target>> parseTargetList(const QByteArray& body, const V8Endpoint& endpoint)
{
    if (body.size() > kMaxTargetListBytes)
        return fail("the target list is over " + std::to_string(kMaxTargetListBytes) + " bytes");
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError || !doc.isArray())
        return fail("the answer to /json/list is not a JSON array (is this a V8 inspector port?)");
    std::vector<V8Target> out;
    for (const QJsonValue& v : doc.array()) {
        if (out.size() >= kMaxTargets)
            break;
        const QJsonObject o = v.toObject();
        // Chromium lists its own UI (browser_ui: the omnibox, DevTools): not
        // the user's program.
        const QString type = o.value(QLatin1String("type")).toString();
        if (type == QLatin1String("browser_ui") || type == QLatin1String("browser") || type == QLatin1String("tab"))
            continue;
        const QUrl ws(o.value(QLatin1String("webSocketDebuggerUrl")).toString());
        if (!ws.isValid() || ws.scheme() != QLatin1String("ws") || ws.path().isEmpty())
            continue;
        V8Target t;
        t.id = safeId(o.value(QLatin1String("id")).toString());
        if (t.id.isEmpty())
            t.id = safeId(ws.path().section(u'/', -1));
        if (t.id.isEmpty())
            t.id = QString::number(out.size() + 1);
        t.title = peerText(o.value(QLatin1String("title")).toString());
        t.url = peerText(o.value(QLatin1String("url")).toString());
        t.type = peerText(type.left(32));
        QUrl rooted;
        rooted.setScheme(QStringLiteral("ws"));
        rooted.setHost(endpoint.host);
        rooted.setPort(endpoint.port);
        rooted.setPath(ws.path());
        t.webSocketUrl = rooted;
        out.push_back(std::move(t));
    }
    return out;
}

V8Target directTarget(const V8Endpoint& endpoint)
{
    V8Target t;
    t.id = safeId(endpoint.directUrl.path().section(u'/', -1));
    if (t.id.isEmpty())
        t.id = QString::number(endpoint.port);
    t.title = peerText(endpoint.directUrl.path());
    t.webSocketUrl = endpoint.directUrl;
    return t;
}

Result<std::vector<V8Target>> discoverV8Targets(const V8Endpoint& endpoint, std::chrono::milliseconds timeout)
{
    const std::string where = "the V8 inspector at " + hostPort(endpoint).toStdString();
    QDeadlineTimer deadline(timeout);
    QTcpSocket s;
    s.connectToHost(endpoint.host, endpoint.port);
    if (!s.waitForConnected(static_cast<int>(std::max<qint64>(1, deadline.remainingTime()))))
        return fail("cannot connect to " + where + " (" + protocol::printableText(s.errorString().toStdString())
                    + "): is the program running with --inspect=" + hostPort(endpoint).toStdString() + "?");
    const QByteArray request = "GET /json/list HTTP/1.1\r\nHost: " + hostPort(endpoint).toLatin1()
                               + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n";
    s.write(request);
    QByteArray data;
    qint64 headEnd = -1;
    qint64 contentLength = -1;
    for (;;) {
        if (headEnd < 0) {
            headEnd = data.indexOf("\r\n\r\n");
            if (headEnd >= 0) {
                const QByteArray head = data.left(headEnd).toLower();
                if (!head.startsWith("http/1.") || head.mid(9, 3) != "200")
                    return fail(where + " answered /json/list with '"
                                + protocol::printableText(data.left(std::min<qint64>(data.indexOf("\r\n"), 80)).toStdString())
                                + "'");
                if (head.contains("transfer-encoding: chunked"))
                    return fail(where + " sent a chunked answer (not a V8 inspector)");
                const qsizetype cl = head.indexOf("content-length:");
                if (cl >= 0) {
                    bool ok = false;
                    contentLength = head.mid(cl + 15, head.indexOf('\n', cl) - cl - 15).trimmed().toLongLong(&ok);
                    if (!ok || contentLength < 0)
                        return fail(where + " sent a bad Content-Length");
                    if (contentLength > kMaxTargetListBytes)
                        return fail(where + ": the target list is over " + std::to_string(kMaxTargetListBytes) + " bytes");
                }
            } else if (data.size() > kMaxHeadBytes) {
                return fail(where + " sent no HTTP answer (is this a V8 inspector port?)");
            }
        }
        if (headEnd >= 0 && contentLength >= 0 && data.size() - headEnd - 4 >= contentLength)
            break;
        if (headEnd >= 0 && data.size() - headEnd - 4 > kMaxTargetListBytes)
            return fail(where + ": the target list is over " + std::to_string(kMaxTargetListBytes) + " bytes");
        if (s.state() != QAbstractSocket::ConnectedState && s.bytesAvailable() == 0)
            break;
        if (deadline.hasExpired())
            return fail(where + " did not answer /json/list within " + std::to_string(timeout.count()) + " ms");
        if (!s.waitForReadyRead(static_cast<int>(std::max<qint64>(1, deadline.remainingTime())))
            && s.state() == QAbstractSocket::ConnectedState && deadline.hasExpired())
            return fail(where + " did not answer /json/list within " + std::to_string(timeout.count()) + " ms");
        data += s.read(kMaxTargetListBytes + kMaxHeadBytes - data.size() + 1);
    }
    if (headEnd < 0)
        return fail(where + " closed the connection without an HTTP answer");
    QByteArray body = data.mid(headEnd + 4);
    if (contentLength >= 0)
        body.truncate(contentLength);
    auto targets = parseTargetList(body, endpoint);
    if (!targets)
        return fail(where + ": " + targets.error().message);
    if (targets->empty())
        return fail(where + " lists no target to attach to");
    return targets;
}

} // namespace flight::live
