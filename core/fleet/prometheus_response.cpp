// SPDX-License-Identifier: MIT
#include "fleet/prometheus_response.h"

#include "protocol/printable_text.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>

namespace flight::fleet {
namespace {

std::unexpected<MemoryError> malformed(const std::string& why)
{
    return makeError(MemoryErrorCode::MalformedInput, "Prometheus answered something that is not a query result: " + why);
}

std::string capped(const QString& text, std::size_t maxBytes)
{
    std::string s = text.toStdString();
    if (s.size() > maxBytes) {
        s.resize(maxBytes);
        // Do not leave half a UTF-8 sequence at the cut.
        while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80)
            s.pop_back();
        if (!s.empty() && static_cast<unsigned char>(s.back()) >= 0xC0)
            s.pop_back();
    }
    return s;
}

// [ <unix seconds as a number>, "<value as a string>" ]
bool readSample(const QJsonValue& v, PromSample& out)
{
    if (!v.isArray())
        return false;
    const QJsonArray a = v.toArray();
    if (a.size() != 2 || !a[0].isDouble() || !a[1].isString())
        return false;
    const double t = a[0].toDouble();
    if (!std::isfinite(t) || t < 0 || t > 1e11)
        return false;
    out.timeMs = static_cast<std::int64_t>(std::llround(t * 1000));
    bool ok = false;
    const QString text = a[1].toString();
    out.value = text.toDouble(&ok);
    if (!ok) {
        // Prometheus writes NaN, +Inf and -Inf this way.
        if (text == QLatin1String("NaN"))
            out.value = std::nan("");
        else if (text == QLatin1String("+Inf"))
            out.value = HUGE_VAL;
        else if (text == QLatin1String("-Inf"))
            out.value = -HUGE_VAL;
        else
            return false;
    }
    return true;
}

} // namespace

std::string PromSeries::label(const std::string& name) const
{
    const auto it = labels.find(name);
    return it == labels.end() ? std::string() : it->second;
}

Result<std::vector<PromSeries>> parsePrometheusResponse(QByteArrayView body, const PromResponseLimits& limits)
{
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(body.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return malformed("not JSON (" + parseError.errorString().toStdString() + " at byte "
                         + std::to_string(parseError.offset) + ")");
    if (!doc.isObject())
        return malformed("not a JSON object");
    const QJsonObject root = doc.object();
    const QString status = root.value(QStringLiteral("status")).toString();
    if (status == QStringLiteral("error")) {
        return makeError(MemoryErrorCode::MalformedInput,
                         "Prometheus refused the query: "
                             + protocol::printableText(capped(root.value(QStringLiteral("errorType")).toString(), 64))
                             + ": "
                             + protocol::printableText(capped(root.value(QStringLiteral("error")).toString(), 512)));
    }
    if (status != QStringLiteral("success"))
        return malformed("\"status\" is neither success nor error");
    const QJsonObject data = root.value(QStringLiteral("data")).toObject();
    const QString type = data.value(QStringLiteral("resultType")).toString();
    const QJsonValue result = data.value(QStringLiteral("result"));
    std::vector<PromSeries> out;
    if (type == QStringLiteral("scalar")) {
        PromSeries s;
        PromSample sample;
        if (!readSample(result, sample))
            return malformed("a scalar result is not [time, \"value\"]");
        s.samples.push_back(sample);
        out.push_back(std::move(s));
        return out;
    }
    if (type != QStringLiteral("vector") && type != QStringLiteral("matrix"))
        return malformed("resultType is not vector, matrix or scalar");
    if (!result.isArray())
        return malformed("\"result\" is not an array");
    const QJsonArray series = result.toArray();
    if (static_cast<std::size_t>(series.size()) > limits.maxSeries)
        return makeError(MemoryErrorCode::LimitExceeded,
                         "Prometheus answered " + std::to_string(series.size()) + " series, more than the "
                             + std::to_string(limits.maxSeries) + " read at once: narrow the query (--platform)");
    out.reserve(static_cast<std::size_t>(series.size()));
    const bool matrix = type == QStringLiteral("matrix");
    for (const QJsonValue& entry : series) {
        const QJsonObject o = entry.toObject();
        PromSeries s;
        const QJsonObject metric = o.value(QStringLiteral("metric")).toObject();
        if (static_cast<std::size_t>(metric.size()) > limits.maxLabels)
            return malformed("a series has " + std::to_string(metric.size()) + " labels");
        for (auto it = metric.begin(); it != metric.end(); ++it) {
            if (!it.value().isString())
                return malformed("a label value is not a string");
            s.labels[capped(it.key(), limits.maxLabelBytes)] = capped(it.value().toString(), limits.maxLabelBytes);
        }
        if (matrix) {
            const QJsonValue values = o.value(QStringLiteral("values"));
            if (!values.isArray())
                return malformed("a matrix series has no \"values\" array");
            const QJsonArray va = values.toArray();
            if (static_cast<std::size_t>(va.size()) > limits.maxSamplesPerSeries)
                return makeError(MemoryErrorCode::LimitExceeded,
                                 "Prometheus answered " + std::to_string(va.size())
                                     + " points for one series: choose a shorter range or a larger step");
            s.samples.reserve(static_cast<std::size_t>(va.size()));
            for (const QJsonValue& v : va) {
                PromSample sample;
                if (!readSample(v, sample))
                    return malformed("a point is not [time, \"value\"]");
                s.samples.push_back(sample);
            }
        } else {
            PromSample sample;
            if (!readSample(o.value(QStringLiteral("value")), sample))
                return malformed("a vector sample is not [time, \"value\"]");
            s.samples.push_back(sample);
        }
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace flight::fleet
