// SPDX-License-Identifier: MIT
// With no keychain answering (no Secret Service on a CI machine's D-Bus), a
// token is simply not remembered: the caller hears why, and nothing is written
// to the settings or anywhere under the test's home.
#include "connections/token_keychain.h"

#include <gtest/gtest.h>

#include <QDirIterator>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace flight::ui;

TEST(TokenKeychain, KeyHoldsNoSecret)
{
    EXPECT_EQ(TokenKeychain::keyFor(QUrl(QStringLiteral("wss://user:pw@vm.example:8443/live?token=abc#x"))),
              QStringLiteral("wss://vm.example:8443/live"));
}

TEST(TokenKeychain, WithoutAKeychainTheTokenIsNotRememberedAnywhere)
{
    QTemporaryDir home;
    const QByteArray oldHome = qgetenv("HOME");
    const QByteArray oldBus = qgetenv("DBUS_SESSION_BUS_ADDRESS");
    qputenv("HOME", home.path().toUtf8());
    qputenv("XDG_CONFIG_HOME", (home.path() + QStringLiteral("/.config")).toUtf8());
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/flight-test-bus");

    const QByteArray token = "s3cr3t-token-for-keychain-test";
    const QUrl url(QStringLiteral("ws://127.0.0.1:8765"));
    TokenKeychain keychain;
    QSignalSpy stored(&keychain, &TokenKeychain::stored);
    keychain.store(url, token);
    ASSERT_TRUE(stored.wait(10000));
    EXPECT_FALSE(stored.at(0).at(1).toBool());
    EXPECT_FALSE(stored.at(0).at(2).toString().isEmpty()); // the reason, for the status bar

    QSignalSpy loaded(&keychain, &TokenKeychain::loaded);
    keychain.load(url);
    ASSERT_TRUE(loaded.wait(10000));
    EXPECT_TRUE(loaded.at(0).at(1).toByteArray().isEmpty());

    QSettings().sync();
    QDirIterator it(home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        ASSERT_TRUE(f.open(QIODevice::ReadOnly));
        EXPECT_FALSE(f.readAll().contains(token)) << f.fileName().toStdString();
    }
    qputenv("HOME", oldHome);
    qunsetenv("XDG_CONFIG_HOME");
    if (oldBus.isEmpty())
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    else
        qputenv("DBUS_SESSION_BUS_ADDRESS", oldBus);
}
