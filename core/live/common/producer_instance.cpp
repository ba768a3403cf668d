// SPDX-License-Identifier: MIT
#include "live/common/producer_instance.h"

#include "protocol/message_encoder.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <cstdio>

namespace flight::live {

std::string newProducerInstance()
{
    char text[17];
    std::snprintf(text, sizeof text, "%016llx",
                  static_cast<unsigned long long>(QRandomGenerator::system()->generate64()));
    return text;
}

std::string helloWithInstance(std::string helloJson, std::string_view instance)
{
    if (instance.empty() || helloJson.empty() || helloJson.back() != '}')
        return helloJson;
    helloJson.pop_back();
    helloJson += R"(,"instance":)";
    protocol::appendJsonString(helloJson, instance);
    helloJson += '}';
    return helloJson;
}

std::optional<std::string> helloInstance(std::string_view helloFrame)
{
    // A hello comes once per link: QJsonDocument is cheap enough here and
    // keeps the field out of the decoder's hot paths.
    const QJsonDocument doc = QJsonDocument::fromJson(
        QByteArray::fromRawData(helloFrame.data(), static_cast<qsizetype>(helloFrame.size())));
    if (!doc.isObject())
        return std::nullopt;
    const QJsonValue v = doc.object().value(QLatin1String("instance"));
    if (!v.isString() || v.toString().isEmpty())
        return std::nullopt;
    return v.toString().toStdString();
}

} // namespace flight::live
