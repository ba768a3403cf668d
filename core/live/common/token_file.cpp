// SPDX-License-Identifier: MIT
#include "live/common/token_file.h"

#include <QFile>

namespace flight::live {

Result<QByteArray> readTokenFile(const QString& path)
{
    QFile file(path);
    if (!file.exists())
        return makeError(MemoryErrorCode::IoError, "token file " + path.toStdString() + " does not exist");
    if (!file.open(QIODevice::ReadOnly))
        return makeError(MemoryErrorCode::IoError,
                         "cannot read token file " + path.toStdString() + ": " + file.errorString().toStdString());
    // A token is short; refuse to slurp something that is clearly not one.
    constexpr qint64 kMaxTokenFileBytes = 64 * 1024;
    const QByteArray raw = file.read(kMaxTokenFileBytes + 1);
    if (raw.size() > kMaxTokenFileBytes)
        return makeError(MemoryErrorCode::IoError, "token file " + path.toStdString() + " is larger than 64 KiB");
    QByteArray token = raw.trimmed();
    if (token.isEmpty())
        return makeError(MemoryErrorCode::IoError, "token file " + path.toStdString() + " is empty");
    if (token.contains('\n') || token.contains('\r'))
        return makeError(MemoryErrorCode::IoError, "token file " + path.toStdString() + " holds more than one line");
    return token;
}

} // namespace flight::live
