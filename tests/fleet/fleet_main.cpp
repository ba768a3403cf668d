// SPDX-License-Identifier: MIT
// The fleet tests' main: the shared Prometheus and agents stop when the run ends.
#include "fleet_environment.h"

#include <gtest/gtest.h>

namespace {

class StopFleet : public ::testing::Environment {
public:
    void TearDown() override { flight::fleettest::stopFleetEnvironment(); }
};

} // namespace

int main(int argc, char** argv)
{
    ::testing::InitGoogleTest(&argc, argv);
    ::testing::AddGlobalTestEnvironment(new StopFleet);
    return RUN_ALL_TESTS();
}
