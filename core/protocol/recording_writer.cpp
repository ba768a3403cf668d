// SPDX-License-Identifier: MIT
#include "protocol/recording_writer.h"

#include "protocol/message_encoder.h"
#include "protocol/zstd_resync.h"
#include "recording/compact_write_thread.h"
#include "recording/compact_writer.h"

#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace flight::protocol {

std::int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct RecordingWriter::Impl {
    RecordingWriterOptions options;
    std::string path;
    std::FILE* file = nullptr;
    ZSTD_CCtx* cctx = nullptr;
    std::string pending;
    std::vector<char> zout;
    std::unique_ptr<recording::CompactWriter> compact; // format 2
    std::unique_ptr<recording::CompactWriteThread> compactThread; // its blocks compressed and written
    std::uint64_t offset = 0;                          // bytes written to the file
    std::uint64_t written = 0;
    std::uint64_t sinceFlush = 0;
    std::uint64_t flushes = 0;
    std::chrono::steady_clock::time_point lastFlush = std::chrono::steady_clock::now();

    ~Impl()
    {
        (void)close();
    }

    Result<void> ioError(std::string what)
    {
        return makeError(MemoryErrorCode::IoError, what + " " + path + ": " + std::strerror(errno), path);
    }

    Result<void> writeRaw(const char* data, std::size_t size)
    {
        if (size && std::fwrite(data, 1, size, file) != size)
            return ioError("cannot write");
        offset += size;
        return {};
    }

    Result<void> compress(ZSTD_EndDirective mode)
    {
        ZSTD_inBuffer in{pending.data(), pending.size(), 0};
        while (true) {
            ZSTD_outBuffer out{zout.data(), zout.size(), 0};
            const std::size_t left = ZSTD_compressStream2(cctx, &out, &in, mode);
            if (ZSTD_isError(left))
                return makeError(MemoryErrorCode::IoError, std::string("zstd: ") + ZSTD_getErrorName(left), path);
            if (auto r = writeRaw(zout.data(), out.pos); !r)
                return r;
            if (mode == ZSTD_e_continue ? in.pos == in.size : left == 0)
                break;
        }
        return {};
    }

    // With zstd every flush ends a frame (not just a block): each frame then
    // decodes on its own, so a reader resynchronises at the next one after
    // corrupt data (zstd_resync.h). Costs ~10-20 bytes of frame header per flush
    // and the compression history at each flush.
    // Format 2: the block is sealed here and handed to compactThread, which
    // compresses and writes it; `wait` returns once it is in the file.
    Result<void> flush(ZSTD_EndDirective mode = ZSTD_e_end, bool wait = true)
    {
        if (!file)
            return makeError(MemoryErrorCode::IoError, "recording is closed", path);
        if (compact) {
            if (!compactThread)
                return makeError(MemoryErrorCode::IoError, "recording is not open", path);
            auto job = compact->seal(false);
            if (!job)
                return std::unexpected(MemoryError{job.error().code, job.error().message + " (" + path + ")", path});
            if (auto r = compactThread->submit(std::move(*job)); !r)
                return r;
            if (wait)
                if (auto r = compactThread->wait(); !r)
                    return r;
            sinceFlush = 0;
            ++flushes;
            lastFlush = std::chrono::steady_clock::now();
            return {};
        }
        if (cctx) {
            if (auto r = compress(mode); !r)
                return r;
        } else if (auto r = writeRaw(pending.data(), pending.size()); !r) {
            return r;
        }
        pending.clear();
        if (std::fflush(file) != 0)
            return ioError("cannot flush");
        sinceFlush = 0;
        ++flushes;
        lastFlush = std::chrono::steady_clock::now();
        return {};
    }

    Result<void> close()
    {
        if (!file)
            return {};
        Result<void> r;
        if (compact && compactThread) {
            // The last block, the footer (block index) and trailer: the mark of a closed recording.
            auto job = compact->seal(true);
            if (!job)
                r = std::unexpected(MemoryError{job.error().code, job.error().message + " (" + path + ")", path});
            else if (r = compactThread->submit(std::move(*job)); r)
                r = compactThread->wait();
            compactThread.reset();
        } else {
            r = flush(ZSTD_e_end);
        }
        compact.reset();
        if (cctx) {
            // The mark of a closed recording (a skippable frame): without it, a
            // reader knows the writer stopped after its last flush.
            const std::string mark = zstdEndMark();
            if (r)
                r = writeRaw(mark.data(), mark.size());
            ZSTD_freeCCtx(cctx);
            cctx = nullptr;
        }
        if (std::fclose(file) != 0 && r)
            r = ioError("cannot close");
        file = nullptr;
        return r;
    }

    // One line written by `write` into `pending`, its newline, and the
    // compressor fed once 64 KiB wait.
    template <typename Write>
    Result<void> appendLine(Write&& write)
    {
        if (!file)
            return makeError(MemoryErrorCode::IoError, "recording is closed", path);
        try {
            write(pending);
            pending.push_back('\n');
            ++sinceFlush;
            if (cctx && pending.size() >= (1u << 16)) {
                if (auto r = compress(ZSTD_e_continue); !r)
                    return r;
                pending.clear();
            }
        } catch (const std::exception& e) {
            return makeError(MemoryErrorCode::IoError, std::string("cannot append: ") + e.what(), path);
        }
        return {};
    }

    Result<void> flushIfDueOnAppend()
    {
        if (file && due())
            return flush(ZSTD_e_end, false);
        return {};
    }

    // The clock is read on every 16th message only (reading it cost the live
    // worker more than encoding a message); flushIfDue from a timer covers
    // the pauses in between.
    bool due(bool fromTimer = false) const
    {
        return sinceFlush >= options.flushEveryMessages
            || (sinceFlush > 0 && (fromTimer || sinceFlush % 16 == 0)
                && std::chrono::steady_clock::now() - lastFlush >= options.flushInterval);
    }
};

