// SPDX-License-Identifier: MIT
#include "recording/compact_reader.h"

#include "recording/positioned_file.h"
#include "recording/usage_summary.h"

#include "protocol/message_encoder.h"

#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace flight::recording {

using namespace flight::protocol;

namespace {

using File = PositionedFile;

RecordingReadResult ioFailure(MemoryError error)
{
    RecordingReadResult r;
    r.ioError = std::move(error);
    return r;
}

std::string lineText(std::uint64_t line) { return "line " + std::to_string(line) + ": "; }

// Records handed over together: a block of 65,536 is handed over in 16 runs,
// so the records decoded and waiting are ~0.85 MiB a run, not ~13 MiB a block.
constexpr std::uint32_t kRunRecords = 4096;

// A block's payload, decompressed: the records of its runs point into it.
struct RawBlock {
    std::string bytes;
    unsigned users = 0; // runs handed over and not yet given back (QueuedDelivery, under its lock)
};

DecodedRecords decodedRecords(const RecordRun& run, RecordForm form)
{
    return {form == RecordForm::Full ? std::span<const CompactRecord>(run.records.data(), run.count)
                                     : std::span<const CompactRecord>(),
            std::span<const DecodedCommon>(run.common.data(), run.count), &run.texts};
}

// A run of one block's records, as handed over.
struct DecodedRun {
    RecordRun run;
    RecordForm form = RecordForm::Full; // what `run` holds
    RawBlock* raw = nullptr;
    std::uint64_t firstLine = 0;
};

// Where the reader's output goes: straight to the caller's callbacks, or
// (decoding ahead) through a queue to the calling thread.
struct Delivery {
    virtual ~Delivery() = default;
    // A buffer to decompress the next block into: no run still to be
    // received points into it.
    virtual RawBlock* raw() = 0;
    // Hands `run` over; returns the run to decode the next one into.
    virtual DecodedRun* run(DecodedRun* run) = 0;
    virtual void problem(const ReadProblem& p) = 0;
    virtual void progress(double share) = 0;
    // The receiving side has gone (its sink threw): stop reading.
    virtual bool abandoned() const { return false; }
};

struct Reader {
    const File& file;
    Delivery& out;
    const RecordingReadOptions& options;
    RecordForm form;
    DecodedRun* slot;
    const RunPreparer* prepare = nullptr;
    RecordingReadResult result;
    std::string header, payload;
    BlockDecoder decoder{};
    ZSTD_DCtx* dctx = ZSTD_createDCtx();
    std::uint64_t nextLine = 1; // the first line not delivered yet
    bool closed = false;

    ~Reader() { ZSTD_freeDCtx(dctx); }

    void problem(ReadProblemKind kind, std::string message)
    {
        ReadProblem p{kind, nextLine, lineText(nextLine) + message};
        out.problem(p);
        result.problems.push_back(std::move(p));
    }

    bool cancelled() const
    {
        return out.abandoned() || options.stopToken.stop_requested() || (options.cancel && options.cancel->load(std::memory_order_relaxed));
    }

