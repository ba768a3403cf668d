// SPDX-License-Identifier: MIT
// The fleet tests' main: a QApplication for the view tests; the shared
// Prometheus and agents stop when the run ends.
#include "fleet_environment.h"

#include <QApplication>

#include <gtest/gtest.h>

namespace {

class StopFleet : public ::testing::Environment {
public:
    void TearDown() override { flight::fleettest::stopFleetEnvironment(); }
};

} // namespace

int main(int argc, char** argv)
{
    // The Fleet view's tests need widgets: a QApplication (offscreen) for the whole run.
    qputenv("QT_QPA_PLATFORM", qEnvironmentVariable("QT_QPA_PLATFORM", QStringLiteral("offscreen")).toUtf8());
    QApplication app(argc, argv);
    flight::fleettest::settingsFolder(); // before any window reads or writes settings
    ::testing::InitGoogleTest(&argc, argv);
    ::testing::AddGlobalTestEnvironment(new StopFleet);
    return RUN_ALL_TESTS();
}