namespace {
// A malformed frame as one line (RecordingWriter::appendMalformed).
void keepMalformed(std::string& out, std::string_view frame)
{
    const std::string_view kept = frame.substr(0, RecordingWriter::kMaxMalformedFrameBytes);
    const std::size_t at = out.size();
    out.append(kept);
    std::replace(out.begin() + static_cast<std::ptrdiff_t>(at), out.end(), '\n', '\x01');
    if (kept.size() < frame.size())
        out.append("\x01... (" + std::to_string(frame.size()) + " bytes received)");
}
} // namespace

RecordingWriter::RecordingWriter() : d(std::make_unique<Impl>()) {}
RecordingWriter::RecordingWriter(RecordingWriter&&) noexcept = default;
RecordingWriter& RecordingWriter::operator=(RecordingWriter&&) noexcept = default;
RecordingWriter::~RecordingWriter() = default;

Result<RecordingWriter> RecordingWriter::create(const std::string& path, RecordingWriterOptions options)
{
    try {
        RecordingWriter w;
        w.d->options = std::move(options);
        w.d->path = path;
        w.d->file = std::fopen(path.c_str(), w.d->options.exclusive ? "wbx" : "wb");
        if (!w.d->file)
            return std::unexpected(w.d->ioError("cannot create").error());
        if (w.d->options.format == RecordingFormat::Compact) {
            w.d->compact = std::make_unique<recording::CompactWriter>(
                w.d->options.compressionLevel.value_or(recording::kCompactLevel));
            if (auto r = w.d->writeRaw(recording::kPreamble.data(), recording::kPreamble.size()); !r)
                return std::unexpected(r.error());
            w.d->compactThread = std::make_unique<recording::CompactWriteThread>(w.d->file, *w.d->compact, w.d->offset, path);
        } else if (w.d->options.compress) {
            w.d->cctx = ZSTD_createCCtx();
            if (!w.d->cctx)
                return makeError(MemoryErrorCode::IoError, "zstd: cannot create a compression context", path);
            ZSTD_CCtx_setParameter(w.d->cctx, ZSTD_c_compressionLevel,
                                   w.d->options.compressionLevel.value_or(kJsonlZstdLevel));
            ZSTD_CCtx_setParameter(w.d->cctx, ZSTD_c_checksumFlag, 1);
            w.d->zout.resize(ZSTD_CStreamOutSize());
        }
        Message header;
        const bool compact = w.d->compact != nullptr;
        header.payload = RecordingHeaderMsg{compact ? recording::kFormat2 : kRecordingFormat,
                                            w.d->options.createdAt ? w.d->options.createdAt : nowMs(),
                                            w.d->options.source, w.d->options.application};
        if (!w.d->options.header) {
        } else if (compact) {
            w.d->compact->add(header);
        } else {
            encodeTo(w.d->pending, header);
            w.d->pending.push_back('\n');
        }
        if (auto r = w.d->flush(); !r)
            return std::unexpected(r.error());
        return w;
    } catch (const std::exception& e) {
        return makeError(MemoryErrorCode::IoError, std::string("cannot create recording: ") + e.what(), path);
    }
}