    // A block or checkpoint at `pos`: the bytes after it, or an error saying why not.
    // cut: the file ends inside it.
    enum class Outcome { Ok, Damaged, Cut };
    Outcome readAt(std::uint64_t pos, std::uint64_t& next, std::string& why, bool deliver)
    {
        const std::uint64_t left = file.size - pos;
        if (left >= kTrailerBytes && left == kTrailerBytes) {
            std::string t;
            if (file.read(pos, kTrailerBytes, t) && t.substr(8) == kTrailerMagic) {
                next = file.size;
                closed = true;
                return Outcome::Ok;
            }
        }
        if (left < 4) {
            why = "the file ends inside a block header";
            return Outcome::Cut;
        }
        if (!file.read(pos, std::min<std::uint64_t>(left, kBlockHeaderBytes), header)) {
            why = "cannot read: " + std::string(std::strerror(errno));
            return Outcome::Damaged;
        }
        const auto* h = reinterpret_cast<const unsigned char*>(header.data());
        if (header.starts_with(kCheckpointMagic)) {
            if (left < 20) {
                why = "the file ends inside a checkpoint";
                return Outcome::Cut;
            }
            const std::uint64_t bytes = 16 + std::uint64_t(getU32(h + 4)) * kCheckpointEntryBytes + 4;
            if (bytes > left) {
                why = "the file ends inside a checkpoint";
                return Outcome::Cut;
            }
            std::string all;
            if (!file.read(pos, static_cast<std::size_t>(bytes), all)
                || crc32(std::string_view(all).substr(0, all.size() - 4))
                       != getU32(reinterpret_cast<const unsigned char*>(all.data() + all.size() - 4))) {
                why = "checkpoint checksum mismatch";
                return Outcome::Damaged;
            }
            next = pos + bytes;
            return Outcome::Ok;
        }
        if (header.starts_with(kSummaryMagic)) {
            // The usage summary before a checkpoint: the full read has no use for it, only stepped over.
            if (left < kSummaryHeaderBytes) {
                why = "the file ends inside a summary";
                return Outcome::Cut;
            }
            const std::uint64_t bytes = kSummaryHeaderBytes + std::uint64_t(getU32(h + 4)) + 4;
            if (getU32(h + 8) > kMaxSummaryRawBytes) {
                why = "its summary header gives impossible sizes";
                return Outcome::Damaged;
            }
            if (bytes > left) {
                why = "the file ends inside a summary";
                return Outcome::Cut;
            }
            std::string tail;
            if (!file.read(pos + bytes - 4, 4, tail) || getU32(reinterpret_cast<const unsigned char*>(tail.data())) != bytes) {
                why = "its summary's length does not check";
                return Outcome::Damaged;
            }
            next = pos + bytes;
            return Outcome::Ok;
        }
        if (!header.starts_with(kBlockMagic)) {
            why = "no block starts there";
            return Outcome::Damaged;
        }
        if (left < kBlockHeaderBytes) {
            why = "the file ends inside its header";
            return Outcome::Cut;
        }
        const auto bh = parseBlockHeader(h);
        if (!bh) {
            why = "its header gives impossible sizes";
            return Outcome::Damaged;
        }
        if (kBlockHeaderBytes + std::uint64_t(bh->payloadBytes) > left) {
            why = "the file ends inside it (after byte " + std::to_string(file.size) + ")";
            return Outcome::Cut;
        }
        if (!file.read(pos + kBlockHeaderBytes, bh->payloadBytes, payload)) {
            why = "cannot read: " + std::string(std::strerror(errno));
            return Outcome::Damaged;
        }
        if (crc32(payload, crc32(std::string_view(header).substr(0, 40))) != bh->crc) {
            why = "checksum mismatch";
            return Outcome::Damaged;
        }
        RawBlock* block = out.raw();
        std::string& raw = block->bytes;
        raw.resize(bh->rawBytes);
        const std::size_t z = ZSTD_decompressDCtx(dctx, raw.data(), raw.size(), payload.data(), payload.size());
        if (ZSTD_isError(z) || z != bh->rawBytes) {
            why = ZSTD_isError(z) ? std::string("zstd: ") + ZSTD_getErrorName(z)
                                  : "payload is " + std::to_string(z) + " bytes, not " + std::to_string(bh->rawBytes);
            return Outcome::Damaged;
        }
        // The whole payload is checked before any of its records is handed over.
        if (auto r = decoder.begin(raw, bh->records); !r) {
            why = r.error().message;
            return Outcome::Damaged;
        }
        if (bh->firstRecord + 1 < nextLine && deliver) {
            why = "its records start at line " + std::to_string(bh->firstRecord + 1) + ", before line "
                  + std::to_string(nextLine) + " already read";
            return Outcome::Damaged;
        }
        if (deliver) {
            if (bh->firstRecord + 1 > nextLine)
                nextLine = bh->firstRecord + 1;
            while (decoder.left() > 0 && !out.abandoned()) {
                decoder.next(kRunRecords, slot->run, form);
                slot->run.texts.clear();
                if (prepare && *prepare)
                    (*prepare)(slot->run, nextLine);
                slot->form = form;
                slot->raw = block;
                slot->firstLine = nextLine;
                const std::uint32_t n = slot->run.count;
                slot = out.run(slot);
                nextLine += n;
                result.lines = nextLine - 1;
            }
        }
        next = pos + kBlockHeaderBytes + bh->payloadBytes;
        return Outcome::Ok;
    }

