// SPDX-License-Identifier: MIT
#include "records_around.h"

#include "recording/compact_reader.h"

#include "protocol/message_decoder.h"
#include "protocol/message_time.h"
#include "protocol/printable_text.h"
#include "model/memory_size.h"

#include <algorithm>
#include <optional>

namespace flight::recording {
namespace {

constexpr std::size_t kTextCap = 240; // a row is one line for a person
constexpr std::size_t kIdCap = 120;

std::string capped(std::string_view text, std::size_t cap)
{
    std::string out = protocol::printableText(text.substr(0, cap));
    if (text.size() > cap)
        out += "…";
    return out;
}

// Turns decoded records into rows, in file order.
class RowCollector {
public:
    // startMs: the time of records before the first with a time of its own (the block's first time).
    // startMs: none in a block without a time (its records before a timed one are left out).
    RowCollector(const std::string& sessionId, std::vector<RecordAround>& rows, std::optional<std::int64_t> startMs)
        : m_session(sessionId), m_rows(rows), m_lastTime(startMs)
    {
    }

    void add(std::span<const CompactRecord> records, std::uint64_t firstLine)
    {
        for (std::size_t i = 0; i < records.size(); ++i)
            add(records[i], firstLine + i);
    }

private:
    void add(const CompactRecord& r, std::uint64_t line)
    {
        RecordAround row;
        row.line = line;
        row.kind = r.kind;
        std::optional<protocol::Message> text;
        const protocol::Message* message = nullptr;
        if (r.kind == RecordKind::Allocation || r.kind == RecordKind::Free) {
            message = &r.message;
        } else if (r.kind == RecordKind::Text && r.text.size() <= protocol::RecordingReadOptions{}.maxLineBytes) {
            // The decoder reads past the line (simdjson): a padded copy, as loadRecording gives it.
            m_padded.assign(r.text);
            m_padded.push_back('\n');
            m_padded.append(protocol::kLinePadding, '\0');
            if (auto decoded = m_decoder.decode(std::string_view(m_padded).substr(0, r.text.size()), line); decoded && *decoded) {
                text = std::move(**decoded);
                message = &*text;
            }
        }
        if (message) {
            const std::string_view session = message->sessionId();
            if (!m_session.empty() && !session.empty() && session != m_session)
                return;
            if (const auto t = protocol::messageTime(*message))
                m_lastTime = *t;
            row.type = std::string(protocol::typeName(message->payload));
        } else {
            row.type = r.kind == RecordKind::Raw ? "unreadable" : "unknown";
        }
        if (!m_lastTime)
            return; // a hello or header before any time: nothing happened yet
        row.timeMs = *m_lastTime; // a record without a time of its own sits where the stream was
        if (const auto* a = message ? std::get_if<protocol::AllocationMsg>(&message->payload) : nullptr) {
            row.id = capped(a->id, kIdCap);
            row.bytes = a->bytes;
            row.purpose = a->purpose.displayName();
        } else if (const auto* f = message ? std::get_if<protocol::FreeMsg>(&message->payload) : nullptr) {
            row.id = capped(f->allocationId, kIdCap);
        } else {
            row.text = message ? summary(*message) : std::string();
            if (row.text.empty())
                row.text = capped(r.text, kTextCap);
        }
        m_rows.push_back(std::move(row));
    }

    // One line for the messages a person reads most; empty: the line as written.
    static std::string summary(const protocol::Message& m)
    {
        if (const auto* u = std::get_if<protocol::MemoryUpdateMsg>(&m.payload); u && u->usedBytes) {
            std::string text = "used " + formatBytes(*u->usedBytes);
            if (u->totalBytes)
                text += " of " + formatBytes(*u->totalBytes);
            return text;
        }
        if (const auto* k = std::get_if<protocol::MarkerMsg>(&m.payload))
            return capped(k->label, kTextCap);
        if (const auto* e = std::get_if<protocol::ErrorMsg>(&m.payload))
            return std::string(toString(e->code)) + ": " + capped(e->message, kTextCap);
        return {};
    }

