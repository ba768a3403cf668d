// SPDX-License-Identifier: MIT
#include "prometheus_inputs.h"

#include "command_arguments.h"

#include "fleet/prometheus_client.h"
#include "fleet/prometheus_history.h"
#include "live/common/token_file.h"

#include <QDateTime>

namespace flight::app {

void addPrometheusOptions(QCommandLineParser& parser)
{
    parser.addOption({QStringLiteral("prometheus"),
                      QStringLiteral("Read the sessions from the Prometheus (or Thanos, Mimir, VictoriaMetrics) at URL "
                                     "instead of recordings (docs/fleet.md)."),
                      QStringLiteral("URL")});
    parser.addOption({QStringLiteral("since"),
                      QStringLiteral("--prometheus: how far back, e.g. 1h, 24h, 7d (default 1h)."),
                      QStringLiteral("DURATION"), QStringLiteral("1h")});
    parser.addOption({QStringLiteral("instance"),
                      QStringLiteral("--prometheus: only the agent scraped at TARGET (Prometheus' instance label, e.g. "
                                     "127.0.0.1:9464)."),
                      QStringLiteral("TARGET")});
    parser.addOption({QStringLiteral("prometheus-token-file"),
                      QStringLiteral("--prometheus: send the bearer token in FILE (one line)."),
                      QStringLiteral("FILE")});
}

Result<bool> readsPrometheus(const QCommandLineParser& parser, const QStringList& files, const QString& none)
{
    const bool prometheus = parser.isSet(QStringLiteral("prometheus"));
    if (prometheus && !files.isEmpty())
        return badArgument(QStringLiteral("give recordings or --prometheus URL, not both"));
    if (files.isEmpty() && !prometheus)
        return badArgument(none);
    return prometheus;
}

Result<LoadedInputs> loadPrometheusInputs(const QCommandLineParser& parser, const PrometheusInputRequest& request)
{
    auto url = fleet::PrometheusClient::parseUrl(parser.value(QStringLiteral("prometheus")));
    if (!url)
        return std::unexpected(url.error());
    auto since = fleet::parsePromDuration(parser.value(QStringLiteral("since")));
    if (!since)
        return makeError(since.error().code, "--since: " + since.error().message);
    fleet::PrometheusClientOptions options;
    if (parser.isSet(QStringLiteral("prometheus-token-file"))) {
        auto token = live::readTokenFile(parser.value(QStringLiteral("prometheus-token-file")));
        if (!token)
            return std::unexpected(token.error());
        options.bearerToken = *token;
    }
    const fleet::PrometheusClient client(*url, options);
    fleet::HistoryRequest h;
    h.session = request.session;
    h.platform = request.platform;
    h.instance = parser.value(QStringLiteral("instance"));
    h.endMs = QDateTime::currentMSecsSinceEpoch();
    h.startMs = h.endMs - *since;
    h.maxPoints = request.maxPoints;
    auto history = fleet::loadHistory(client, h);
    if (!history)
        return std::unexpected(history.error());
    LoadedInputs in;
    for (fleet::HistorySource& s : history->sources) {
        in.sources.push_back({s.instance, s.store.get()});
        in.stores.push_back(std::move(s.store));
    }
    return in;
}

} // namespace flight::app
