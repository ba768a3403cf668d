// SPDX-License-Identifier: MIT
// The GUI's live path keeps a bearer token secret: `flight-inspector --connect
// URL --token-file F` (the real binary, offscreen, with its own HOME and XDG
// folders) connects to a producer that requires the token, records the live
// session and exits; then every file it left (live recording, settings,
// caches, the screenshot) and its stdout/stderr are searched for the token's
// bytes and for a secret in the URL's query. (capture's outputs are checked
// the same way in tests/app/capture_command_test.cpp; the Prometheus path's
// in tests/fleet/fleet_token_test.cpp.)
#include "fault_test_support.h"
#include "secret_search.h"

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
    QProcess gui;
    gui.setProcessEnvironment(livetest::isolatedGuiEnvironment(home.path()));
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

    bool sawRecording = false;
    QDirIterator it(home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
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
    }
    EXPECT_TRUE(sawRecording) << "the live recording was written under XDG_DATA_HOME";
    int files = 0;
    EXPECT_EQ(livetest::filesHoldingSecrets(home.path(), {token, querySecret}, {tokenFile}, &files), QStringList());
    EXPECT_GE(files, 2); // the recording and the screenshot at least
    for (const QByteArray& secret : {token, querySecret}) {
        EXPECT_FALSE(out.contains(secret)) << secret.toStdString();
        EXPECT_FALSE(err.contains(secret)) << secret.toStdString();
    }
}

} // namespace
