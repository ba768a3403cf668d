// SPDX-License-Identifier: MIT
// GoogleTest main with a QApplication, so widget tests run headless (offscreen).
#include <gtest/gtest.h>

#include <QApplication>
#include <QStandardPaths>
#include <QTemporaryDir>

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Settings written by tests (recent files, budgets) go to a test location,
    // not the user's, and one of this process's own: ctest runs test processes
    // in parallel, and a shared one let one test's recent file show up in another.
    QTemporaryDir home;
    if (!home.isValid())
        return 2;
    qputenv("HOME", home.path().toUtf8());
    for (const char* var : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"})
        qunsetenv(var);
    int result = 0;
    {
        QApplication app(argc, argv);
        QStandardPaths::setTestModeEnabled(true);
        ::testing::InitGoogleTest(&argc, argv);
        result = RUN_ALL_TESTS();
    }
    return result;
}
