// SPDX-License-Identifier: MIT
#pragma once
// Where the shipped data lives at run time: installed under
// <prefix>/share/flight-inspector (the Debian package), or in the source tree
// for a build that was not installed. FLIGHT_RESOURCES_DIR overrides both.

#include <string>
#include <vector>

namespace flight {

// The resources folder (holding recordings/, budgets/, platforms/), or empty when none is found.
// `executableDir` is the folder of the running program (QCoreApplication::applicationDirPath()).
std::string resourcesDir(const std::string& executableDir);

// The sample recordings shipped with the product, sorted by file name.
std::vector<std::string> exampleRecordings(const std::string& executableDir);

} // namespace flight
