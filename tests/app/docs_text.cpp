// SPDX-License-Identifier: MIT
#include "docs_text.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace flight::apptest {

namespace {

QString readText(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

} // namespace

QString normaliseRoff(QString text)
{
    return text.replace(QStringLiteral("\\-"), QStringLiteral("-"));
}

QString documentationText()
{
    QString all;
    const QString root = QStringLiteral(FLIGHT_SOURCE_DIR);
    for (const auto& [folder, pattern] : {std::pair{"/docs", "*.md"}, std::pair{"/packaging/man", "*.1"}}) {
        const QDir dir(root + QLatin1String(folder));
        for (const QString& name : dir.entryList({QLatin1String(pattern)}, QDir::Files, QDir::Name))
            all += readText(dir.filePath(name)) + u'\n';
    }
    return normaliseRoff(all);
}

bool mentionsOption(const QString& text, const QString& option)
{
    const QRegularExpression re(QStringLiteral("(?<![\\w-])") + QRegularExpression::escape(option) +
                                QStringLiteral("(?![\\w-])"));
    return re.match(text).hasMatch();
}

QStringList docExample(const QString& page, const QString& name)
{
    const QStringList lines = readText(QStringLiteral(FLIGHT_SOURCE_DIR "/docs/") + page).split(u'\n');
    const QString marker = QStringLiteral("<!-- example: ") + name + QStringLiteral(" -->");
    QStringList block;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines[i].trimmed() != marker || i + 1 >= lines.size() || !lines[i + 1].startsWith(QLatin1String("```")))
            continue;
        for (qsizetype j = i + 2; j < lines.size() && !lines[j].startsWith(QLatin1String("```")); ++j)
            block << lines[j];
        return block;
    }
    return {};
}

} // namespace flight::apptest
