// SPDX-License-Identifier: MIT
#pragma once
// Remembers bearer tokens in the desktop's keychain (QtKeychain: Secret
// Service / KWallet), keyed by the connection's URL without credentials.
// Never falls back to a file: where no keychain answers, the token is simply
// not remembered, and the caller is told why.

#include <QObject>
#include <QUrl>

namespace flight::ui {

class TokenKeychain : public QObject {
    Q_OBJECT
public:
    explicit TokenKeychain(QObject* parent = nullptr);

    void store(const QUrl& url, const QByteArray& token);
    void load(const QUrl& url);
    void forget(const QUrl& url);
    // The key a URL's token is filed under: scheme://host:port/path, nothing secret.
    static QString keyFor(const QUrl& url);

Q_SIGNALS:
    void stored(const QUrl& url, bool ok, const QString& error);
    void loaded(const QUrl& url, const QByteArray& token, const QString& error); // empty token: none
};

} // namespace flight::ui
