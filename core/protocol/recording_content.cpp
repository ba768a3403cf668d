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

namespace flight::protocol {

RecordingKind recordingKindOf(std::string_view first)
{
    if (first.starts_with("desc:"))
        return RecordingKind::Massif;
    // "v 10400 3": heaptrack's version then the file format's, both hex.
    if (first.size() >= 3 && first.starts_with("v ")) {
        std::size_t fields = 0;
        bool inField = false;
        for (char c : first.substr(2)) {
            const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (c == ' ') {
                inField = false;
            } else if (!hex) {
                return RecordingKind::Flight;
            } else if (!inField) {
                inField = true;
                ++fields;
            }
        }
        if (fields == 1 || fields == 2)
            return RecordingKind::Heaptrack;
    }
    return RecordingKind::Flight;
}

} // namespace flight::protocol
