// SPDX-License-Identifier: MIT
#include "size_format.h"

#include "display_settings.h"

#include "model/memory_size.h"

namespace flight::ui {

QString formatSize(std::uint64_t bytes)
{
    return QString::fromStdString(formatBytes(bytes, DisplaySettings::instance().units()));
}

QString formatSignedSize(std::int64_t bytes)
{
    return QString::fromStdString(formatSignedBytes(bytes, DisplaySettings::instance().units()));
}

void chooseUnit(double bytes, double* unitBytes, QString* unitName)
{
    const ByteScale scale = byteScaleFor(bytes, DisplaySettings::instance().units());
    *unitBytes = scale.unitBytes;
    *unitName = QString::fromLatin1(scale.name);
}

} // namespace flight::ui
