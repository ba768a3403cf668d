// SPDX-License-Identifier: MIT
#include "live/sampling/psi_pressure.h"

#include <QFile>

#include <charconv>

namespace flight::live {

std::optional<double> psiSomeAvg10(std::string_view text)
{
    const auto line = text.find("some ");
    if (line == std::string_view::npos)
        return std::nullopt;
    const auto key = text.find("avg10=", line);
    if (key == std::string_view::npos)
        return std::nullopt;
    const char* begin = text.data() + key + 6;
    double value = 0;
    const auto [ptr, ec] = std::from_chars(begin, text.data() + text.size(), value);
    if (ec != std::errc() || ptr == begin)
        return std::nullopt;
    return value;
}

std::optional<double> readPsiSomeAvg10(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray text = f.read(4096);
    return psiSomeAvg10(std::string_view(text.constData(), static_cast<std::size_t>(text.size())));
}

MemoryPressure pressureFromPsi(double p)
{
    if (p < 1.0)
        return MemoryPressure::Low;
    if (p < 10.0)
        return MemoryPressure::Medium;
    if (p < 30.0)
        return MemoryPressure::High;
    return MemoryPressure::Critical;
}

} // namespace flight::live
