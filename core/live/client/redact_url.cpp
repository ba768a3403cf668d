// SPDX-License-Identifier: MIT
#include "live/client/redact_url.h"

namespace flight::live {

QString redactUrl(const QUrl& url)
{
    return url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment).toString();
}

} // namespace flight::live
