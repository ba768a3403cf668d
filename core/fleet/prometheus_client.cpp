// SPDX-License-Identifier: MIT
#include "fleet/prometheus_client.h"

#include "live/client/redact_url.h"
#include "protocol/printable_text.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>

namespace flight::fleet {

PrometheusClient::PrometheusClient(QUrl base, PrometheusClientOptions options)
    : m_base(std::move(base)), m_options(std::move(options))
{
}

QString PrometheusClient::displayUrl() const
{
    QUrl shown = m_base;
    shown.setUserInfo({});
    shown.setQuery(QString());
    shown.setFragment(QString());
    return shown.toString();
}

Result<QUrl> PrometheusClient::parseUrl(const QString& text)
{
    const QUrl url = QUrl::fromUserInput(text.trimmed());
    const auto bad = [&](const QString& why) {
        return makeError(MemoryErrorCode::MalformedInput,
                         QStringLiteral("\"%1\" is not a Prometheus URL: %2 (e.g. http://127.0.0.1:9090)")
                             .arg(QString::fromStdString(protocol::printableText(text.left(200).toStdString())), why)
                             .toStdString());
    };
    if (!url.isValid() || url.host().isEmpty())
        return bad(QStringLiteral("no host"));
    if (url.scheme() != QStringLiteral("http") && url.scheme() != QStringLiteral("https"))
        return bad(QStringLiteral("the scheme must be http or https"));
    return url;
}

Result<std::vector<PromSeries>> PrometheusClient::query(const QString& promql, std::int64_t atMs) const
{
    QList<std::pair<QString, QString>> items{{QStringLiteral("query"), promql}};
    if (atMs > 0)
        items.append({QStringLiteral("time"), QString::number(static_cast<double>(atMs) / 1000.0, 'f', 3)});
    return get(QStringLiteral("/api/v1/query"), items);
}

Result<std::vector<PromSeries>> PrometheusClient::queryRange(const QString& promql, std::int64_t startMs,
                                                             std::int64_t endMs, std::int64_t stepSeconds) const
{
    return get(QStringLiteral("/api/v1/query_range"),
               {{QStringLiteral("query"), promql},
                {QStringLiteral("start"), QString::number(static_cast<double>(startMs) / 1000.0, 'f', 3)},
                {QStringLiteral("end"), QString::number(static_cast<double>(endMs) / 1000.0, 'f', 3)},
                {QStringLiteral("step"), QString::number(std::max<std::int64_t>(1, stepSeconds))}});
}

Result<std::vector<PromSeries>> PrometheusClient::get(const QString& path,
                                                      const QList<std::pair<QString, QString>>& items) const
{
    QUrl url = m_base;
    QString prefix = url.path();
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    url.setPath(prefix + path);
    QUrlQuery q;
    for (const auto& [k, v] : items)
        q.addQueryItem(k, QString::fromUtf8(QUrl::toPercentEncoding(v)));
    url.setQuery(q.query(QUrl::FullyEncoded), QUrl::StrictMode);

    QNetworkRequest request(url);
    request.setRawHeader("Accept", "application/json");
    if (!m_options.bearerToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_options.bearerToken);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);

