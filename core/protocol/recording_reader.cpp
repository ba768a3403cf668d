#include "protocol/recording_reader.h"

#include <zstd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

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
                 const std::function<void(const ReadProblem&)>& onProblem)
        : m_sink(sink), m_max(maxLine), m_result(result), m_onProblem(onProblem) {}

    void addProblem(ReadProblem p)
    {
        m_result.problems.push_back(std::move(p));
        if (m_onProblem)
            m_onProblem(m_result.problems.back());
    }

    void feed(std::string_view data)
    {
        while (!data.empty()) {
            const std::size_t nl = data.find('\n');
            const std::string_view part = data.substr(0, nl);
            if (m_discarding) {
                m_discarded += part.size();
            } else if (m_carry.empty() && nl != std::string_view::npos) {
                if (part.size() > m_max)
                    refuse(part.size());
                else
                    deliver(part, false);
            } else {
                if (m_carry.size() + part.size() > m_max) {
                    m_discarding = true;
                    m_discarded = m_carry.size() + part.size();
                    m_carry.clear();
                    m_carry.shrink_to_fit();
                } else {
                    m_carry.append(part);
                }
                if (nl != std::string_view::npos && !m_discarding) {
                    deliver(m_carry, false);
                    m_carry.clear();
                }
            }
            if (nl == std::string_view::npos)
                return;
            if (m_discarding) {
                refuse(m_discarded);
                m_discarding = false;
                m_discarded = 0;
            }
            data.remove_prefix(nl + 1);
        }
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
            m_carry.clear();
        }
    }

    std::uint64_t line() const { return m_line; }

private:
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
    std::string m_carry;
    bool m_discarding = false;
    std::size_t m_discarded = 0;
    std::uint64_t m_line = 0;
};

} // namespace

RecordingReadResult readRecording(const std::string& path, const LineSink& sink, const RecordingReadOptions& options)
{
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

        LineSplitter splitter(sink, options.maxLineBytes, result, options.onProblem);
        auto addProblem = [&](ReadProblem p) { splitter.addProblem(std::move(p)); };
        const std::size_t chunk = std::max<std::size_t>(options.chunkBytes, 16);
        std::vector<char> in(chunk);
        std::unique_ptr<ZSTD_DStream, DStreamFree> zs;
        std::vector<char> out;
        std::size_t lastRet = 0;
        bool first = true;
        bool corrupt = false;

        report(0.0);
        while (true) {
            if (cancelled()) {
                result.cancelled = true;
                return result;
            }
            const std::size_t n = std::fread(in.data(), 1, in.size(), file.get());
            if (n == 0) {
                if (std::ferror(file.get()))
                    addProblem({ReadProblemKind::Io, splitter.line() + 1,
                                               "read error in " + path + ": " + std::strerror(errno)});
                break;
            }
            result.bytesRead += n;
            std::string_view data(in.data(), n);
            if (first) {
                first = false;
                if (looksLikeZstd(data)) {
                    result.compressed = true;
                    zs.reset(ZSTD_createDStream());
                    ZSTD_initDStream(zs.get());
                    out.resize(ZSTD_DStreamOutSize());
                }
            }
            if (!result.compressed) {
                splitter.feed(data);
            } else if (!corrupt) {
                ZSTD_inBuffer ib{data.data(), data.size(), 0};
                while (ib.pos < ib.size) {
                    ZSTD_outBuffer ob{out.data(), out.size(), 0};
                    const std::size_t ret = ZSTD_decompressStream(zs.get(), &ob, &ib);
                    if (ZSTD_isError(ret)) {
                        addProblem({ReadProblemKind::CompressedCorrupt, splitter.line() + 1,
                                                   std::string("corrupt zstd data: ") + ZSTD_getErrorName(ret)});
                        corrupt = true;
                        break;
                    }
                    lastRet = ret;
                    splitter.feed(std::string_view(out.data(), ob.pos));
                    if (cancelled()) {
                        result.cancelled = true;
                        return result;
                    }
                }
                // drain what zstd still holds
                while (!corrupt && ib.pos == ib.size) {
                    ZSTD_outBuffer ob{out.data(), out.size(), 0};
                    const std::size_t ret = ZSTD_decompressStream(zs.get(), &ob, &ib);
                    if (ZSTD_isError(ret) || ob.pos == 0)
                        break; // (an empty call at a frame boundary only hints the next header)
                    lastRet = ret;
                    splitter.feed(std::string_view(out.data(), ob.pos));
                }
            }
            if (fileSize > 0)
                report(std::min(1.0, static_cast<double>(result.bytesRead) / static_cast<double>(fileSize)));
            if (corrupt)
                break;
        }
        if (result.compressed && !corrupt && lastRet != 0)
            addProblem({ReadProblemKind::CompressedCut, splitter.line() + 1,
                                       "line " + std::to_string(splitter.line() + 1)
                                           + ": compressed recording ends mid-frame (file cut); everything before is loaded"});
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
