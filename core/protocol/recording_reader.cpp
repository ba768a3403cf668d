// SPDX-License-Identifier: MIT
#include "protocol/recording_reader.h"

#include "recording/compact_reader.h"

#include "protocol/newline_scanner.h"
#include "protocol/zstd_resync.h"

#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

namespace flight::protocol {

bool looksLikeZstd(std::string_view b)
{
    return b.size() >= 4 && static_cast<unsigned char>(b[0]) == 0x28 && static_cast<unsigned char>(b[1]) == 0xB5
        && static_cast<unsigned char>(b[2]) == 0x2F && static_cast<unsigned char>(b[3]) == 0xFD;
}

namespace {

struct FileCloser {
    void operator()(std::FILE* f) const { if (f) std::fclose(f); }
};
struct DStreamFree {
    void operator()(ZSTD_DStream* s) const { ZSTD_freeDStream(s); }
};

class LineSplitter {
public:
    LineSplitter(const LineSink& sink, std::size_t maxLine, RecordingReadResult& result,
                 const std::function<void(const ReadProblem&)>& onProblem, const std::function<void()>& beforeReuse)
        : m_sink(sink), m_max(maxLine), m_result(result), m_onProblem(onProblem), m_beforeReuse(beforeReuse) {}

    void addProblem(ReadProblem p)
    {
        m_result.problems.push_back(std::move(p));
        if (m_onProblem)
            m_onProblem(m_result.problems.back());
    }

    // data: followed by at least kLinePadding readable bytes (see LineSink).
    // Ends with release(), also when the sink throws: the reader reuses the
    // chunk's buffer next.
    void feed(std::string_view data)
    {
        try {
            split(data);
        } catch (...) {
            release();
            throw;
        }
        release();
    }

    void finish()
    {
        if (m_discarding) {
            refuse(m_discarded);
            m_result.endedMidLine = true;
            m_discarding = false;
        } else if (!m_carry.empty()) {
            m_result.endedMidLine = true;
            deliver(m_carry, true);
            release();
            m_carry.clear();
        }
    }

    std::uint64_t line() const { return m_line; }

    // The line being carried was cut by lost data (ZstdResync): it goes unread.
    void dropPartial()
    {
        release();
        m_carry.clear();
        m_discarding = false;
        m_discarded = 0;
    }

    // Lines delivered so far are about to become invalid (RecordingReadOptions::beforeReuse).
    void release()
    {
        if (m_beforeReuse)
            m_beforeReuse();
    }

private:
    void split(std::string_view data)
    {
        NewlineScanner newlines(data);
        while (!data.empty()) {
            const char* found = newlines.next(data.data());
            const std::size_t nl = found ? static_cast<std::size_t>(found - data.data()) : std::string_view::npos;
            const std::string_view part = data.substr(0, nl);
            if (m_discarding) {
                m_discarded += part.size();
            } else if (m_carry.empty() && nl != std::string_view::npos) {
                if (part.size() > m_max)
                    refuse(part.size());
                else
                    deliver(part, false);
            } else {
                release(); // the carry buffer is about to change
                if (m_carry.size() + part.size() > m_max) {
                    m_discarding = true;
                    m_discarded = m_carry.size() + part.size();
                    m_carry.clear();
                    m_carry.shrink_to_fit();
                } else {
                    if (m_carry.capacity() < m_carry.size() + part.size() + kLinePadding)
                        m_carry.reserve(std::max(2 * m_carry.capacity(), m_carry.size() + part.size() + kLinePadding));
                    m_carry.append(part);
                }
                if (nl != std::string_view::npos && !m_discarding) {
                    // delivered from the other buffer, which stays intact until
                    // release(): the next carry is built in this one
                    std::swap(m_carry, m_delivered);
                    deliver(m_delivered, false);
                    m_carry.clear();
                }
            }
            if (nl == std::string_view::npos)
                break;
            if (m_discarding) {
                refuse(m_discarded);
                m_discarding = false;
                m_discarded = 0;
            }
            data.remove_prefix(nl + 1);
        }
    }

