// SPDX-License-Identifier: MIT
#pragma once
// A client of the Prometheus HTTP API (Prometheus, Thanos, Mimir,
// VictoriaMetrics): instant queries (/api/v1/query) and range queries
// (/api/v1/query_range). Each call blocks the calling thread until the answer,
// an error or the timeout (it runs a local event loop for QtNetwork): call it
// from a worker thread or a headless command, never the UI thread. Answers
// larger than maxResponseBytes are refused. Errors say where and what to do.

#include "fleet/prometheus_response.h"
#include "model/memory_error.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <cstdint>
#include <functional>
#include <vector>

namespace flight::fleet {

struct PrometheusClientOptions {
    int timeoutMs = 15'000;
    std::int64_t maxResponseBytes = 128LL * 1024 * 1024;
    QByteArray bearerToken;  // sent as Authorization: Bearer when not empty; never shown
    PromResponseLimits limits;
    // Polled while a query runs (and before it starts): true ends it at once
    // with an error, so a worker never keeps its owner (or the application's
    // exit) waiting on a slow or unreachable Prometheus.
    std::function<bool()> cancelled;
};

class PrometheusClient {
public:
    explicit PrometheusClient(QUrl base, PrometheusClientOptions options = {});

    // The base URL as shown to people (user info and query removed).
    QString displayUrl() const;
    // http(s)://host[:port][/prefix]; an error says what is wrong with it.
    static Result<QUrl> parseUrl(const QString& text);

    // The instant vector `promql` at `atMs` (now when 0).
    Result<std::vector<PromSeries>> query(const QString& promql, std::int64_t atMs = 0) const;
    // The matrix of `promql` from startMs to endMs every stepSeconds.
    Result<std::vector<PromSeries>> queryRange(const QString& promql, std::int64_t startMs, std::int64_t endMs,
                                               std::int64_t stepSeconds) const;

private:
    Result<std::vector<PromSeries>> get(const QString& path, const QList<std::pair<QString, QString>>& items) const;

    QUrl m_base;
    PrometheusClientOptions m_options;
};

// The step (whole seconds, at least 1) that gives at most maxPoints points over [startMs, endMs].
std::int64_t stepForPoints(std::int64_t startMs, std::int64_t endMs, int maxPoints);

// "24h", "90m", "30s", "7d", "1h30m": a duration in ms; an error names the text.
Result<std::int64_t> parsePromDuration(const QString& text);

} // namespace flight::fleet
