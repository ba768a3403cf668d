// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>

namespace flight::agent {

// `flight-agent token [FILE]`: a strong random bearer token (43 characters,
// 256 bits), written to FILE (created with mode 0600, never over an existing
// file or through a symlink) or printed on stdout. args: the whole command line.
int tokenMain(const QStringList& args);

} // namespace flight::agent
