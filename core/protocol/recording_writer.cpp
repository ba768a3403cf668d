// SPDX-License-Identifier: MIT
#include "protocol/recording_writer.h"

#include "protocol/message_encoder.h"

#include <zstd.h>

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

    Result<void> flush(ZSTD_EndDirective mode = ZSTD_e_flush)
    {
        if (!file)
            return makeError(MemoryErrorCode::IoError, "recording is closed", path);
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
        Result<void> r = flush(ZSTD_e_end);
        if (cctx) {
            ZSTD_freeCCtx(cctx);
            cctx = nullptr;
        }
        if (std::fclose(file) != 0 && r)
            r = ioError("cannot close");
        file = nullptr;
        return r;
    }

    bool due() const
    {
        return sinceFlush >= options.flushEveryMessages
            || (sinceFlush > 0 && std::chrono::steady_clock::now() - lastFlush >= options.flushInterval);
    }
};

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
        if (w.d->options.compress) {
            w.d->cctx = ZSTD_createCCtx();
            if (!w.d->cctx)
                return makeError(MemoryErrorCode::IoError, "zstd: cannot create a compression context", path);
            ZSTD_CCtx_setParameter(w.d->cctx, ZSTD_c_compressionLevel, w.d->options.compressionLevel);
            ZSTD_CCtx_setParameter(w.d->cctx, ZSTD_c_checksumFlag, 1);
            w.d->zout.resize(ZSTD_CStreamOutSize());
        }
        Message header;
        header.payload = RecordingHeaderMsg{kRecordingFormat,
                                            w.d->options.createdAt ? w.d->options.createdAt : nowMs(),
                                            w.d->options.source, w.d->options.application};
        encodeTo(w.d->pending, header);
        w.d->pending.push_back('\n');
        if (auto r = w.d->flush(); !r)
            return std::unexpected(r.error());
        return w;
    } catch (const std::exception& e) {
        return makeError(MemoryErrorCode::IoError, std::string("cannot create recording: ") + e.what(), path);
    }
}

Result<void> RecordingWriter::append(const Message& message, std::int64_t receivedAtMs)
{
    if (!d->file)
        return makeError(MemoryErrorCode::IoError, "recording is closed", d->path);
    try {
        Message m = message;
        m.receivedAt = receivedAtMs;
        encodeTo(d->pending, m);
        d->pending.push_back('\n');
        ++d->written;
        ++d->sinceFlush;
        if (d->cctx && d->pending.size() >= (1u << 16)) {
            if (auto r = d->compress(ZSTD_e_continue); !r)
                return r;
            d->pending.clear();
        }
    } catch (const std::exception& e) {
        return makeError(MemoryErrorCode::IoError, std::string("cannot append: ") + e.what(), d->path);
    }
    return flushIfDue();
}

Result<void> RecordingWriter::flushIfDue()
{
    if (d->file && d->due())
        return d->flush();
    return {};
}

Result<void> RecordingWriter::moveTo(const std::string& target)
{
    if (std::rename(d->path.c_str(), target.c_str()) != 0)
        return makeError(MemoryErrorCode::IoError,
                         "cannot move " + d->path + " to " + target + ": " + std::strerror(errno), target);
    d->path = target;
    return {};
}

const std::string& RecordingWriter::path() const { return d->path; }
Result<void> RecordingWriter::flush() { return d->flush(); }
Result<void> RecordingWriter::close() { return d->close(); }
std::uint64_t RecordingWriter::messagesWritten() const { return d->written; }
std::uint64_t RecordingWriter::flushCount() const { return d->flushes; }

} // namespace flight::protocol
