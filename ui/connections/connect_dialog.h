// SPDX-License-Identifier: MIT
#pragma once
// File › Connect…: a ws:// or wss:// URL, an optional bearer token and an
// optional certificate to trust; or a V8 inspector port (HOST:PORT on
// loopback), watched through an agent the window starts; or a Prometheus
// (http:// or https://, optional bearer token) whose fleet the Fleet view
// shows (File › Connect to Prometheus… opens it on that kind). The token is
// never written to a file; when the user asks, the window remembers it in the
// desktop's keychain.

#include <QDialog>
#include <QSslCertificate>
#include <QUrl>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace flight::ui {

class ConnectDialog : public QDialog {
    Q_OBJECT
public:
    // What to connect to; the combo box's rows, in this order.
    enum class Kind { Producer = 0, V8Port = 1, Prometheus = 2 };

    explicit ConnectDialog(QWidget* parent = nullptr);

    Kind kind() const;
    void setKind(Kind kind);
    // A V8 inspector port rather than a Flight producer's URL.
    bool isV8() const;
    bool isPrometheus() const;
    // HOST:PORT of the V8 inspector (isV8()).
    QString v8Endpoint() const;
    // The producer's ws:// URL, or the Prometheus' http(s):// URL (isPrometheus()).
    QUrl url() const;
    QByteArray token() const;
    bool rememberToken() const;
    // Puts `text` in the address field (Go Live: the agent's URL, for the user to add a token).
    void setAddress(const QString& text);
    // A token the keychain holds for `url`: filled in when the URL still matches.
    void setRememberedToken(const QUrl& url, const QByteArray& token);
    QList<QSslCertificate> trustedCertificates() const { return m_trusted; }
    // Empty when the input can be used, else what to fix.
    QString problem() const;

Q_SIGNALS:
    // The address now names another URL to connect to (the kind changed): the
    // window asks the keychain for a token it remembers for it.
    void rememberedTokenWanted(const QUrl& url);

private:
    void validate();
    void chooseCertificate();

    void kindChanged();

    QComboBox* m_kind = nullptr;
    QLabel* m_addressLabel = nullptr;
    QLineEdit* m_url = nullptr;
    QString m_lastText[3];         // what each kind had, so switching back restores it
    int m_shownKind = 0;           // the kind m_url's text belongs to
    QLineEdit* m_token = nullptr;
    QCheckBox* m_remember = nullptr;
    QLabel* m_certificate = nullptr;
    QPushButton* m_chooseCertificate = nullptr;
    QLabel* m_error = nullptr;
    QPushButton* m_ok = nullptr;
    QList<QSslCertificate> m_trusted;
    QString m_trustedText; // where m_trusted came from, as shown
};

} // namespace flight::ui