    // The next offset after `from` where a block or checkpoint that checks starts (file.size: none).
    std::uint64_t resync(std::uint64_t from)
    {
        constexpr std::size_t kWindow = 1u << 20;
        std::string window;
        for (std::uint64_t at = from; at + 4 <= file.size; at += kWindow - 3) {
            const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kWindow, file.size - at));
            if (!file.read(at, n, window))
                return file.size;
            for (std::size_t i = 0; i + 4 <= window.size(); ++i) {
                const std::string_view four(window.data() + i, 4);
                if (four != kBlockMagic && four != kCheckpointMagic)
                    continue;
                std::uint64_t next = 0;
                std::string why;
                if (readAt(at + i, next, why, false) == Outcome::Ok)
                    return at + i;
            }
            if (at + n >= file.size)
                break;
        }
        return file.size;
    }

    void run()
    {
        std::uint64_t pos = kPreamble.size();
        while (pos < file.size) {
            if (cancelled()) {
                result.cancelled = true;
                return;
            }
            std::uint64_t next = 0;
            std::string why;
            // A block that seems to run past the end is cut only if nothing
            // whole follows it (otherwise its size field was damaged).
            const Outcome o = readAt(pos, next, why, true);
            if (o == Outcome::Ok) {
                pos = next;
            } else if (o == Outcome::Cut && resync(pos + 1) == file.size) {
                problem(ReadProblemKind::CompressedCut, "format-2 block at byte " + std::to_string(pos) + ": " + why
                                                            + " (file cut: its writer stopped); everything before is loaded");
                result.bytesRead = file.size;
                return;
            } else {
                const std::uint64_t to = resync(pos + 1);
                problem(ReadProblemKind::CompressedCorrupt,
                        "format-2 block at byte " + std::to_string(pos) + " is damaged (" + why + "): bytes "
                            + std::to_string(pos) + ".." + std::to_string(to)
                            + " skipped, the records they held are lost; reading goes on at the next block");
                pos = to;
            }
            result.bytesRead = pos;
            out.progress(static_cast<double>(pos) / static_cast<double>(file.size));
        }
        if (!closed)
            problem(ReadProblemKind::CompressedCut,
                    "format-2 recording ends without its footer (file cut: its writer stopped); everything before is loaded");
    }
};

// Decoding in line: each run goes to the sink as soon as it is decoded.
struct DirectDelivery final : Delivery {
    const BlockSink& sink;
    const RecordingReadOptions& options;
    DecodedRun only;
    RawBlock onlyRaw;
    DirectDelivery(const BlockSink& s, const RecordingReadOptions& o) : sink(s), options(o) {}
    RawBlock* raw() override { return &onlyRaw; }
    DecodedRun* run(DecodedRun* r) override
    {
        sink(decodedRecords(r->run, r->form), r->firstLine);
        return r;
    }
    void problem(const ReadProblem& p) override
    {
        if (options.onProblem)
            options.onProblem(p);
    }
    void progress(double share) override
    {
        if (options.progress)
            options.progress(share);
    }
};