    void deliver(std::string_view text, bool unterminated)
    {
        ++m_line;
        ++m_result.lines;
        if (!text.empty() && text.back() == '\r')
            text.remove_suffix(1);
        m_sink(text, m_line, unterminated);
    }
    void refuse(std::size_t size)
    {
        ++m_line;
        ++m_result.lines;
        addProblem({ReadProblemKind::LineTooLong, m_line,
                                     "line " + std::to_string(m_line) + ": " + std::to_string(size)
                                         + " bytes, over the " + std::to_string(m_max) + "-byte limit: refused"});
    }

    const LineSink& m_sink;
    std::size_t m_max;
    RecordingReadResult& m_result;
    const std::function<void(const ReadProblem&)>& m_onProblem;
    const std::function<void()>& m_beforeReuse;
    std::string m_carry;     // the line the chunk ends in, so far
    std::string m_delivered; // the last carried line delivered
    bool m_discarding = false;
    std::size_t m_discarded = 0;
    std::uint64_t m_line = 0;
};

// zstd on a second thread: it reads the file and decompresses into a ring of
// output buffers while the calling thread splits lines and runs the sink.
// Items come back in file order; problems are numbered by the consumer (the
// only one that knows line numbers), exactly as the one-thread loop did.
class ZstdPipeline {
public:
    enum class Kind : std::uint8_t { Data, Corrupt, Io, End };
    struct Item {
        Kind kind = Kind::Data;
        std::vector<char> buffer;
        std::size_t size = 0;
        std::uint64_t bytesRead = 0; // compressed bytes read so far (the furthest offset)
        std::string message;         // Corrupt (a range skipped, reading went on) / Io
        std::optional<ZstdResync::EndProblem> endProblem; // End
    };

    ZstdPipeline(std::FILE* file, std::vector<char> firstChunk, std::size_t firstSize, std::size_t chunk,
                 const std::string& path)
        : m_file(file), m_in(std::move(firstChunk)), m_inSize(firstSize), m_chunk(chunk), m_path(path)
    {
        for (int i = 0; i < kBuffers; ++i)
            m_free.push_back(std::vector<char>(chunk));
        m_thread = std::thread([this] { run(); });
    }
    ~ZstdPipeline() { stop(); }
    ZstdPipeline(const ZstdPipeline&) = delete;
    ZstdPipeline& operator=(const ZstdPipeline&) = delete;

    // The next item, in order (blocks while the decompressor works).
    Item next()
    {
        std::unique_lock lock(m_mutex);
        m_cv.wait(lock, [&] { return !m_ready.empty(); });
        Item item = std::move(m_ready.front());
        m_ready.pop_front();
        return item;
    }
    // Give a data buffer back for reuse.
    void recycle(std::vector<char> buffer)
    {
        {
            std::lock_guard lock(m_mutex);
            m_free.push_back(std::move(buffer));
        }
        m_cv.notify_all();
    }
    void stop()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_cv.notify_all();
        if (m_thread.joinable())
            m_thread.join();
    }

private:
    static constexpr int kBuffers = 3;

    bool push(Item item)
    {
        {
            std::lock_guard lock(m_mutex);
            if (m_stop)
                return false;
            m_ready.push_back(std::move(item));
        }
        m_cv.notify_all();
        return true;
    }

    void run()
    {
        try {
            produce();
        } catch (const std::exception& e) {
            Item item;
            item.kind = Kind::Io;
            item.message = std::string("reading ") + m_path + ": " + e.what();
            item.bytesRead = m_bytesRead;
            push(std::move(item));
            Item end;
            end.kind = Kind::End;
            end.bytesRead = m_bytesRead;
            push(std::move(end));
        }
    }