    const std::string& m_session;
    std::vector<RecordAround>& m_rows;
    protocol::MessageDecoder m_decoder;
    std::string m_padded;
    std::optional<std::int64_t> m_lastTime;
};

bool hasTime(const IndexedBlock& b)
{
    return b.minTime <= b.maxTime;
}

// Index positions of the blocks holding atMs; else of the one nearest it.
std::vector<std::size_t> blocksHolding(const CompactIndex& index, std::int64_t atMs)
{
    std::vector<std::size_t> out;
    std::optional<std::size_t> nearest;
    std::int64_t nearestGap = 0;
    for (std::size_t i = 0; i < index.blocks.size(); ++i) {
        const IndexedBlock& b = index.blocks[i];
        if (!hasTime(b))
            continue;
        if (b.minTime <= atMs && atMs <= b.maxTime) {
            out.push_back(i);
            continue;
        }
        const std::int64_t gap = atMs < b.minTime ? b.minTime - atMs : atMs - b.maxTime;
        if (!nearest || gap < nearestGap) {
            nearest = i;
            nearestGap = gap;
        }
    }
    if (out.empty() && nearest)
        out.push_back(*nearest);
    return out;
}

} // namespace

Result<RecordsAround> readRecordsAround(const std::string& path, const CompactIndex& index, std::int64_t atMs,
                                        const std::string& sessionId, std::size_t maxRows)
{
    std::vector<std::size_t> chosen = blocksHolding(index, atMs);
    if (chosen.empty())
        return makeError(MemoryErrorCode::MalformedInput, path + ": no block with a time to seek to", path);
    RecordsAround out;
    out.atMs = atMs;
    out.blocksTotal = index.blocks.size();
    std::vector<RecordAround> rows;

    // Reads the blocks at `positions` (file order), adding their rows; false on an I/O error.
    const auto read = [&](const std::vector<std::size_t>& positions) -> Result<void> {
        std::vector<IndexedBlock> blocks;
        for (const std::size_t p : positions)
            blocks.push_back(index.blocks[p]);
        // Each block on its own collector: a record without a time takes its own block's last time.
        std::vector<RecordAround> got;
        std::optional<RowCollector> collector;
        std::uint64_t expectedLine = 0;
        const auto result = readCompactBlocks(path, blocks, [&](std::span<const CompactRecord> r, std::uint64_t firstLine) {
            if (!collector || firstLine != expectedLine) {
                const auto block = std::ranges::find(blocks, firstLine - 1, &IndexedBlock::firstRecord);
                collector.emplace(sessionId, got, block != blocks.end() && hasTime(*block) ? std::optional(block->minTime) : std::nullopt);
            }
            collector->add(r, firstLine);
            expectedLine = firstLine + r.size();
            out.recordsRead += r.size();
        });
        if (result.ioError)
            return std::unexpected(*result.ioError);
        for (const auto& p : result.problems)
            out.problems.push_back(p.message);
        out.blocksRead += blocks.size();
        rows.insert(rows.end(), std::make_move_iterator(got.begin()), std::make_move_iterator(got.end()));
        return {};
    };
    if (auto r = read(chosen); !r)
        return std::unexpected(r.error());

    // Context: the neighbour in file order on a side that has fewer than half the rows wanted.
    const std::size_t half = maxRows / 2;
    const auto before = static_cast<std::size_t>(std::ranges::count_if(rows, [&](const RecordAround& r) { return r.timeMs < atMs; }));
    const std::size_t after = rows.size() - before;
    std::vector<std::size_t> neighbours;
    const std::size_t first = std::ranges::min(chosen), last = std::ranges::max(chosen);
    if (before < half && first > 0)
        neighbours.push_back(first - 1);
    if (after < maxRows - half && last + 1 < index.blocks.size())
        neighbours.push_back(last + 1);
    if (!neighbours.empty())
        if (auto r = read(neighbours); !r)
            return std::unexpected(r.error());

    std::ranges::stable_sort(rows, [](const RecordAround& a, const RecordAround& b) {
        return a.timeMs != b.timeMs ? a.timeMs < b.timeMs : a.line < b.line;
    });
    const auto at = std::ranges::lower_bound(rows, atMs, {}, &RecordAround::timeMs);
    const auto atPos = static_cast<std::size_t>(at - rows.begin());
    std::size_t from = atPos >= half ? atPos - half : 0;
    std::size_t to = std::min(rows.size(), from + maxRows);
    from = to >= maxRows ? std::min(from, to - maxRows) : 0; // short after t: more before
    out.rows.assign(std::make_move_iterator(rows.begin() + static_cast<std::ptrdiff_t>(from)),
                    std::make_move_iterator(rows.begin() + static_cast<std::ptrdiff_t>(to)));
    out.rowsBefore = atPos - from;
    return out;
}

} // namespace flight::recording
