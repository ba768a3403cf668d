// SPDX-License-Identifier: MIT
// Watching a V8 inspector port from the window: the Connect dialog offers it
// beside ws:// URLs (keys on the real dialog), and the real inspector started
// with --v8 watches a real node program through an agent of its own, which
// goes when the inspector quits while the program keeps running.

#include "connections/connect_dialog.h"

#include "live_test_support.h"
#include "process_watch.h"

#include "protocol/session_store.h"

#include <gtest/gtest.h>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDirIterator>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace flight;
using flight::livetest::waitUntil;

TEST(ConnectDialog, AV8InspectorPortIsOfferedBesideUrls)
{
    ui::ConnectDialog dialog;
    dialog.show();
    auto* kind = dialog.findChild<QComboBox*>();
    ASSERT_NE(kind, nullptr);
    auto* address = dialog.findChildren<QLineEdit*>().value(0);
    auto* token = dialog.findChildren<QLineEdit*>().value(1);
    auto* connectButton = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    ASSERT_TRUE(address && token && connectButton);
    QTest::keyClicks(address, QStringLiteral("ws://127.0.0.1:8765"));
    EXPECT_FALSE(dialog.isV8());

    kind->setFocus();
    QTest::keyClick(kind, Qt::Key_Down);
    ASSERT_TRUE(dialog.isV8());
    EXPECT_EQ(address->placeholderText(), QStringLiteral("127.0.0.1:9229"));
    EXPECT_TRUE(address->text().isEmpty()) << "the ws:// URL is kept for its own kind";
    EXPECT_FALSE(token->isEnabled()) << "the inspector port has no token";
    EXPECT_FALSE(connectButton->isEnabled());
    EXPECT_FALSE(dialog.problem().isEmpty());

    QTest::keyClicks(address, QStringLiteral("192.0.2.10:9229"));
    EXPECT_FALSE(connectButton->isEnabled());
    EXPECT_TRUE(dialog.problem().contains(QStringLiteral("Only a loopback inspector"))) << dialog.problem().toStdString();
    EXPECT_TRUE(dialog.problem().contains(QStringLiteral("ssh -L"))) << dialog.problem().toStdString();

    address->clear();
    QTest::keyClicks(address, QStringLiteral("127.0.0.1:9229"));
    EXPECT_TRUE(dialog.problem().isEmpty()) << dialog.problem().toStdString();
    EXPECT_TRUE(connectButton->isEnabled());
    EXPECT_EQ(dialog.v8Endpoint(), QStringLiteral("127.0.0.1:9229"));

    QTest::keyClick(kind, Qt::Key_Up);
    EXPECT_FALSE(dialog.isV8());
    EXPECT_EQ(address->text(), QStringLiteral("ws://127.0.0.1:8765")) << "each kind keeps what was typed for it";
    EXPECT_TRUE(token->isEnabled());
}

TEST(V8Inspector, TheWindowWatchesANodeProgramThroughItsOwnAgentAndLeavesItRunningOnQuit)
{
    QProcess node;
    QString nodeErr;
    QObject::connect(&node, &QProcess::readyReadStandardError,
                     [&] { nodeErr += QString::fromUtf8(node.readAllStandardError()); });
    node.start(QStringLiteral(FLIGHT_NODE_PATH), {QStringLiteral("--inspect=127.0.0.1:0"), QStringLiteral("-e"),
                                        QStringLiteral("const keep = []; setInterval(() => { keep.push(new Array(20000).fill(7)); "
                                                       "if (keep.length > 300) keep.length = 0; }, 20)")});
    ASSERT_TRUE(node.waitForStarted(10000));
    QString port;
    ASSERT_TRUE(waitUntil([&] {
        const auto m = QRegularExpression(QStringLiteral("Debugger listening on ws://127\\.0\\.0\\.1:(\\d+)/")).match(nodeErr);
        port = m.captured(1);
        return m.hasMatch();
    }, 15000)) << nodeErr.toStdString();

    QTemporaryDir home;
    ASSERT_TRUE(home.isValid());
    QProcess inspector;
    ASSERT_TRUE(uitest::startInspector(inspector, QStringLiteral(FLIGHT_INSPECTOR_EXE), home.path(), {QStringLiteral("--v8"), QStringLiteral("127.0.0.1:") + port}));
    QList<qint64> agents;
    ASSERT_TRUE(waitUntil([&]() {
        agents = uitest::childrenNamed(inspector.processId(), QStringLiteral("flight-agent"));
        return !agents.isEmpty();
    }, 15000)) << "the window started no agent for the V8 port";
    EXPECT_TRUE(uitest::commandLineOf(agents.front()).contains(QStringLiteral("--source v8:127.0.0.1:") + port))
        << uitest::commandLineOf(agents.front()).toStdString();

    // The window records what it watches: a live recording under its data folder.
    QString recording;
    ASSERT_TRUE(waitUntil([&]() {
        QDirIterator it(home.path(), {QStringLiteral("live-*")}, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        recording = it.hasNext() ? it.next() : QString();
        return !recording.isEmpty() && QFileInfo(recording).size() > 600;
    }, 20000)) << "no live recording of the V8 session";
    QTest::qWait(1500); // a few samples
    ::kill(static_cast<pid_t>(inspector.processId()), SIGTERM);
    ASSERT_TRUE(inspector.waitForFinished(10000));
    const bool stopped = waitUntil([&]() { return !uitest::running(agents.front()); }, 5000);
    if (!stopped)
        ::kill(static_cast<pid_t>(agents.front()), SIGKILL); // clean up what the test started
    EXPECT_TRUE(stopped) << "the V8 agent outlived the inspector";
    EXPECT_EQ(node.state(), QProcess::Running) << "the program goes on without the agent";

    protocol::SessionStore store;
    protocol::loadRecording(recording.toStdString(), store);
    ASSERT_EQ(store.sessionCount(), 1u);
    const SessionModel& session = store.session(0);
    EXPECT_EQ(session.info().sessionId.rfind("v8-", 0), 0u) << session.info().sessionId;
    EXPECT_GT(session.usage()[MemoryPurpose(StandardPurpose::VmHeap)], 1'000'000) << "node's heap, live";
    node.kill();
    node.waitForFinished(5000);
}
