// SPDX-License-Identifier: MIT
// loadRecording (session_store.h): a recording read into a SessionStore, the
// common lines decoded in place ahead of applying them.
#include "protocol/session_store.h"

#include "model/id_hash.h"
#include "protocol/decoded_texts.h"
#include "recording/compact_reader.h"

#include <array>

namespace flight::protocol {

namespace {

// Problems the reader found, in the store as the JSON Lines path puts them.
void storeProblem(SessionStore& store, const ReadProblem& p)
{
    switch (p.kind) {
    case ReadProblemKind::LineTooLong:
    case ReadProblemKind::CompressedCorrupt:
    case ReadProblemKind::Io:
        store.addDecodeError(p.line, p.message);
        break;
    case ReadProblemKind::CompressedCut:
        store.addNote(p.line, p.message);
        break;
    case ReadProblemKind::EndsMidLine:
        break; // reported with the line itself when it does not decode
    }
}

// A text record's line as the decoders read it: followed by '\n' and zeros.
std::string_view padLine(std::string& padded, std::string_view text)
{
    padded.assign(text);
    padded.push_back('\n');
    padded.append(kLinePadding, '\0');
    return std::string_view(padded).substr(0, text.size());
}

// Format 2's text records decoded on the decoding thread, ahead of applying
// (a RunPreparer): they are ~2 % of a recording's records but were ~14 % of
// the applying thread's instructions (memory_update lines of ~450 bytes).
// A memory_update that decodes without a warning is kept decoded and applied
// as it is. Every other text record, and one that warns or fails, is left to
// the store's decoder, so warnings and errors come from it in file order as
// they do from JSON Lines. The fork sees every text record the store's
// decoder will, in the same order, so it holds the same time units.
class TextsAhead {
public:
    TextsAhead(const MessageDecoder& storeDecoder, std::size_t maxLineBytes)
        : m_decoder(storeDecoder.fork()), m_maxLineBytes(maxLineBytes)
    {
    }
    void operator()(recording::RecordRun& run, std::uint64_t firstLine)
    {
        for (const std::uint32_t i : run.textRecords) {
            DecodedCommon& c = run.common[i];
            if (c.kind != DecodedCommon::Other || c.id.text.size() > m_maxLineBytes)
                continue; // a line over the limit is refused when applied, never decoded
            try {
                const auto r = m_decoder.decodeInto(padLine(m_padded, c.id.text), firstLine + i, m_message);
                if (r && *r && m_decoder.warnings().empty() && DecodedTexts::keeps(m_message)) {
                    c.bytes = run.texts.add(m_message);
                    c.kind = DecodedCommon::Decoded;
                }
            } catch (const std::exception&) {
                // out of memory: the record stays text, for the store's decoder
            }
        }
        run.texts.finish();
    }

private:
    MessageDecoder m_decoder;
    std::size_t m_maxLineBytes;
    std::string m_padded;
    Message m_message;
};

// Format 2: allocations and frees come decoded (applied with their id's
// hash, no JSON in between); memory_update records come decoded too
// (TextsAhead); the other text and raw records go through the decoder
// exactly as their JSON Lines line would.
RecordingReadResult loadCompact(const std::string& path, SessionStore& store, const RecordingReadOptions& options)
{
    std::string padded;
    // Allocations and frees are applied a run at a time from their lean form
    // (DecodedCommon: what the store needs, 80 bytes, where a CompactRecord
    // is ~200); a text or raw record between them goes through ingest().
    auto sink = [&](recording::DecodedRecords decoded, std::uint64_t firstLine) {
        const std::span<const DecodedCommon> common = decoded.common;
        const std::size_t n = common.size();
        std::size_t i = 0;
        while (i < n) {
            if (common[i].kind <= DecodedCommon::Free) {
                i += store.applyCommonRun(common.subspan(i), firstLine + i);
                continue;
            }
            const std::uint64_t line = firstLine + i;
            if (common[i].kind == DecodedCommon::Decoded) {
                store.apply((*decoded.texts)[common[i].bytes], line);
                ++i;
                continue;
            }
            const std::string_view text = common[i].id.text; // kind Other: the line
            if (text.size() > options.maxLineBytes) {
                store.addDecodeError(line, "line " + std::to_string(line) + ": " + std::to_string(text.size())
                                               + " bytes, over the " + std::to_string(options.maxLineBytes)
                                               + "-byte limit: refused");
            } else {
                store.ingest(padLine(padded, text), line);
            }
            ++i;
        }
        if (options.beforeReuse)
            options.beforeReuse();
    };
    RecordingReadOptions opts = options;
    opts.onProblem = [&store, user = options.onProblem](const ReadProblem& p) {
        storeProblem(store, p);
        if (user)
            user(p);
    };
    TextsAhead textsAhead(store.decoder(), options.maxLineBytes);
    auto result = recording::readCompactRecording(
        path, sink, opts, recording::RecordForm::Lean,
        [&textsAhead](recording::RecordRun& run, std::uint64_t firstLine) { textsAhead(run, firstLine); });
    if (result.ioError)
        store.addDecodeError(0, result.ioError->message);
    return result;
}

} // namespace

RecordingReadResult loadRecording(const std::string& path, SessionStore& store, const RecordingReadOptions& options)
{
    if (recording::isFormat2File(path))
        return loadCompact(path, store, options);
    // The common lines (allocation, free) are decoded in place as they are
    // read and applied kLookahead lines later, in the same order: meanwhile
    // the id of each newer free is prefetched in stages (table slot, then
    // record, then id text), so that the cache misses of the id lookup overlap
    // with decoding instead of stalling it. Pending lines are applied before
    // the reader reuses their buffer (beforeReuse) and before any other line
    // or reader problem, so every line is decoded and applied in file order
    // and every report keeps its order.
    struct Pending {
        Message message;  // decoded in place: its strings point into the reader's buffer
        HashedId id;
        std::uint64_t line = 0;
        bool isFree = false;
    };
    constexpr std::size_t kStageGap = 1;              // lines between two prefetch stages
    constexpr std::size_t kLookahead = 3 * kStageGap; // lines between decoding and applying
    std::array<Pending, kLookahead + 1> ring;
    std::size_t first = 0, count = 0; // pending lines: ring[first], ... (count of them)
    auto applyOldest = [&] {
        const Pending& p = ring[first];
        store.applyDecoded(p.message, p.line, p.id);
        first = (first + 1) % ring.size();
        --count;
    };
    auto flush = [&] {
        while (count > 0)
            applyOldest();
    };
    MessageDecoder& decoder = store.decoder();
    auto sink = [&](std::string_view line, std::uint64_t n, bool unterminated) {
        Pending& p = ring[(first + count) % ring.size()]; // free: count <= kLookahead here
        if (unterminated || !decoder.decodeCommon(line, p.message)) {
            flush();
            store.ingest(line, n, unterminated);
            return;
        }
        const auto* a = p.message.as<AllocationMsg>();
        const std::string_view id = a ? a->id : p.message.as<FreeMsg>()->allocationId;
        p.id = {id, hashId(id)};
        p.line = n;
        // A new allocation's lookup only finds its slot empty (the live-id
        // index stays in cache): frees are the ones worth prefetching.
        p.isFree = a == nullptr;
        ++count;
        std::array<std::optional<std::uint64_t>, 3> keys; // one call for the three stages
        if (p.isFree)
            keys[0] = p.id.key;
        for (std::size_t stage = 1; stage <= 2; ++stage)
            if (count > stage * kStageGap)
                if (const Pending& q = ring[(first + count - 1 - stage * kStageGap) % ring.size()]; q.isFree)
                    keys[stage] = q.id.key;
        if (keys[0] || keys[1] || keys[2])
            store.prefetchIds(keys);
        if (count > kLookahead)
            applyOldest();
    };

    RecordingReadOptions opts = options;
    opts.beforeReuse = [&flush, user = options.beforeReuse] {
        flush();
        if (user)
            user();
    };
    opts.onProblem = [&store, &flush, user = options.onProblem](const ReadProblem& p) {
        flush();
        storeProblem(store, p);
        if (user)
            user(p);
    };
    auto result = readRecording(path, sink, opts);
    flush();
    if (result.ioError)
        store.addDecodeError(0, result.ioError->message);
    return result;
}

} // namespace flight::protocol
