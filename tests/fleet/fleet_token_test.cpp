// SPDX-License-Identifier: MIT
// A bearer token for Prometheus from the window, against the real Prometheus
// of fleet_environment.h behind a real gate that requires the token
// (bearer_gate.h): File › Connect to Prometheus… (the Connect dialog, keys on
// the real dialog) opens the Fleet view and a VM's history with the token on
// every request; without it the gate refuses and the view says so. Then the
// real binary (`--prometheus URL --prometheus-token-file F`, offscreen, its
// own HOME) sends it and writes it nowhere: not in settings, caches, the
// screenshot, stdout or stderr (the live path's test: tests/faults/token_secrecy_test.cpp).
#include "bearer_gate.h"
#include "fleet_environment.h"
#include "live_test_support.h"
#include "secret_search.h"

#include "connections/connect_dialog.h"
#include "loading/fleet_loader.h"
#include "models/fleet_table_model.h"
#include "sessions/sessions_page.h"
#include "views/fleet_page.h"
#include "window/main_window.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <gtest/gtest.h>

using namespace flight;
using fleettest::FleetEnvironment;
using fleettest::settled;

namespace {

void expectOnlyTheToken(const promtest::BearerGate& gate, const QByteArray& token)
{
    for (const QByteArray& header : gate.authorizationHeaders())
        EXPECT_EQ(header, "Bearer " + token);
    EXPECT_EQ(gate.refused(), 0);
}

} // namespace

TEST(FleetToken, TheConnectDialogOffersAPrometheusWithAToken)
{
    QSettings().remove(QStringLiteral("connect"));
    ui::ConnectDialog dialog;
    dialog.show();
    auto* kind = dialog.findChild<QComboBox*>();
    const QList<QLineEdit*> edits = dialog.findChildren<QLineEdit*>();
    QPushButton* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    ASSERT_TRUE(kind && edits.size() >= 2 && ok);
    QTest::keyClicks(edits[0], QStringLiteral("ws://127.0.0.1:8765"));
    kind->setFocus();
    QTest::keyClick(kind, Qt::Key_Down);
    QTest::keyClick(kind, Qt::Key_Down);
    ASSERT_TRUE(dialog.isPrometheus());
    EXPECT_EQ(edits[0]->placeholderText(), QStringLiteral("http://127.0.0.1:9090"));
    EXPECT_TRUE(edits[0]->text().isEmpty()) << "the ws:// URL is kept for its own kind";
    EXPECT_TRUE(edits[1]->isEnabled()) << "a Prometheus may need a bearer token";
    EXPECT_EQ(ok->text(), QStringLiteral("Open Fleet"));
    QTest::keyClicks(edits[0], QStringLiteral("ws://127.0.0.1:9090"));
    EXPECT_FALSE(ok->isEnabled());
    EXPECT_TRUE(dialog.problem().contains(QStringLiteral("http or https"))) << dialog.problem().toStdString();
    edits[0]->clear();
    QTest::keyClicks(edits[0], QStringLiteral("https://prometheus.example:9090/prom"));
    EXPECT_TRUE(ok->isEnabled()) << dialog.problem().toStdString();
    EXPECT_EQ(dialog.url(), QUrl(QStringLiteral("https://prometheus.example:9090/prom")));
    QTest::keyClicks(edits[1], QStringLiteral("t0k"));
    EXPECT_EQ(dialog.token(), QByteArray("t0k"));
    if (const QString dir = qEnvironmentVariable("FLIGHT_SCREENSHOT_DIR"); !dir.isEmpty()) {
        QCoreApplication::processEvents();
        dialog.grab().save(QDir(dir).filePath(QStringLiteral("connect-prometheus.png")));
    }
    QTest::keyClick(kind, Qt::Key_Up);
    QTest::keyClick(kind, Qt::Key_Up);
    EXPECT_EQ(edits[0]->text(), QStringLiteral("ws://127.0.0.1:8765")) << "each kind keeps what was typed for it";
    EXPECT_EQ(ok->text(), QStringLiteral("Connect"));
}