// Decoding ahead: the reader runs on a second thread and decodes up to
// slots - 1 runs ahead of the sink; runs, problems and progress reach the
// calling thread in the order the reader produced them. How many: a block's
// start (zstd, then the check pass over all its columns) takes the reader
// ~1.5-2 ms, while the loader applies a lean run of 4,096 records in ~0.35
// ms; with three runs queued it waited for the reader 45-55 ms a load (~40
// waits on the 2 M-event churn recording, a fifth of its wall time), with 16
// ~3 ms (docs/performance.md, "Format 2 load, round 7"). So 16 lean runs
// (80 bytes a record: ~5 MiB), and 3 full ones (~0.85 MiB each), plus the
// payloads they point into (usually two: the block being applied and the
// next). A reader that found every slot taken resumes once half of them are
// free again, not at each one: one wake-up per 8 runs, not per run.
struct QueuedDelivery final : Delivery {
    struct Event {
        DecodedRun* run = nullptr; // or:
        std::optional<ReadProblem> problem;
        double progress = -1;
        bool done = false;
    };
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<Event> events;
    std::vector<std::unique_ptr<DecodedRun>> slots;
    std::vector<DecodedRun*> free;
    std::vector<std::unique_ptr<RawBlock>> raws; // the reader's thread adds to it, under the lock
    std::atomic<bool> gone{false};
    std::size_t resumeAt = 1; // free slots a waiting reader waits for
    bool readerWaits = false;  // under the lock

    static std::size_t slotsFor(RecordForm form) { return form == RecordForm::Lean ? 16 : 3; }

    explicit QueuedDelivery(RecordForm form)
    {
        const std::size_t n = slotsFor(form);
        for (std::size_t i = 0; i < n; ++i)
            slots.push_back(std::make_unique<DecodedRun>());
        for (std::size_t i = 1; i < n; ++i)
            free.push_back(slots[i].get());
        resumeAt = std::max<std::size_t>(1, n / 2);
    }
    DecodedRun* first() { return slots[0].get(); }
    void push(Event e)
    {
        {
            std::lock_guard lock(mutex);
            events.push_back(std::move(e));
        }
        changed.notify_all();
    }
    RawBlock* raw() override
    {
        std::lock_guard lock(mutex);
        for (const auto& r : raws)
            if (r->users == 0)
                return r.get();
        raws.push_back(std::make_unique<RawBlock>()); // at most one per slot: each in use holds a run in flight
        return raws.back().get();
    }
    DecodedRun* run(DecodedRun* r) override
    {
        {
            std::lock_guard lock(mutex);
            ++r->raw->users;
            events.push_back({r, {}, -1, false});
        }
        changed.notify_all();
        std::unique_lock lock(mutex);
        if (free.empty()) {
            readerWaits = true;
            changed.wait(lock, [&] { return free.size() >= resumeAt || gone.load(); });
            readerWaits = false;
        }
        if (free.empty()) {
            --r->raw->users; // nobody receives it any more: decode the next over it
            return r;
        }
        DecodedRun* next = free.back();
        free.pop_back();
        return next;
    }
    void problem(const ReadProblem& p) override { push({nullptr, p, -1, false}); }
    void progress(double share) override { push({nullptr, {}, share, false}); }
    void finish() { push({nullptr, {}, -1, true}); }
    bool abandoned() const override { return gone.load(); }

    // On the calling thread: runs the callbacks until the reader says it is
    // done. A callback that throws stops the reader; the exception is
    // rethrown once the reader has finished (never while it still runs).
    void drain(const BlockSink& sink, const RecordingReadOptions& options)
    {
        std::exception_ptr thrown;
        for (;;) {
            Event e;
            {
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return !events.empty(); });
                e = std::move(events.front());
                events.pop_front();
            }
            if (e.done) {
                if (thrown)
                    std::rethrow_exception(thrown);
                return;
            }
            if (thrown)
                continue; // only waiting for the reader to stop
            try {
                deliver(e, sink, options);
            } catch (...) {
                thrown = std::current_exception();
                gone = true;
                changed.notify_all();
            }
        }
    }

    void deliver(const Event& e, const BlockSink& sink, const RecordingReadOptions& options)
    {
        if (e.run) {
            sink(decodedRecords(e.run->run, e.run->form), e.run->firstLine);
            bool wake = false;
            {
                std::lock_guard lock(mutex);
                --e.run->raw->users;
                free.push_back(e.run);
                wake = readerWaits && free.size() >= resumeAt;
            }
            if (wake)
                changed.notify_all();
        } else if (e.problem) {
            if (options.onProblem)
                options.onProblem(*e.problem);
        } else if (options.progress) {
            options.progress(e.progress);
        }
    }
};

} // namespace

