// SPDX-License-Identifier: MIT
#include "command_output.h"

#include "protocol/printable_text.h"

#include <QFile>

#include <cstdio>
#include <unistd.h>

namespace flight::app {

int writeCommandOutput(const char* command, const QString& out, const std::string& text)
{
    if (out.isEmpty() || out == QStringLiteral("-")) {
        if (::isatty(::fileno(stdout))) {
            const std::string shown = protocol::printableText(text, true);
            std::fwrite(shown.data(), 1, shown.size(), stdout);
        } else {
            std::fwrite(text.data(), 1, text.size(), stdout);
        }
        return std::fflush(stdout) == 0 ? 0 : 2;
    }
    QFile f(out);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        std::fprintf(stderr, "flight-inspector %s: cannot write %s: %s (check the folder exists and is writable)\n", command,
                     qPrintable(out), qPrintable(f.errorString()));
        return 2;
    }
    if (f.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size())) {
        std::fprintf(stderr, "flight-inspector %s: cannot write %s: %s\n", command, qPrintable(out), qPrintable(f.errorString()));
        return 2;
    }
    return 0;
}

QByteArray printable(const std::string& text)
{
    return QByteArray::fromStdString(protocol::printableText(text));
}

QByteArray printable(const QString& text) { return printable(text.toStdString()); }

} // namespace flight::app
