// SPDX-License-Identifier: MIT
#pragma once
// A real Prometheus (Debian's `prometheus`, no mocks) and real agents with
// `--metrics-listen`, for the tests that need the fleet's history: the scrape
// test (core), the inspector's Prometheus client, Fleet model and
// check/report --prometheus. The one copy of these helpers. Everything is on
// loopback with ports found at run time; Prometheus' data goes to a directory
// the caller owns (a QTemporaryDir).

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace flight::promtest {

struct HttpAnswer {
    int status = 0;
    QByteArray body;
};

// GET over HTTP/1.0 on 127.0.0.1 (the server closes after the body).
HttpAnswer httpGet(quint16 port, const QByteArray& target, const QByteArray& headers = {});

// A free loopback port (may be taken by someone else before it is used).
quint16 freePort();

// Debian's prometheus binary, or empty when it is not installed.
QString prometheusExecutable();

// A series as a comparable key: name{label="value",...} with labels sorted,
// leaving out those Prometheus adds or renames (job, instance, exported_instance).
using Series = std::map<std::string, double>;
std::string keyOf(const std::string& name, std::map<std::string, std::string> labels);
// The sample lines of an exposition text naming `session` (all when empty).
Series parseExposition(const QByteArray& text, const std::string& session);

// `flight-agent serve --listen 127.0.0.1:0 --metrics-listen 127.0.0.1:0 ARGS`.
class MetricsAgent {
public:
    MetricsAgent(const QString& agentExe, const QStringList& sourceArgs);
    ~MetricsAgent();
    MetricsAgent(const MetricsAgent&) = delete;
    MetricsAgent& operator=(const MetricsAgent&) = delete;
    quint16 port() const { return m_port; }         // /metrics; 0 when it did not start
    QString websocket() const { return m_websocket; } // ws://127.0.0.1:PORT
    QByteArray metrics() const;                     // the OpenMetrics text
    std::string instance() const;                   // the agent's own instance id
    void stop();

private:
    QProcess m_process;
    quint16 m_port = 0;
    QString m_websocket;
};

// Prometheus scraping `targets` (loopback ports) every second with the scrape
// config of docs/fleet.md, and `rules` when given.
class PrometheusServer {
public:
    PrometheusServer(const QString& exe, const QString& dir, const QList<quint16>& targets,
                     const QString& rules = {});
    ~PrometheusServer();
    PrometheusServer(const PrometheusServer&) = delete;
    PrometheusServer& operator=(const PrometheusServer&) = delete;
    quint16 port() const { return m_port; }
    QString url() const; // http://127.0.0.1:PORT
    bool running() const { return m_process.state() == QProcess::Running; }
    QByteArray log() { return m_process.readAll(); }
    // Waits until `count` targets are up; false after timeoutMs.
    bool waitForTargetsUp(int count, int timeoutMs = 30'000) const;
    QJsonObject api(const QByteArray& path) const;
    // Instant query: every result series as key -> (value, evaluation time in ms).
    std::map<std::string, std::pair<double, qint64>> query(const QString& promql) const;
    // The raw samples of the one series `selector` names over the last `seconds`: (time in ms, value).
    std::vector<std::pair<qint64, double>> samples(const QString& selector, int seconds) const;
    Series values(const QString& promql) const;
    void stop();

private:
    QProcess m_process;
    quint16 m_port;
};

} // namespace flight::promtest
