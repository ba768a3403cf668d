// SPDX-License-Identifier: MIT
#pragma once

namespace flight::app {
// Runs the window (or renders it for --screenshot). Returns the exit code.
int guiMain(int argc, char** argv);
} // namespace flight::app
