// SPDX-License-Identifier: MIT
#include "live/sampling/memory_sample.h"

namespace flight::live {

using namespace flight::protocol;

Message memoryUpdateMessage(const MemorySample& sample, std::string_view sessionId, std::string_view platform,
                            std::int64_t timestampMs, std::span<const StandardPurpose> purposes,
                            std::vector<PurposeBytes>& storage)
{
    storage.clear();
    for (StandardPurpose p : purposes)
        storage.push_back(PurposeBytes{MemoryPurpose(p), sample.purpose(p)});
    MemoryUpdateMsg u;
    u.form = MemoryUpdateMsg::Form::Snapshot;
    u.sessionId = sessionId;
    u.timestamp = timestampMs;
    u.usedBytes = sample.usedBytes;
    u.totalBytes = sample.totalBytes;
    u.availableBytes = sample.totalBytes > sample.usedBytes ? sample.totalBytes - sample.usedBytes : 0;
    u.platform = platform;
    u.pressure = sample.pressure;
    u.hasByPurpose = true;
    u.byPurpose = storage;
    Message m;
    m.payload = u;
    return m;
}

} // namespace flight::live
