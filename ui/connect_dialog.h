#pragma once
// File › Connect…: a ws:// or wss:// URL, an optional bearer token and an
// optional certificate to trust. The token stays in memory: this build has no
// keychain support, so it is never remembered (and never written anywhere).

#include <QDialog>
#include <QSslCertificate>
#include <QUrl>

class QLabel;
class QLineEdit;
class QPushButton;

namespace flight::ui {

class ConnectDialog : public QDialog {
    Q_OBJECT
public:
    explicit ConnectDialog(QWidget* parent = nullptr);

    QUrl url() const;
    QByteArray token() const;
    QList<QSslCertificate> trustedCertificates() const { return m_trusted; }
    // Empty when the input can be used, else what to fix.
    QString problem() const;

private:
    void validate();
    void chooseCertificate();

    QLineEdit* m_url = nullptr;
    QLineEdit* m_token = nullptr;
    QLabel* m_certificate = nullptr;
    QLabel* m_error = nullptr;
    QPushButton* m_ok = nullptr;
    QList<QSslCertificate> m_trusted;
};

} // namespace flight::ui