    // The one-thread loop's exact sequence of zstd calls (same input chunks,
    // same output window per call, same drain), so that a corrupt or cut
    // stream yields the same bytes; the output goes to ring buffers instead of
    // the splitter.
    void produce()
    {
        std::unique_ptr<ZSTD_DStream, DStreamFree> zs(ZSTD_createDStream());
        ZSTD_initDStream(zs.get());
        const std::size_t window = ZSTD_DStreamOutSize();
        const std::size_t bufferSize = std::max(m_chunk, window) + kLinePadding;
        std::vector<char> out;
        std::size_t used = 0;
        auto take = [&]() -> bool { // a free buffer with room for one window
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, [&] { return m_stop || !m_free.empty(); });
            if (m_stop)
                return false;
            out = std::move(m_free.back());
            m_free.pop_back();
            if (out.size() < bufferSize)
                out.resize(bufferSize);
            used = 0;
            return true;
        };
        auto flush = [&]() -> bool {
            if (used == 0)
                return true;
            Item data;
            data.buffer = std::move(out);
            data.size = used;
            data.bytesRead = m_bytesRead;
            out = {};
            used = 0;
            return push(std::move(data));
        };
        // Room for one window in the current buffer: false = stop.
        auto room = [&]() -> bool {
            if (out.empty() || out.size() - kLinePadding - used < window)
                return flush() && take();
            return true;
        };
        std::size_t lastRet = 0;
        std::size_t n = m_inSize;
        std::uint64_t chunkStart = 0; // file offset of m_in[0]
        m_bytesRead = n;
        while (true) {
            m_resync.sawInput(std::string_view(m_in.data(), n));
            ZSTD_inBuffer ib{m_in.data(), n, 0};
            std::optional<std::uint64_t> seekTo; // read on from there (ZstdResync::corrupt)
            while (ib.pos < ib.size) {
                if (m_resync.seeking()) {
                    const std::size_t past = m_resync.scan(std::string_view(m_in.data() + ib.pos, n - ib.pos),
                                                           chunkStart + ib.pos);
                    if (past == std::string_view::npos)
                        break;
                    ib.pos += past;
                    ZstdResync::restart(zs.get());
                    lastRet = 1; // inside a frame
                    Item lost;
                    lost.kind = Kind::Corrupt;
                    lost.message = m_resync.lostText();
                    lost.bytesRead = m_bytesRead;
                    if (!push(std::move(lost)))
                        return;
                    continue;
                }
                if (!room())
                    return;
                ZSTD_outBuffer ob{out.data() + used, window, 0};
                const std::size_t ret = ZSTD_decompressStream(zs.get(), &ob, &ib);
                if (ZSTD_isError(ret)) {
                    if (!flush())
                        return;
                    const std::uint64_t at = chunkStart + ib.pos;
                    const std::uint64_t from = m_resync.corrupt(at, ZSTD_getErrorName(ret), true);
                    if (from >= chunkStart)
                        ib.pos = static_cast<std::size_t>(from - chunkStart);
                    else if (std::fseek(m_file, static_cast<long>(from), SEEK_SET) == 0) {
                        seekTo = from;
                        break;
                    }
                    continue;
                }
                used += ob.pos;
                lastRet = ret;
                if (ret == 0)
                    m_resync.frameEnded(chunkStart + ib.pos);
            }
            // drain what zstd still holds
            while (!seekTo && !m_resync.seeking() && ib.pos == ib.size) {
                const std::size_t keepRet = lastRet;
                if (!room())
                    return;
                ZSTD_outBuffer ob{out.data() + used, window, 0};
                const std::size_t ret = ZSTD_decompressStream(zs.get(), &ob, &ib);
                if (ZSTD_isError(ret) || ob.pos == 0) {
                    lastRet = keepRet;
                    break; // (an empty call at a frame boundary only hints the next header)
                }
                used += ob.pos;
                lastRet = ret;
                if (ret == 0)
                    m_resync.frameEnded(chunkStart + ib.pos);
            }
            // hand over what this chunk gave before reading the next one (the
            // consumer reports progress per item)
            if (!flush())
                return;
            chunkStart = seekTo ? *seekTo : chunkStart + n;
            n = std::fread(m_in.data(), 1, m_chunk, m_file);
            if (n == 0) {
                if (std::ferror(m_file)) {
                    Item io;
                    io.kind = Kind::Io;
                    io.message = "read error in " + m_path + ": " + std::strerror(errno);
                    io.bytesRead = m_bytesRead;
                    if (!push(std::move(io)))
                        return;
                }
                break;
            }
            m_bytesRead = std::max<std::uint64_t>(m_bytesRead, chunkStart + n);
        }
        Item end;
        end.kind = Kind::End;
        end.bytesRead = m_bytesRead;
        end.endProblem = m_resync.atEnd(lastRet, m_bytesRead);
        push(std::move(end));
    }

