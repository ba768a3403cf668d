// SPDX-License-Identifier: MIT
#pragma once
// A minimal Chrome DevTools Protocol client over one QWebSocket: commands
// with ids and a reply timeout each, events by method name. What the peer
// sends is untrusted: a message over maxMessageBytes closes the link, replies
// that are not JSON objects are dropped, and nothing it sends is printed
// without printableText. Runs on the thread that creates it.

#include "model/memory_error.h"

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QUrl>

#include <chrono>
#include <functional>
#include <memory>

namespace flight::live {

struct CdpClientOptions {
    std::chrono::milliseconds connectTimeout{3000};
    std::chrono::milliseconds replyTimeout{2000};   // per command
    qint64 maxMessageBytes = 8 * 1024 * 1024;        // one frame or message from the target
};

class CdpClient final : public QObject {
    Q_OBJECT
public:
    // The command's `result` object, or an error: the target's own error
    // (its message, made printable), a timeout, or the link closing.
    using Reply = std::function<void(Result<QJsonObject>)>;

    explicit CdpClient(CdpClientOptions options = {}, QObject* parent = nullptr);
    ~CdpClient() override;

    void open(const QUrl& url);
    // Sends `method` with `params`; `reply` is called exactly once (unless
    // the client is destroyed first), never inside call().
    // `timeout` 0 = CdpClientOptions::replyTimeout.
    void call(const QString& method, const QJsonObject& params, Reply reply,
              std::chrono::milliseconds timeout = std::chrono::milliseconds(0));
    // Closes the link (1000); pending replies are dropped (never called) and
    // no signal comes after it.
    void close();
    bool isOpen() const;

Q_SIGNALS:
    void opened();
    void event(const QString& method, const QJsonObject& params);
    // The link is gone (or could not be made); `reason` says why, printable.
    void closed(const QString& reason);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace flight::live