bool isFormat2File(const std::string& path)
{
    const auto f = PositionedFile::open(path);
    std::string head;
    return f && f->regular && f->size >= 8 && f->read(0, 8, head) && looksLikeFormat2(head);
}

RecordingReadResult readCompactRecording(const std::string& path, const BlockSink& sink, const RecordingReadOptions& options,
                                         RecordForm form, const RunPreparer& prepare)
{
    auto opened = PositionedFile::open(path);
    if (!opened)
        return ioFailure(opened.error());
    const File& file = *opened;
    RecordingReadResult result;
    if (options.zstdThread) {
        QueuedDelivery queue(form);
        std::jthread decoder([&] {
            Reader reader{file, queue, options, form, queue.first(), &prepare, {}, {}, {}};
            reader.result.compressed = true;
            reader.run();
            result = std::move(reader.result);
            queue.finish();
        });
        queue.drain(sink, options);
    } else {
        DirectDelivery direct(sink, options);
        Reader reader{file, direct, options, form, &direct.only, &prepare, {}, {}, {}};
        reader.result.compressed = true;
        reader.run();
        result = std::move(reader.result);
    }
    if (options.progress && !result.cancelled)
        options.progress(1.0);
    return result;
}

RecordingReadResult readCompactBlocks(const std::string& path, std::span<const IndexedBlock> blocks,
                                      const BlockSink& sink, const RecordingReadOptions& options)
{
    auto opened = PositionedFile::open(path);
    if (!opened)
        return ioFailure(opened.error());
    const File& file = *opened;
    DirectDelivery direct(sink, options);
    Reader reader{file, direct, options, RecordForm::Full, &direct.only, nullptr, {}, {}, {}};
    reader.result.compressed = true;
    for (const IndexedBlock& b : blocks) {
        if (reader.cancelled()) {
            reader.result.cancelled = true;
            break;
        }
        std::uint64_t next = 0;
        std::string why;
        if (b.offset < kPreamble.size() || b.offset >= file.size)
            why = "no block there";
        else if (reader.readAt(b.offset, next, why, true) == Reader::Outcome::Ok)
            continue;
        reader.problem(ReadProblemKind::CompressedCorrupt,
                       "format-2 block at byte " + std::to_string(b.offset) + " is damaged (" + why + "): skipped");
    }
    return std::move(reader.result);
}

RecordingReadResult readCompactAsLines(const std::string& path, const LineSink& sink, const RecordingReadOptions& options)
{
    std::string lines;                   // one block's lines, each followed by '\n'
    std::vector<std::size_t> ends;
    std::vector<ReadProblem> tooLong;
    auto blockSink = [&](std::span<const CompactRecord> records, std::uint64_t firstLine) {
        lines.clear();
        ends.clear();
        for (const CompactRecord& r : records) {
            if (r.kind == RecordKind::Allocation || r.kind == RecordKind::Free)
                encodeTo(lines, r.message);
            else
                lines.append(r.text);
            ends.push_back(lines.size());
            lines.push_back('\n');
        }
        lines.append(kLinePadding, '\0'); // decoders read ahead of the last line
        std::size_t start = 0;
        for (std::size_t i = 0; i < records.size(); ++i) {
            const std::string_view line(lines.data() + start, ends[i] - start);
            if (line.size() > options.maxLineBytes) {
                ReadProblem p{ReadProblemKind::LineTooLong, firstLine + i,
                              lineText(firstLine + i) + std::to_string(line.size()) + " bytes, over the "
                                  + std::to_string(options.maxLineBytes) + "-byte limit: refused"};
                if (options.onProblem)
                    options.onProblem(p);
                tooLong.push_back(std::move(p));
            } else {
                sink(line, firstLine + i, false);
            }
            start = ends[i] + 1;
        }
        if (options.beforeReuse)
            options.beforeReuse();
    };
    auto result = readCompactRecording(path, blockSink, options);
    for (auto& p : tooLong)
        result.problems.push_back(std::move(p));
    return result;
}

} // namespace flight::recording
