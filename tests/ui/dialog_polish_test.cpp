// SPDX-License-Identifier: MIT
// The export and connect dialogs as a first-time user meets them: labels
// without literal ampersands, the last export folder remembered, no error
// before anything is typed.
#include "connections/connect_dialog.h"
#include "export/export_report_dialog.h"

#include <gtest/gtest.h>

#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace flight;
using namespace flight::ui;

namespace {
QPushButton* okButton(QDialog& d)
{
    return d.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
}
} // namespace

TEST(DialogPolish, ExportLabelsShowNoLiteralAmpersand)
{
    ExportReportDialog d(std::nullopt);
    d.show();
    int mnemonics = 0;
    for (QLabel* l : d.findChildren<QLabel*>()) {
        if (!l->text().contains(QLatin1Char('&')))
            continue;
        // A label shows '&' as an underline only when it has a buddy; without one the '&' is drawn.
        EXPECT_NE(l->buddy(), nullptr) << l->text().toStdString() << " is drawn with its '&'";
        ++mnemonics;
    }
    EXPECT_GE(mnemonics, 4);
}

TEST(DialogPolish, ExportRemembersTheLastFolder)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString folder = dir.filePath(QStringLiteral("reports"));
    ASSERT_TRUE(QDir().mkpath(folder));
    {
        ExportReportDialog d(std::nullopt);
        d.show();
        auto* path = d.findChild<QLineEdit*>();
        ASSERT_NE(path, nullptr);
        path->selectAll();
        QTest::keyClicks(path, folder + QStringLiteral("/week-12.html"));
        QTest::mouseClick(okButton(d), Qt::LeftButton);
        ASSERT_EQ(d.result(), QDialog::Accepted);
    }
    ExportReportDialog again(std::nullopt);
    EXPECT_EQ(QFileInfo(again.path()).absolutePath(), folder);
    EXPECT_EQ(QFileInfo(again.path()).suffix(), QStringLiteral("html"));
    // Cancelled, the folder stays what it was.
    {
        ExportReportDialog d(std::nullopt);
        d.show();
        auto* path = d.findChild<QLineEdit*>();
        path->selectAll();
        QTest::keyClicks(path, QDir::tempPath() + QStringLiteral("/elsewhere.html"));
        QTest::keyClick(&d, Qt::Key_Escape);
    }
    EXPECT_EQ(QFileInfo(ExportReportDialog(std::nullopt).path()).absolutePath(), folder);
}

TEST(DialogPolish, ConnectShowsNoErrorBeforeAnythingIsTyped)
{
    QSettings().remove(QStringLiteral("connect/lastUrl"));
    ConnectDialog d;
    d.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&d));
    const auto visibleText = [&d]() {
        QString all;
        for (QLabel* l : d.findChildren<QLabel*>())
            if (l->isVisible() && l->buddy() == nullptr && !l->text().isEmpty() && l->text() != QStringLiteral("TLS:")
                && !l->text().startsWith(QStringLiteral("none")))
                all += l->text();
        return all;
    };
    EXPECT_TRUE(visibleText().isEmpty()) << visibleText().toStdString();
    EXPECT_FALSE(okButton(d)->isEnabled()); // still nothing to connect to
    auto* url = d.findChild<QLineEdit*>();
    ASSERT_NE(url, nullptr);
    url->setFocus();
    QTest::keyClicks(url, QStringLiteral("http://x"));
    EXPECT_TRUE(visibleText().contains(QStringLiteral("ws://"))) << visibleText().toStdString();
    // Emptied again: the hint, no longer an error.
    url->selectAll();
    QTest::keyClick(url, Qt::Key_Delete);
    EXPECT_TRUE(visibleText().isEmpty()) << visibleText().toStdString();
    QTest::keyClicks(url, QStringLiteral("ws://127.0.0.1:8765"));
    EXPECT_TRUE(okButton(d)->isEnabled());
}
