// SPDX-License-Identifier: MIT
#pragma once
// Reading Linux pseudo-files (/proc, /sys/fs/cgroup): they report size 0, so
// they are read to EOF with read(2); and the two text layouts they use.

#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flight::live {

// The whole file, or nullopt when it cannot be opened/read.
std::optional<std::string> readProcFile(const QString& path);

// "Key:   1234 kB" lines (/proc/PID/status, smaps, /proc/meminfo): the value in
// bytes (kB x 1024; a value without unit as is). nullopt when the key is absent.
std::optional<std::uint64_t> procKbField(std::string_view text, std::string_view key);

// "key 1234" lines (cgroup memory.stat): the value; nullopt when absent.
std::optional<std::uint64_t> flatKeyValue(std::string_view text, std::string_view key);

// A file holding one number (memory.current), or "max" (nullopt, as for unreadable).
std::optional<std::uint64_t> readNumberFile(const QString& path);

} // namespace flight::live
