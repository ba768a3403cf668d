// SPDX-License-Identifier: MIT
#include "token_keychain.h"

#include <qt6keychain/keychain.h>

namespace flight::ui {
namespace {
const QString kService = QStringLiteral("flight-inspector");

// A job on `key`'s entry, deleted when done; never with the insecure fallback:
// a token never lands in a plain file.
template <typename Job> Job* keychainJob(QObject* parent, const QString& key)
{
    auto* job = new Job(kService, parent);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    return job;
}
} // namespace

TokenKeychain::TokenKeychain(QObject* parent)
    : QObject(parent)
{
}

QString TokenKeychain::keyFor(const QUrl& url)
{
    return url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment).toString();
}

void TokenKeychain::store(const QUrl& url, const QByteArray& token)
{
    auto* job = keychainJob<QKeychain::WritePasswordJob>(this, keyFor(url));
    job->setBinaryData(token);
    connect(job, &QKeychain::Job::finished, this, [this, url](QKeychain::Job* j) {
        Q_EMIT stored(url, j->error() == QKeychain::NoError, j->error() == QKeychain::NoError ? QString() : j->errorString());
    });
    job->start();
}

void TokenKeychain::load(const QUrl& url)
{
    auto* job = keychainJob<QKeychain::ReadPasswordJob>(this, keyFor(url));
    connect(job, &QKeychain::Job::finished, this, [this, url](QKeychain::Job* j) {
        auto* read = static_cast<QKeychain::ReadPasswordJob*>(j);
        const bool ok = j->error() == QKeychain::NoError;
        Q_EMIT loaded(url, ok ? read->binaryData() : QByteArray(),
                      ok || j->error() == QKeychain::EntryNotFound ? QString() : j->errorString());
    });
    job->start();
}

void TokenKeychain::forget(const QUrl& url)
{
    auto* job = keychainJob<QKeychain::DeletePasswordJob>(this, keyFor(url));
    job->start();
}

} // namespace flight::ui