    std::FILE* m_file;
    std::vector<char> m_in;
    std::size_t m_inSize;
    std::size_t m_chunk;
    std::string m_path;
    std::uint64_t m_bytesRead = 0;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Item> m_ready;
    std::vector<std::vector<char>> m_free;
    ZstdResync m_resync;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace

RecordingReadResult readRecording(const std::string& path, const LineSink& sink, const RecordingReadOptions& options)
{
    // Format 2 (recording/compact_reader.h) is told apart by its first bytes.
    if (recording::isFormat2File(path))
        return recording::readCompactAsLines(path, sink, options);
    RecordingReadResult result;
    try {
        std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
        if (!file) {
            result.ioError = MemoryError{MemoryErrorCode::IoError,
                                         "cannot open " + path + ": " + std::strerror(errno), path, 0};
            return result;
        }
        std::uint64_t fileSize = 0;
        if (std::fseek(file.get(), 0, SEEK_END) == 0) {
            const long end = std::ftell(file.get());
            if (end > 0)
                fileSize = static_cast<std::uint64_t>(end);
            std::fseek(file.get(), 0, SEEK_SET);
        }
        auto cancelled = [&] {
            return options.stopToken.stop_requested()
                || (options.cancel && options.cancel->load(std::memory_order_relaxed));
        };
        auto report = [&](double p) {
            if (options.progress)
                options.progress(p);
        };

        LineSplitter splitter(sink, options.maxLineBytes, result, options.onProblem, options.beforeReuse);
        auto addProblem = [&](ReadProblem p) { splitter.addProblem(std::move(p)); };
        const std::size_t chunk = std::max<std::size_t>(options.chunkBytes, 16);
        std::vector<char> in(chunk + kLinePadding); // lines in it are followed by readable bytes
        std::unique_ptr<ZSTD_DStream, DStreamFree> zs;
        std::vector<char> out;
        std::size_t lastRet = 0;
        bool first = true;
        ZstdResync resync;
        std::uint64_t chunkStart = 0; // file offset of the chunk read next
        std::optional<ZstdResync::EndProblem> endProblem;
        auto lineText = [&] { return "line " + std::to_string(splitter.line() + 1) + ": "; };
        // A range of corrupt compressed data was skipped: the line it cut goes, the loss is reported.
        auto reportLost = [&](const std::string& text) {
            splitter.dropPartial();
            addProblem({ReadProblemKind::CompressedCorrupt, splitter.line() + 1, lineText() + text});
        };

        report(0.0);
        while (true) {
            if (cancelled()) {
                result.cancelled = true;
                return result;
            }
            const std::size_t n = std::fread(in.data(), 1, chunk, file.get());
            if (n == 0) {
                if (std::ferror(file.get()))
                    addProblem({ReadProblemKind::Io, splitter.line() + 1,
                                               "read error in " + path + ": " + std::strerror(errno)});
                break;
            }
            const std::uint64_t offset = chunkStart;
            chunkStart += n;
            result.bytesRead = std::max<std::uint64_t>(result.bytesRead, chunkStart);
            std::string_view data(in.data(), n);
            if (first) {
                first = false;
                if (looksLikeZstd(data) && options.zstdThread) {
                    result.compressed = true;
                    ZstdPipeline pipe(file.get(), std::move(in), n, chunk, path);
                    while (true) {
                        if (cancelled()) {
                            result.cancelled = true;
                            return result; // ~ZstdPipeline stops and joins the thread
                        }
                        ZstdPipeline::Item item = pipe.next();
                        result.bytesRead = std::max(result.bytesRead, item.bytesRead);
                        if (item.kind == ZstdPipeline::Kind::Data) {
                            splitter.feed(std::string_view(item.buffer.data(), item.size));
                            pipe.recycle(std::move(item.buffer));
                            if (fileSize > 0)
                                report(std::min(1.0, static_cast<double>(result.bytesRead) / static_cast<double>(fileSize)));
                        } else if (item.kind == ZstdPipeline::Kind::Io) {
                            addProblem({ReadProblemKind::Io, splitter.line() + 1, item.message});
                        } else if (item.kind == ZstdPipeline::Kind::Corrupt) {
                            reportLost(item.message);
                        } else {
                            endProblem = std::move(item.endProblem);
                            break;
                        }
                    }
                    pipe.stop();
                    break;
                }
                if (looksLikeZstd(data)) {
                    result.compressed = true;
                    zs.reset(ZSTD_createDStream());
                    ZSTD_initDStream(zs.get());
                    out.resize(ZSTD_DStreamOutSize() + kLinePadding);
                }
            }
            if (!result.compressed) {
                splitter.feed(data);
            } else {
                // The pipeline's steps (ZstdPipeline::produce), one chunk at a time.
                resync.sawInput(data);
                ZSTD_inBuffer ib{data.data(), data.size(), 0};
                bool seekedBack = false;
                while (ib.pos < ib.size) {
                    if (resync.seeking()) {
                        const std::size_t past = resync.scan(data.substr(ib.pos), offset + ib.pos);
                        if (past == std::string_view::npos)
                            break;
                        ib.pos += past;
                        ZstdResync::restart(zs.get());
                        lastRet = 1; // inside a frame
                        reportLost(resync.lostText());
                        continue;
                    }
                    ZSTD_outBuffer ob{out.data(), out.size() - kLinePadding, 0};
                    const std::size_t ret = ZSTD_decompressStream(zs.get(), &ob, &ib);
                    if (ZSTD_isError(ret)) {
                        const std::uint64_t at = offset + ib.pos;
                        const std::uint64_t from = resync.corrupt(at, ZSTD_getErrorName(ret), true);
                        if (from >= offset)
                            ib.pos = static_cast<std::size_t>(from - offset);
                        else if (std::fseek(file.get(), static_cast<long>(from), SEEK_SET) == 0) {
                            chunkStart = from;
                            seekedBack = true;
                            break;
                        }
                        continue;
                    }
                    lastRet = ret;
                    if (ret == 0)
                        resync.frameEnded(offset + ib.pos);
                    splitter.feed(std::string_view(out.data(), ob.pos));
                    if (cancelled()) {
                        result.cancelled = true;
                        return result;
                    }
                }
                // drain what zstd still holds
                while (!seekedBack && !resync.seeking() && ib.pos == ib.size) {
                    ZSTD_outBuffer ob{out.data(), out.size() - kLinePadding, 0};
                    const std::size_t ret = ZSTD_decompressStream(zs.get(), &ob, &ib);
                    if (ZSTD_isError(ret) || ob.pos == 0)
                        break; // (an empty call at a frame boundary only hints the next header)
                    lastRet = ret;
                    if (ret == 0)
                        resync.frameEnded(offset + ib.pos);
                    splitter.feed(std::string_view(out.data(), ob.pos));
                }
            }
            if (fileSize > 0)
                report(std::min(1.0, static_cast<double>(result.bytesRead) / static_cast<double>(fileSize)));
        }
        if (result.compressed && zs)
            endProblem = resync.atEnd(lastRet, result.bytesRead);
        if (endProblem && endProblem->corrupt)
            reportLost(endProblem->text);
        else if (endProblem)
            addProblem({ReadProblemKind::CompressedCut, splitter.line() + 1, lineText() + endProblem->text});
        splitter.finish();
        if (result.endedMidLine)
            addProblem({ReadProblemKind::EndsMidLine, splitter.line(),
                                       "line " + std::to_string(splitter.line()) + ": file ends mid-line (no newline after the last line)"});
        report(1.0);
    } catch (const std::exception& e) {
        result.ioError = MemoryError{MemoryErrorCode::IoError, std::string("reading ") + path + ": " + e.what(), path, 0};
    }
    return result;
}

} // namespace flight::protocol
