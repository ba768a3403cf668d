// SPDX-License-Identifier: MIT
#include "token_keychain.h"

#include <qt6keychain/keychain.h>

namespace flight::ui {
namespace {
const QString kService = QStringLiteral("flight-inspector");
}

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
    auto* job = new QKeychain::WritePasswordJob(kService, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // a token never lands in a plain file
    job->setKey(keyFor(url));
    job->setBinaryData(token);
    connect(job, &QKeychain::Job::finished, this, [this, url](QKeychain::Job* j) {
        Q_EMIT stored(url, j->error() == QKeychain::NoError, j->error() == QKeychain::NoError ? QString() : j->errorString());
    });
    job->start();
}

void TokenKeychain::load(const QUrl& url)
{
    auto* job = new QKeychain::ReadPasswordJob(kService, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(keyFor(url));
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
    auto* job = new QKeychain::DeletePasswordJob(kService, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(keyFor(url));
    job->start();
}

} // namespace flight::ui
