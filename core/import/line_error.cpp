// SPDX-License-Identifier: MIT
#include "import/line_error.h"

#include "protocol/printable_text.h"
#include "protocol/string_caps.h"

namespace flight::import {

std::unexpected<MemoryError> lineError(std::uint64_t lineNo, const std::string& why)
{
    const std::string where = "line " + std::to_string(lineNo);
    return makeError(MemoryErrorCode::MalformedInput, where + ": " + why, where);
}

std::string shownLine(std::string_view line)
{
    return "\"" + protocol::printableText(std::string(protocol::cutText(line, 60))) + (line.size() > 60 ? "…\"" : "\"");
}

} // namespace flight::import
