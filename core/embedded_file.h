// SPDX-License-Identifier: MIT
#pragma once
// A data file from resources/ compiled into the binary (cmake/EmbedFiles.cmake).

#include <span>
#include <string_view>

namespace flight::embedded {

struct EmbeddedFile {
    std::string_view name; // file name, e.g. "psp.json"
    std::string_view text;
};

std::span<const EmbeddedFile> budgetFiles();

} // namespace flight::embedded
