// SPDX-License-Identifier: MIT
// The GUI's live path keeps a bearer token secret: `flight-inspector --connect
// URL --token-file F` (the real binary, offscreen, with its own HOME and XDG
// folders) connects to a producer that requires the token, records the live
// session and exits; then every file it left (live recording, settings,
// caches, the screenshot) and its stdout/stderr are searched for the token's
// bytes and for a secret in the URL's query. (capture's outputs are checked
// the same way in tests/app/capture_command_test.cpp.)
#include "fault_test_support.h"

#include "protocol/recording_reader.h"

#include <gtest/gtest.h>

#include <QDirIterator>
#include <QTemporaryDir>

using namespace flight;
using namespace flight::faulttest;

namespace {

TEST(TokenSecrecy, GuiLivePathWritesTheTokenNowhere)
{
    livetest::ensureCoreApp();
    const QByteArray token = "gui-tok-4b1d9e77";
    const QByteArray querySecret = "qsecret-90c2";
    const livetest::Stream stream = livetest::makeStream(2, 300);
    livetest::TestProducer::Options po;
    po.requiredToken = token;
    livetest::TestProducer server(stream, po);
    QUrl url = server.url();
    url.setQuery(QStringLiteral("key=") + QString::fromLatin1(querySecret));

    QTemporaryDir home;
    const QString tokenFile = home.filePath(QStringLiteral("token.txt"));
    ASSERT_TRUE(test::writeFile(tokenFile.toStdString(), (token + "\n").toStdString()));
    QProcessEnvironment env = headlessEnvironment();
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), home.filePath(QStringLiteral("cache")));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    QProcess gui;
    gui.setProcessEnvironment(env);
    gui.start(QStringLiteral(FLIGHT_INSPECTOR_EXE),
              {"--connect", url.toString(), "--token-file", tokenFile, "--screenshot",
               home.filePath(QStringLiteral("shot.png")), "--wait", "1500"});
    ASSERT_TRUE(gui.waitForStarted(5000));
    // the producer runs on this thread: keep its event loop going meanwhile
    ASSERT_TRUE(livetest::waitUntil([&] { return gui.state() == QProcess::NotRunning; }, 20000));
    const QByteArray out = gui.readAllStandardOutput();
    const QByteArray err = gui.readAllStandardError();
    ASSERT_EQ(gui.exitCode(), 0) << err.toStdString();

    // it did use the token, and received the stream
    ASSERT_FALSE(server.authorizationHeaders().isEmpty());
    EXPECT_EQ(server.authorizationHeaders().first(), "Bearer " + token);
    EXPECT_EQ(server.itemsSent(), static_cast<int>(stream.items.size()));

    int files = 0;
    bool sawRecording = false;
    QDirIterator it(home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (path == tokenFile)
            continue;
        ++files;
        const QByteArray bytes = readAll(path);
        if (path.contains(QStringLiteral("/live/live-")) && path.endsWith(QStringLiteral(".fmr"))) {
            // format 2 is compressed: the secrets are looked for in its lines too
            sawRecording = true;
            int lines = 0;
            flight::protocol::readRecording(path.toStdString(), [&](std::string_view line, std::uint64_t, bool) {
                ++lines;
                EXPECT_EQ(line.find(token.toStdString()), std::string_view::npos);
                EXPECT_EQ(line.find(querySecret.toStdString()), std::string_view::npos);
            });
            EXPECT_EQ(lines, static_cast<int>(stream.items.size()) + 1) << "the live recording is complete";
        }
        EXPECT_FALSE(bytes.contains(token)) << "token in " << path.toStdString();
        EXPECT_FALSE(bytes.contains(querySecret)) << "URL secret in " << path.toStdString();
    }
    EXPECT_TRUE(sawRecording) << "the live recording was written under XDG_DATA_HOME";
    EXPECT_GE(files, 2); // the recording and the screenshot at least
    for (const QByteArray& secret : {token, querySecret}) {
        EXPECT_FALSE(out.contains(secret)) << secret.toStdString();
        EXPECT_FALSE(err.contains(secret)) << secret.toStdString();
    }
}

} // namespace