    const auto isCancelled = [this] { return m_options.cancelled && m_options.cancelled(); };
    if (isCancelled())
        return makeError(MemoryErrorCode::IoError, "the query to Prometheus was cancelled");
    // A manager of this call's own: the calling thread may be any worker.
    QNetworkAccessManager manager;
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    bool timedOut = false;
    bool tooLarge = false;
    QNetworkReply* reply = manager.get(request);
    QByteArray body;
    QObject::connect(reply, &QNetworkReply::readyRead, &loop, [&] {
        body += reply->readAll();
        if (body.size() > m_options.maxResponseBytes) {
            tooLarge = true;
            reply->abort();
        }
    });
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
        timedOut = true;
        reply->abort();
        loop.quit();
    });
    bool cancelled = false;
    QTimer cancelPoll;
    QObject::connect(&cancelPoll, &QTimer::timeout, &loop, [&] {
        if (!isCancelled())
            return;
        cancelled = true;
        reply->abort();
        loop.quit();
    });
    if (m_options.cancelled)
        cancelPoll.start(20);
    timer.start(m_options.timeoutMs);
    if (!reply->isFinished())
        loop.exec();
    timer.stop();
    if (!tooLarge && !timedOut && reply->isOpen())
        body += reply->readAll();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    const QNetworkReply::NetworkError netError = reply->error();
    const QString netText = reply->errorString();
    reply->deleteLater();

    const QString where = displayUrl();
    const auto fail = [](MemoryErrorCode code, const QString& text) { return makeError(code, text.toStdString()); };
    if (cancelled)
        return fail(MemoryErrorCode::IoError, QStringLiteral("the query to Prometheus at %1 was cancelled").arg(where));
    if (timedOut)
        return fail(MemoryErrorCode::IoError,
                    QStringLiteral("Prometheus at %1 did not answer within %2 s: is it overloaded, or the query too "
                                   "large (try a shorter --since)?")
                        .arg(where)
                        .arg(m_options.timeoutMs / 1000.0));
    if (tooLarge)
        return fail(MemoryErrorCode::LimitExceeded,
                    QStringLiteral("Prometheus at %1 answered more than %2 MiB: narrow the query (--platform, a "
                                   "shorter --since)")
                        .arg(where)
                        .arg(m_options.maxResponseBytes / (1024 * 1024)));
    if (status == 0) {
        return fail(MemoryErrorCode::IoError,
                    QStringLiteral("cannot reach Prometheus at %1: %2 (is it running? check the URL and port)")
                        .arg(where, QString::fromStdString(protocol::printableText(netText.left(300).toStdString()))));
    }
    // Prometheus answers 400 / 422 / 503 with its JSON error: say what it says.
    if (status != 200) {
        QString detail;
        if (auto parsed = parsePrometheusResponse(body, m_options.limits); !parsed)
            detail = QString::fromStdString(parsed.error().message);
        if (detail.startsWith(QStringLiteral("Prometheus answered something")))
            detail = QString::fromStdString(protocol::printableText(body.left(200).toStdString()));
        QString hint;
        if (status == 401 || status == 403)
            hint = QStringLiteral(" (it needs a token or does not allow this client)");
        else if (status == 404)
            hint = QStringLiteral(" (is this the Prometheus URL? the API is under /api/v1)");
        else if (status == 503)
            hint = QStringLiteral(" (it is starting or overloaded: try again)");
        return fail(status == 400 || status == 422 ? MemoryErrorCode::MalformedInput : MemoryErrorCode::IoError,
                    QStringLiteral("Prometheus at %1 answered %2 %3%4%5")
                        .arg(where)
                        .arg(status)
                        .arg(reason, hint, detail.isEmpty() ? QString() : QStringLiteral(": ") + detail));
    }
    (void)netError;
    auto parsed = parsePrometheusResponse(body, m_options.limits);
    if (!parsed)
        return makeError(parsed.error().code,
                         QStringLiteral("Prometheus at %1: %2").arg(where, QString::fromStdString(parsed.error().message))
                             .toStdString());
    return parsed;
}

std::int64_t stepForPoints(std::int64_t startMs, std::int64_t endMs, int maxPoints)
{
    const std::int64_t range = std::max<std::int64_t>(0, endMs - startMs);
    const std::int64_t points = std::max(1, maxPoints);
    // ceil(range / points) in whole seconds: at most points + 1 points from start to end.
    return std::max<std::int64_t>(1, (range + points * 1000 - 1) / (points * 1000));
}

Result<std::int64_t> parsePromDuration(const QString& text)
{
    static const QRegularExpression part(QStringLiteral("(\\d+)(ms|s|m|h|d|w)"));
    std::int64_t total = 0;
    qsizetype at = 0;
    auto it = part.globalMatch(text.trimmed());
    const QString t = text.trimmed();
    while (it.hasNext()) {
        const auto m = it.next();
        if (m.capturedStart() != at)
            break;
        at = m.capturedEnd();
        const std::int64_t n = m.captured(1).left(9).toLongLong();
        const QString unit = m.captured(2);
        const std::int64_t factor = unit == QStringLiteral("ms") ? 1
            : unit == QStringLiteral("s")                          ? 1000
            : unit == QStringLiteral("m")                          ? 60'000
            : unit == QStringLiteral("h")                          ? 3'600'000
            : unit == QStringLiteral("d")                          ? 86'400'000
                                                                   : 7 * 86'400'000LL;
        total += n * factor;
    }
    if (t.isEmpty() || at != t.size() || total <= 0 || total > 400LL * 86'400'000)
        return makeError(MemoryErrorCode::MalformedInput,
                         QStringLiteral("\"%1\" is not a duration: write e.g. 24h, 90m, 7d or 1h30m (at most 400d)")
                             .arg(t.left(40))
                             .toStdString());
    return total;
}

} // namespace flight::fleet
