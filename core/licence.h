// SPDX-License-Identifier: MIT
#pragma once
// The project's licence as the programs state it (--version, the About
// dialog): one wording everywhere, matching LICENSE and packaging/copyright.

namespace flight {

inline constexpr char kLicenceLine[] = "Licensed under the MIT licence (SPDX: MIT).";
inline constexpr char kCopyrightLine[] = "Copyright (c) 2026 Flight Memory Inspector developers";

} // namespace flight
