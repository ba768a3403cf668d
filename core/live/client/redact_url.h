// SPDX-License-Identifier: MIT
#pragma once
// The form of a URL that may be shown, logged or written to a recording: the
// user info (user:password@), the query (?token=...) and the fragment removed.

#include <QString>
#include <QUrl>

namespace flight::live {

QString redactUrl(const QUrl& url);

} // namespace flight::live
