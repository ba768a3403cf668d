// SPDX-License-Identifier: MIT
#pragma once
// A recording file opened read-only and read with pread at any offset: the
// format-2 reader and its index read blocks whole, never the whole file.

#include "model/memory_error.h"

#include <cstdint>
#include <string>

namespace flight::recording {

struct PositionedFile {
    int fd = -1;
    std::uint64_t size = 0;
    bool regular = false; // a regular file, not a pipe or device

    // IoError "cannot open PATH: reason" when it cannot be opened or stat'ed.
    static Result<PositionedFile> open(const std::string& path);

    PositionedFile() = default;
    PositionedFile(PositionedFile&& other) noexcept;
    PositionedFile& operator=(PositionedFile&&) = delete;
    PositionedFile(const PositionedFile&) = delete;
    ~PositionedFile();

    // The n bytes at `at` into out; false at the end of the file or on an error.
    bool read(std::uint64_t at, std::size_t n, std::string& out) const;
};

} // namespace flight::recording
