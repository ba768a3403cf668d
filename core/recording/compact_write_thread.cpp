// SPDX-License-Identifier: MIT
#include "recording/compact_write_thread.h"

#include <cerrno>
#include <cstring>

namespace flight::recording {

CompactWriteThread::CompactWriteThread(std::FILE* file, CompactWriter& writer, std::uint64_t offset, std::string path)
    : m_file(file), m_writer(writer), m_offset(offset), m_path(std::move(path)), m_thread([this] { run(); })
{
}

CompactWriteThread::~CompactWriteThread()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

Result<void> CompactWriteThread::error() const
{
    if (m_error)
        return std::unexpected(*m_error);
    return {};
}

Result<void> CompactWriteThread::submit(CompactWriteJob job)
{
    std::unique_lock lock(m_mutex);
    m_done.wait(lock, [&] { return m_queue.size() < kMaxQueued || m_error; });
    if (m_error)
        return error();
    m_queue.push_back(std::move(job));
    lock.unlock();
    m_wake.notify_one();
    return {};
}

Result<void> CompactWriteThread::wait()
{
    std::unique_lock lock(m_mutex);
    m_done.wait(lock, [&] { return (m_queue.empty() && !m_busy) || m_error; });
    return error();
}

void CompactWriteThread::setPath(std::string path)
{
    std::lock_guard lock(m_mutex);
    m_path = std::move(path);
}

void CompactWriteThread::run()
{
    std::unique_lock lock(m_mutex);
    while (true) {
        m_wake.wait(lock, [&] { return !m_queue.empty() || m_stop; });
        if (m_queue.empty() || m_error)
            break; // stopped with nothing left, or failed: nothing more is written
        CompactWriteJob job = std::move(m_queue.front());
        m_queue.pop_front();
        m_busy = true;
        lock.unlock();

        std::optional<MemoryError> failed;
        const auto fail = [&](const char* what) {
            const int err = errno;
            std::lock_guard pathLock(m_mutex);
            failed = MemoryError{MemoryErrorCode::IoError, std::string(what) + " " + m_path + ": " + std::strerror(err), m_path};
        };
        m_out.clear();
        Result<void> written;
        try {
            written = m_writer.write(std::move(job), m_out, m_offset);
        } catch (const std::exception& e) { // out of memory: the recording stops, the program goes on
            written = makeError(MemoryErrorCode::IoError, std::string("cannot write the block: ") + e.what());
        }
        if (!written) {
            std::lock_guard pathLock(m_mutex);
            failed = MemoryError{written.error().code, written.error().message + " (" + m_path + ")", m_path};
        } else if (!m_out.empty() && std::fwrite(m_out.data(), 1, m_out.size(), m_file) != m_out.size()) {
            fail("cannot write");
        } else if (std::fflush(m_file) != 0) {
            fail("cannot flush");
        }
        m_offset += m_out.size();

        lock.lock();
        m_busy = false;
        if (failed && !m_error)
            m_error = std::move(failed);
        m_done.notify_all();
    }
    m_busy = false;
    m_done.notify_all();
}

} // namespace flight::recording
