// SPDX-License-Identifier: MIT
#pragma once
// Reads a bearer token from a file (`--token-file F`): the whole file with
// surrounding whitespace trimmed. The token is returned, never logged.

#include "model/memory_error.h"

#include <QByteArray>
#include <QString>

namespace flight::live {

// Errors (io-error): the file is missing or unreadable, or holds only whitespace.
// Error messages name the file, never its content.
Result<QByteArray> readTokenFile(const QString& path);

} // namespace flight::live