Result<void> RecordingWriter::append(const Message& message, std::int64_t receivedAtMs)
{
    if (d->compact) {
        if (!d->file)
            return makeError(MemoryErrorCode::IoError, "recording is closed", d->path);
        try {
            d->compact->add(message, receivedAtMs);
        } catch (const std::exception& e) {
            return makeError(MemoryErrorCode::IoError, std::string("cannot append: ") + e.what(), d->path);
        }
        ++d->sinceFlush;
        ++d->written;
        return d->compact->blockFull() ? d->flush(ZSTD_e_end, false) : d->flushIfDueOnAppend();
    }
    auto r = d->appendLine([&](std::string& out) {
        Message m = message;
        m.receivedAt = receivedAtMs;
        encodeTo(out, m);
    });
    if (!r)
        return r;
    ++d->written;
    return d->flushIfDueOnAppend();
}

Result<void> RecordingWriter::appendMalformed(std::string_view frame)
{
    if (d->compact) {
        if (!d->file)
            return makeError(MemoryErrorCode::IoError, "recording is closed", d->path);
        try {
            std::string line;
            keepMalformed(line, frame);
            d->compact->addRaw(line);
        } catch (const std::exception& e) {
            return makeError(MemoryErrorCode::IoError, std::string("cannot append: ") + e.what(), d->path);
        }
        ++d->sinceFlush;
        return d->compact->blockFull() ? d->flush(ZSTD_e_end, false) : d->flushIfDueOnAppend();
    }
    auto r = d->appendLine([&](std::string& out) {
        keepMalformed(out, frame);
    });
    if (!r)
        return r;
    return d->flushIfDueOnAppend();
}

Result<void> RecordingWriter::appendKept(const Message& message)
{
    if (d->compact) {
        if (!d->file)
            return makeError(MemoryErrorCode::IoError, "recording is closed", d->path);
        d->compact->add(message);
        ++d->sinceFlush;
        ++d->written;
        return d->compact->blockFull() ? d->flush(ZSTD_e_end, false) : d->flushIfDueOnAppend();
    }
    auto r = d->appendLine([&](std::string& out) { encodeTo(out, message); });
    if (!r)
        return r;
    ++d->written;
    return d->flushIfDueOnAppend();
}

Result<void> RecordingWriter::appendLine(std::string_view line)
{
    if (line.find('\n') != std::string_view::npos)
        return makeError(MemoryErrorCode::MalformedInput, "a recording line cannot hold a newline", d->path);
    if (d->compact) {
        if (!d->file)
            return makeError(MemoryErrorCode::IoError, "recording is closed", d->path);
        d->compact->addRaw(line);
        ++d->sinceFlush;
        return d->compact->blockFull() ? d->flush(ZSTD_e_end, false) : d->flushIfDueOnAppend();
    }
    auto r = d->appendLine([&](std::string& out) { out.append(line); });
    if (!r)
        return r;
    return d->flushIfDueOnAppend();
}

Result<void> RecordingWriter::flushIfDue()
{
    if (d->file && d->due(true))
        return d->flush(ZSTD_e_end, false);
    return {};
}

Result<void> RecordingWriter::moveTo(const std::string& target)
{
    if (std::rename(d->path.c_str(), target.c_str()) != 0)
        return makeError(MemoryErrorCode::IoError,
                         "cannot move " + d->path + " to " + target + ": " + std::strerror(errno), target);
    d->path = target;
    if (d->compactThread)
        d->compactThread->setPath(target);
    return {};
}

const std::string& RecordingWriter::path() const { return d->path; }
Result<void> RecordingWriter::flush() { return d->flush(); }
Result<void> RecordingWriter::close() { return d->close(); }
std::uint64_t RecordingWriter::messagesWritten() const { return d->written; }
std::uint64_t RecordingWriter::flushCount() const { return d->flushes; }

} // namespace flight::protocol
