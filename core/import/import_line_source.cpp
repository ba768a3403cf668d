// SPDX-License-Identifier: MIT
#include "import/import_line_source.h"

#include <QFile>

#include <zlib.h>

#include <cstdio>
#include <memory>
#include <vector>

namespace flight::import {

bool looksLikeGzip(std::string_view b)
{
    return b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0x1f && static_cast<unsigned char>(b[1]) == 0x8b;
}

namespace {

std::string firstBytes(const std::string& path, std::size_t n)
{
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.read(static_cast<qint64>(n)).toStdString();
}

// gzip: the lines, split as readRecording splits them (a refused long line is
// skipped to its end; a last line without '\n' is delivered as unterminated).
protocol::RecordingReadResult readGzipLines(const std::string& path, const protocol::LineSink& sink,
                                            const protocol::RecordingReadOptions& options)
{
    protocol::RecordingReadResult result;
    result.compressed = true;
    auto problem = [&](protocol::ReadProblem p) {
        if (options.onProblem)
            options.onProblem(p);
        result.problems.push_back(std::move(p));
    };
    const qint64 fileSize = QFile(QString::fromStdString(path)).size();
    gzFile gz = gzopen(path.c_str(), "rb");
    if (!gz) {
        result.ioError = MemoryError{MemoryErrorCode::IoError, "cannot open " + path, {}, 0};
        return result;
    }
    gzbuffer(gz, 1u << 17);
    std::vector<char> buf(options.chunkBytes + protocol::kLinePadding + 1);
    std::string carry;
    bool skipping = false; // inside a refused long line
    std::uint64_t lineNo = 0;
    auto deliver = [&](std::string_view line, bool unterminated) {
        ++lineNo;
        ++result.lines;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.size() > options.maxLineBytes) {
            problem({protocol::ReadProblemKind::LineTooLong, lineNo,
                     "line " + std::to_string(lineNo) + ": over the " + std::to_string(options.maxLineBytes)
                         + "-byte limit: refused"});
            return;
        }
        // The padding the sink may read past the line.
        std::string padded;
        padded.reserve(line.size() + protocol::kLinePadding + 1);
        padded.append(line);
        padded.append(protocol::kLinePadding + 1, '\0');
        sink(std::string_view(padded.data(), line.size()), lineNo, unterminated);
    };
    for (;;) {
        if ((options.cancel && options.cancel->load()) || options.stopToken.stop_requested()) {
            result.cancelled = true;
            break;
        }
        const int n = gzread(gz, buf.data(), static_cast<unsigned>(options.chunkBytes));
        if (n < 0) {
            int err = 0;
            const char* why = gzerror(gz, &err);
            problem({protocol::ReadProblemKind::CompressedCorrupt, lineNo + 1,
                     "line " + std::to_string(lineNo + 1) + ": corrupt gzip data (" + (why ? why : "?")
                         + "): the rest of the file is not read"});
            break;
        }
        if (n == 0)
            break;
        std::string_view chunk(buf.data(), static_cast<std::size_t>(n));
        while (!chunk.empty()) {
            const auto nl = chunk.find('\n');
            if (nl == std::string_view::npos) {
                if (!skipping)
                    carry.append(chunk);
                if (carry.size() > options.maxLineBytes) {
                    skipping = true;
                    carry.resize(options.maxLineBytes + 1);
                }
                break;
            }
            if (carry.empty() && !skipping) {
                deliver(chunk.substr(0, nl), false);
            } else {
                if (!skipping)
                    carry.append(chunk.substr(0, nl));
                deliver(carry, false);
                carry.clear();
                skipping = false;
            }
            chunk.remove_prefix(nl + 1);
        }
        if (options.beforeReuse)
            options.beforeReuse();
        if (options.progress && fileSize > 0)
            options.progress(std::min(1.0, static_cast<double>(gzoffset(gz)) / static_cast<double>(fileSize)));
    }
    if (!result.cancelled) {
        int err = 0;
        gzerror(gz, &err);
        const bool cut = err == Z_BUF_ERROR; // the stream ended before its trailer
        if (!carry.empty() || skipping) {
            result.endedMidLine = true;
            problem({protocol::ReadProblemKind::EndsMidLine, lineNo + 1,
                     "line " + std::to_string(lineNo + 1) + ": the file ends inside this line"});
            deliver(carry, true);
        }
        if (cut)
            problem({protocol::ReadProblemKind::CompressedCut, lineNo,
                     "the gzip data ends early (after line " + std::to_string(lineNo) + "): the file was cut"});
    }
    result.bytesRead = fileSize > 0 ? static_cast<std::uint64_t>(fileSize) : 0;
    gzclose(gz);
    if (options.beforeReuse)
        options.beforeReuse();
    if (options.progress)
        options.progress(1.0);
    return result;
}

} // namespace

protocol::RecordingReadResult readImportLines(const std::string& path, const protocol::LineSink& sink,
                                              const protocol::RecordingReadOptions& options)
{
    if (looksLikeGzip(firstBytes(path, 2)))
        return readGzipLines(path, sink, options);
    return protocol::readRecording(path, sink, options);
}

std::string firstLineOf(const std::string& path, std::size_t max)
{
    std::string first;
    protocol::RecordingReadOptions o;
    o.zstdThread = false;
    o.chunkBytes = 64 * 1024;
    std::atomic<bool> stop{false};
    o.cancel = &stop;
    readImportLines(path, [&](std::string_view line, std::uint64_t, bool) {
        if (stop.load())
            return;
        first = std::string(line.substr(0, max));
        stop.store(true);
    }, o);
    return first;
}

} // namespace flight::import
