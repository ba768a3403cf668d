// SPDX-License-Identifier: MIT
#pragma once
// Runs the writing half of a CompactWriter (zstd, CRC, block index,
// checkpoints) and the file writes on a thread of its own, so that the thread
// recording messages only gathers them (docs/performance.md, "Format 2 write
// off the live worker"). Jobs are written in the order submitted, each
// followed by fflush; at most kMaxQueued wait (submit then waits: memory stays
// bounded when the disk is slow). The first error is kept and returned by
// every later call.

#include "model/memory_error.h"
#include "recording/compact_writer.h"

#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace flight::recording {

class CompactWriteThread {
public:
    static constexpr std::size_t kMaxQueued = 16;

    // `file` (already holding `offset` bytes) and `writer`'s write half are
    // used by the thread only until the destructor returns; errors name `path`.
    CompactWriteThread(std::FILE* file, CompactWriter& writer, std::uint64_t offset, std::string path);
    ~CompactWriteThread(); // writes what was submitted, then stops
    CompactWriteThread(const CompactWriteThread&) = delete;
    CompactWriteThread& operator=(const CompactWriteThread&) = delete;

    // Queues `job`; the error is an earlier job's.
    Result<void> submit(CompactWriteJob job);
    // Returns once every submitted job is in the file (fflushed).
    Result<void> wait();
    // Later errors name `path` (the file was moved).
    void setPath(std::string path);

private:
    void run();
    Result<void> error() const; // with m_mutex held

    std::FILE* m_file;
    CompactWriter& m_writer;
    std::uint64_t m_offset;
    std::string m_out;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake, m_done;
    std::deque<CompactWriteJob> m_queue;
    bool m_busy = false, m_stop = false;
    std::optional<MemoryError> m_error;
    std::string m_path;
    std::thread m_thread; // last: starts once the rest is built
};

} // namespace flight::recording