TEST(FleetToken, TheConnectDialogOpensTheFleetWithABearerToken)
{
    FleetEnvironment& env = settled();
    ASSERT_TRUE(env.error.isEmpty());
    // The window's settings go to the test process's own folder, searched for the token at the end.
    const QString settingsDir = fleettest::settingsFolder();
    const QByteArray token = "prom-tok-5e1f0c2a";
    promtest::BearerGate gate(env.prometheus->port(), token);

    ui::MainWindow window;
    window.show();
    QSignalSpy shown(window.fleetPage(), &ui::FleetPage::fleetShown);
    QString dialogProblem;
    // File › Connect to Prometheus… runs the dialog modally: it is filled in from its own event loop.
    QTimer::singleShot(0, &window, [&] {
        auto* dialog = window.findChild<ui::ConnectDialog*>();
        if (!dialog) {
            dialogProblem = QStringLiteral("no Connect dialog");
            return;
        }
        const QList<QLineEdit*> edits = dialog->findChildren<QLineEdit*>();
        QPushButton* ok = dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
        if (!dialog->isPrometheus() || edits.size() < 2 || ok->text() != QStringLiteral("Open Fleet")) {
            dialogProblem = QStringLiteral("not on its Prometheus kind: %1").arg(ok->text());
            dialog->reject();
            return;
        }
        edits[0]->clear();
        QTest::keyClicks(edits[0], gate.url());
        QTest::keyClicks(edits[1], QString::fromLatin1(token));
        if (!ok->isEnabled())
            dialogProblem = dialog->problem();
        QTest::mouseClick(ok, Qt::LeftButton);
        if (dialog->isVisible())
            dialog->reject();
    });
    window.connectPrometheus();
    ASSERT_TRUE(dialogProblem.isEmpty()) << dialogProblem.toStdString();
    ASSERT_TRUE(livetest::waitUntil([&] { return shown.count() > 0; }, 15'000))
        << window.fleetPage()->errorText().toStdString();
    EXPECT_GT(window.fleetPage()->model()->rowCount(), 0);
    EXPECT_GE(gate.passed(), 1);
    expectOnlyTheToken(gate, token);
    EXPECT_EQ(QSettings().value(QStringLiteral("connect/lastPrometheus")).toString(), gate.url());

    // A VM's history goes through the gate with the token too.
    const int before = gate.passed();
    QAbstractItemModel* view = window.fleetPage()->table()->model();
    int row = -1;
    for (int r = 0; r < view->rowCount(); ++r)
        if (view->index(r, ui::FleetTableModel::Session).data().toString() == QStringLiteral("vm-go"))
            row = r;
    ASSERT_GE(row, 0);
    window.fleetPage()->openRow(row);
    ASSERT_TRUE(livetest::waitUntil([&] { return window.sessionsPage()->sessionCount() > 0; }, 20'000))
        << window.fleetPage()->errorText().toStdString();
    EXPECT_GT(gate.passed(), before);
    expectOnlyTheToken(gate, token);
    EXPECT_FALSE(window.windowTitle().contains(QString::fromLatin1(token)));
    EXPECT_FALSE(window.statusBar()->currentMessage().contains(QString::fromLatin1(token)));

    // Without the token the gate refuses, and the view says why.
    ui::FleetPage bare;
    QSignalSpy failed(&bare, &ui::FleetPage::refreshFailed);
    bare.setPrometheus(QUrl(gate.url()));
    ASSERT_TRUE(livetest::waitUntil([&] { return failed.count() > 0; }, 15'000));
    EXPECT_GT(gate.refused(), 0);
    EXPECT_TRUE(bare.errorText().contains(QStringLiteral("answered 401"))) << bare.errorText().toStdString();
    EXPECT_TRUE(bare.errorText().contains(QStringLiteral("needs a token"))) << bare.errorText().toStdString();

    QSettings().sync();
    int searched = 0;
    EXPECT_EQ(livetest::filesHoldingSecrets(settingsDir, {token}, {}, &searched), QStringList());
    EXPECT_GE(searched, 1) << "the settings were written under the test's folder";
}

TEST(TokenSecrecy, GuiPrometheusPathWritesTheTokenNowhere)
{
    FleetEnvironment& env = settled();
    ASSERT_TRUE(env.error.isEmpty());
    const QByteArray token = "prom-gui-tok-7c3a91d0";
    const QByteArray querySecret = "prom-qsecret-41b8";
    promtest::BearerGate gate(env.prometheus->port(), token);
    QTemporaryDir home;
    const QString tokenFile = home.filePath(QStringLiteral("token.txt"));
    {
        QFile f(tokenFile);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(token + "\n");
    }
    const QString shot = home.filePath(QStringLiteral("shot.png"));
    QProcess gui;
    gui.setProcessEnvironment(livetest::isolatedGuiEnvironment(home.path()));
    gui.start(QStringLiteral(FLIGHT_INSPECTOR_PATH),
              {"--prometheus", gate.url() + QStringLiteral("/?key=") + QString::fromLatin1(querySecret),
               "--prometheus-token-file", tokenFile, "--screenshot", shot, "--wait", "15000"});
    ASSERT_TRUE(gui.waitForStarted(5000));
    // The gate runs on this thread: keep its event loop going meanwhile.
    ASSERT_TRUE(livetest::waitUntil([&] { return gui.state() == QProcess::NotRunning; }, 30'000));
    const QByteArray out = gui.readAllStandardOutput();
    const QByteArray err = gui.readAllStandardError();
    ASSERT_EQ(gui.exitCode(), 0) << err.toStdString();

    // It sent the token with every query, and Prometheus' answers came back through the gate.
    EXPECT_GE(gate.passed(), 3);
    expectOnlyTheToken(gate, token);
    EXPECT_TRUE(QFileInfo(shot).size() > 0);

    int searched = 0;
    EXPECT_EQ(livetest::filesHoldingSecrets(home.path(), {token, querySecret}, {tokenFile}, &searched), QStringList());
    EXPECT_GE(searched, 1); // the screenshot at least
    for (const QByteArray& secret : {token, querySecret}) {
        EXPECT_FALSE(out.contains(secret)) << secret.toStdString();
        EXPECT_FALSE(err.contains(secret)) << secret.toStdString();
    }
}
