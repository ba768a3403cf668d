// SPDX-License-Identifier: MIT
#include "option_cursor.h"

#include <cstdio>

namespace flight::agent {

bool OptionCursor::next()
{
    if (m_next >= m_args.size())
        return false;
    m_at = m_next++;
    return true;
}

std::optional<QString> OptionCursor::value()
{
    if (m_next >= m_args.size())
        return std::nullopt;
    return m_args[m_next++];
}

std::optional<qulonglong> OptionCursor::count(qulonglong min, qulonglong max)
{
    const auto v = value();
    bool ok = false;
    const qulonglong n = v ? v->toULongLong(&ok) : 0;
    if (!ok || n < min || n > max)
        return std::nullopt;
    return n;
}

std::optional<double> OptionCursor::positive()
{
    const auto v = value();
    bool ok = false;
    const double d = v ? v->toDouble(&ok) : 0.0;
    if (!ok || !(d > 0))
        return std::nullopt;
    return d;
}

int usageError(const char* command, const QString& message)
{
    std::fprintf(stderr, "flight-agent %s: %s\n", command, qPrintable(message));
    return 2;
}

} // namespace flight::agent
