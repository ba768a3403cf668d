// SPDX-License-Identifier: MIT
#include "recording/convert_recording.h"

#include "protocol/message_decoder.h"
#include "protocol/message_encoder.h"
#include "protocol/recording_reader.h"
#include "recording/compact_format.h"

#include <cstdio>
#include <optional>

namespace flight::recording {

using namespace flight::protocol;

OutputFormat outputFormatFor(const std::string& path)
{
    if (path.ends_with(".fmr"))
        return OutputFormat::Compact;
    if (path.ends_with(".zst"))
        return OutputFormat::JsonlZstd;
    return OutputFormat::Jsonl;
}

Result<ConvertResult> convertRecording(const std::string& in, const std::string& out, OutputFormat format)
{
    ConvertResult result;
    std::optional<RecordingWriter> writer;
    std::optional<MemoryError> failure;
    MessageDecoder decoder;
    std::string canonical;
    std::uint64_t expected = 1; // the next line number the reader should deliver

    auto open = [&] {
        RecordingWriterOptions o;
        o.header = false; // the input's own header (or none) is line 1
        o.format = format == OutputFormat::Compact ? RecordingFormat::Compact : RecordingFormat::Jsonl;
        o.compress = format == OutputFormat::JsonlZstd;
        o.flushEveryMessages = kMaxRecordsPerBlock; // blocks as large as the format allows
        o.flushInterval = std::chrono::hours(1);
        auto w = RecordingWriter::create(out, std::move(o));
        if (!w)
            failure = w.error();
        else
            writer.emplace(std::move(*w));
    };
    auto keep = [&](std::string_view line) {
        if (auto r = writer->appendLine(line); !r)
            failure = r.error();
        ++result.kept;
    };

    RecordingReadOptions options;
    options.onProblem = [&](const ReadProblem& p) {
        ++result.problems;
        result.notes.push_back(p.message);
    };
    const auto read = readRecording(in, [&](std::string_view line, std::uint64_t n, bool) {
        if (failure)
            return;
        if (!writer)
            open();
        if (failure)
            return;
        for (; expected < n && !failure; ++expected)
            keep({}); // blank lines the reader did not deliver
        expected = n + 1;
        ++result.lines;
        Message m;
        auto r = decoder.decodeInto(line, n, m);
        canonical.clear();
        if (r && *r)
            encodeTo(canonical, m);
        if (auto* h = r && *r && n == 1 ? std::get_if<RecordingHeaderMsg>(&m.payload) : nullptr;
            h && canonical == line) {
            // The header names the format it is written in.
            h->format = format == OutputFormat::Compact ? kFormat2 : kRecordingFormat;
            if (auto w = writer->appendKept(m); !w)
                failure = w.error();
        } else if (r && *r && canonical == line) {
            if (auto w = writer->appendKept(m); !w)
                failure = w.error();
        } else {
            keep(line);
        }
    }, options);
    if (!failure && read.ioError)
        failure = *read.ioError;
    if (!failure && !writer)
        open(); // an empty input: an empty recording
    if (!failure)
        if (auto r = writer->close(); !r)
            failure = r.error();
    if (failure) {
        writer.reset();
        std::remove(out.c_str());
        return std::unexpected(*failure);
    }
    return result;
}

} // namespace flight::recording
