// SPDX-License-Identifier: MIT
#include "prometheus_runner.h"

#include "child_process.h"
#include "live_test_support.h"

#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>

namespace flight::promtest {

HttpAnswer httpGet(quint16 port, const QByteArray& target, const QByteArray& headers)
{
    const QByteArray all = livetest::exchangeRaw(
        port, "GET " + target + " HTTP/1.0\r\nHost: 127.0.0.1:" + QByteArray::number(port) + "\r\n" + headers + "\r\n");
    const qsizetype end = all.indexOf("\r\n\r\n");
    if (end < 0)
        return {};
    const QList<QByteArray> statusLine = all.left(all.indexOf("\r\n")).split(' ');
    return {statusLine.size() > 1 ? statusLine[1].toInt() : 0, all.mid(end + 4)};
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

QString prometheusExecutable()
{
    return QStandardPaths::findExecutable(QStringLiteral("prometheus"));
}

std::string keyOf(const std::string& name, std::map<std::string, std::string> labels)
{
    labels.erase("job");
    labels.erase("instance");
    labels.erase("exported_instance");
    labels.erase("__name__");
    std::string k = name + '{';
    for (const auto& [n, v] : labels)
        k += n + "=\"" + v + "\",";
    return k + '}';
}

Series parseExposition(const QByteArray& text, const std::string& session)
{
    Series out;
    for (const QByteArray& raw : text.split('\n')) {
        if (raw.isEmpty() || raw.startsWith('#'))
            continue;
        const std::string line = raw.toStdString();
        const std::size_t brace = line.find('{');
        const std::size_t space = line.rfind(' ');
        std::map<std::string, std::string> labels;
        std::size_t i = brace + 1;
        while (brace != std::string::npos && i < line.size() && line[i] != '}') {
            const std::size_t eq = line.find('=', i);
            std::string name = line.substr(i, eq - i);
            std::string value;
            for (i = eq + 2; line[i] != '"'; ++i) {
                if (line[i] == '\\') {
                    ++i;
                    value += line[i] == 'n' ? '\n' : line[i];
                } else {
                    value += line[i];
                }
            }
            labels[name] = value;
            ++i;
            if (line[i] == ',')
                ++i;
        }
        if (!session.empty() && labels["session"] != session)
            continue;
        out[keyOf(line.substr(0, std::min(brace, space)), labels)] = std::stod(line.substr(space + 1));
    }
    return out;
}

MetricsAgent::MetricsAgent(const QString& agentExe, const QStringList& sourceArgs)
{
    m_process.start(agentExe, QStringList{QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                          QStringLiteral("--metrics-listen"), QStringLiteral("127.0.0.1:0")}
                                  + sourceArgs);
    livetest::waitUntil([&] { return m_process.bytesAvailable() > 0 && m_process.peek(4096).count('\n') >= 2; }, 8000);
    static const QRegularExpression wsLine(QStringLiteral("^listening on (ws://\\S+)$"));
    m_websocket = wsLine.match(QString::fromUtf8(m_process.readLine()).trimmed()).captured(1);
    const QString line = QString::fromUtf8(m_process.readLine()).trimmed();
    static const QRegularExpression metricsLine(QStringLiteral("^metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics$"));
    const auto m = metricsLine.match(line);
    if (m.hasMatch())
        m_port = static_cast<quint16>(m.captured(1).toUInt());
}

MetricsAgent::~MetricsAgent()
{
    stop();
}

void MetricsAgent::stop()
{
    test::stopChild(m_process);
}

QByteArray MetricsAgent::metrics() const
{
    return httpGet(m_port, "/metrics", "Accept: application/openmetrics-text; version=1.0.0\r\n").body;
}

std::string MetricsAgent::instance() const
{
    const auto m = QRegularExpression(QStringLiteral("flight_agent_info\\{instance=\"([0-9a-f]+)\""))
                       .match(QString::fromUtf8(metrics()));
    return m.captured(1).toStdString();
}

PrometheusServer::PrometheusServer(const QString& exe, const QString& dir, const QList<quint16>& targets,
                                   const QString& rules)
    : m_port(freePort())
{
    // The scrape config of docs/fleet.md, with these agents' ports.
    QByteArray targetList;
    for (const quint16 p : targets)
        targetList += (targetList.isEmpty() ? "" : ", ") + QByteArray("'127.0.0.1:") + QByteArray::number(p) + "'";
    QByteArray config = "global:\n"
                        "  scrape_interval: 1s\n"
                        "  scrape_timeout: 1s\n"
                        "  evaluation_interval: 1s\n";
    if (!rules.isEmpty())
        config += "rule_files:\n"
                  "  - '" + rules.toUtf8() + "'\n";
    config += "scrape_configs:\n"
              "  - job_name: flight-agent\n"
              "    static_configs:\n"
              "      - targets: [" + targetList + "]\n";
    QFile f(dir + QStringLiteral("/prometheus.yml"));
    if (f.open(QIODevice::WriteOnly))
        f.write(config);
    f.close();
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(exe, {QStringLiteral("--config.file=") + dir + QStringLiteral("/prometheus.yml"),
                          QStringLiteral("--storage.tsdb.path=") + dir + QStringLiteral("/data"),
                          QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_port),
                          QStringLiteral("--log.level=warn")});
}

PrometheusServer::~PrometheusServer()
{
    stop();
}

void PrometheusServer::stop()
{
    test::stopChild(m_process, 10000);
}

QString PrometheusServer::url() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

bool PrometheusServer::waitForTargetsUp(int count, int timeoutMs) const
{
    return livetest::waitUntil([&] {
        const QJsonArray targets =
            api("/api/v1/targets")[QStringLiteral("data")].toObject()[QStringLiteral("activeTargets")].toArray();
        int up = 0;
        for (const QJsonValue& t : targets)
            up += t.toObject()[QStringLiteral("health")].toString() == QStringLiteral("up") ? 1 : 0;
        return up == count;
    }, timeoutMs);
}

QJsonObject PrometheusServer::api(const QByteArray& path) const
{
    const HttpAnswer a = httpGet(m_port, path);
    return a.status == 200 ? QJsonDocument::fromJson(a.body).object() : QJsonObject();
}

std::map<std::string, std::pair<double, qint64>> PrometheusServer::query(const QString& promql) const
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("query"), promql);
    const QJsonObject r = api("/api/v1/query?" + q.query(QUrl::FullyEncoded).toUtf8());
    std::map<std::string, std::pair<double, qint64>> out;
    for (const QJsonValue& v : r[QStringLiteral("data")].toObject()[QStringLiteral("result")].toArray()) {
        const QJsonObject metric = v.toObject()[QStringLiteral("metric")].toObject();
        std::map<std::string, std::string> labels;
        for (auto it = metric.begin(); it != metric.end(); ++it)
            labels[it.key().toStdString()] = it.value().toString().toStdString();
        const QJsonArray value = v.toObject()[QStringLiteral("value")].toArray();
        out[keyOf(labels["__name__"], labels)] = {value[1].toString().toDouble(),
                                                  static_cast<qint64>(value[0].toDouble() * 1000)};
    }
    return out;
}

std::vector<std::pair<qint64, double>> PrometheusServer::samples(const QString& selector, int seconds) const
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("query"), selector + QStringLiteral("[%1s]").arg(seconds));
    const QJsonArray result = api("/api/v1/query?" + q.query(QUrl::FullyEncoded).toUtf8())[QStringLiteral("data")]
                                  .toObject()[QStringLiteral("result")].toArray();
    std::vector<std::pair<qint64, double>> out;
    if (result.size() == 1)
        for (const QJsonValue& v : result[0].toObject()[QStringLiteral("values")].toArray())
            out.emplace_back(static_cast<qint64>(v.toArray()[0].toDouble() * 1000 + 0.5),
                             v.toArray()[1].toString().toDouble());
    return out;
}

Series PrometheusServer::values(const QString& promql) const
{
    Series s;
    for (const auto& [k, v] : query(promql))
        s[k] = v.first;
    return s;
}

} // namespace flight::promtest
