// SPDX-License-Identifier: MIT
#include "protocol/recording_content.h"

namespace flight::protocol {

std::optional<std::string> notARecordingReason(const RecordingReadResult& read, const SessionStore& store)
{
    if (read.ioError || read.cancelled)
        return std::nullopt;
    const bool flight = store.recordingInfo() || store.helloServer() || store.sessionCount() > 0
                        || store.messagesApplied() > 0 || store.sessionErrors() > 0
                        || store.duplicatesDropped() > 0 || store.endedSessionsDropped() > 0;
    if (flight)
        return std::nullopt;
    if (read.lines == 0)
        return std::string("(the file is empty)");
    if (read.lines == 1)
        return std::string("(its one line is not a Flight message)");
    return "(no line of its " + std::to_string(read.lines) + " is a Flight message)";
}

} // namespace flight::protocol
