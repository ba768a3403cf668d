// SPDX-License-Identifier: MIT
// The loader reads format 2 in the lean form (RecordForm::Lean: a
// DecodedCommon per record, no Message built). It must hand over exactly the
// records the full form holds: same kinds, ids, hashes, sessions, times,
// sizes, purposes, seqs, freedAt and lines, decoded ahead or in line.
#include "compact_test_support.h"

#include "model/id_hash.h"
#include "recording/compact_reader.h"

#include "scratch_files.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>

using namespace flight;
using namespace flight::protocol;
using namespace flight::recording;

namespace {

// One record as a string of every field the loader reads, from the full form
// (the Message: the truth) or from the lean form.
std::string fromFull(const CompactRecord& r)
{
    if (r.kind == RecordKind::Text || r.kind == RecordKind::Raw)
        return "line " + std::string(r.text);
    const Message& m = r.message;
    const std::string seq = m.seq ? std::to_string(*m.seq) : "-";
    if (const auto* a = m.as<AllocationMsg>())
        return "alloc " + std::string(a->id) + " " + std::to_string(hashId(a->id)) + " " + std::string(a->sessionId)
               + " " + std::to_string(a->allocatedAt) + " " + std::to_string(a->bytes) + " "
               + std::to_string(a->purpose.id()) + " " + seq + " "
               + (a->freedAt ? std::to_string(*a->freedAt) : "-");
    const auto& f = std::get<FreeMsg>(m.payload);
    return "free " + std::string(f.allocationId) + " " + std::to_string(hashId(f.allocationId)) + " "
           + std::string(f.sessionId) + " " + std::to_string(f.freedAt) + " " + seq;
}

std::string fromLean(const DecodedCommon& c)
{
    if (c.kind == DecodedCommon::Other)
        return "line " + std::string(c.id.text);
    const std::string seq = (c.flags & DecodedCommon::HasSeq) ? std::to_string(c.seq) : "-";
    if (c.kind == DecodedCommon::Allocation)
        return "alloc " + std::string(c.id.text) + " " + std::to_string(c.id.key) + " " + std::string(c.sessionId())
               + " " + std::to_string(c.time) + " " + std::to_string(c.bytes) + " " + std::to_string(c.purpose) + " "
               + seq + " " + (c.freedAt ? std::to_string(*c.freedAt) : "-");
    return "free " + std::string(c.id.text) + " " + std::to_string(c.id.key) + " " + std::string(c.sessionId()) + " "
           + std::to_string(c.time) + " " + seq;
}

struct Read {
    std::vector<std::string> records;
    std::vector<std::uint64_t> firstLines;
    RecordingReadResult result;
};

// Every record the reader hands over: in the full form both its Message and
// its lean twin (they must agree), in the lean form the lean record only.
Read readAll(const std::string& path, RecordForm form, bool ahead)
{
    Read out;
    RecordingReadOptions o;
    o.zstdThread = ahead;
    out.result = readCompactRecording(path, [&](DecodedRecords d, std::uint64_t first) {
        out.firstLines.push_back(first);
        if (form == RecordForm::Lean) {
            EXPECT_TRUE(d.records.empty());
        } else {
            EXPECT_EQ(d.records.size(), d.common.size());
            for (std::size_t i = 0; i < d.records.size(); ++i) {
                EXPECT_EQ(fromLean(d.common[i]), fromFull(d.records[i])) << first + i;
                if (d.records[i].kind == RecordKind::Allocation || d.records[i].kind == RecordKind::Free) {
                    EXPECT_EQ(d.records[i].idKey, d.common[i].id.key);
                }
            }
        }
        for (const DecodedCommon& c : d.common)
            out.records.push_back(fromLean(c));
    }, o, form);
    return out;
}

// The same runs (first lines), line count and records, record by record.
void expectSameRead(const Read& got, const Read& want)
{
    EXPECT_EQ(got.firstLines, want.firstLines);
    EXPECT_EQ(got.result.lines, want.result.lines);
    ASSERT_EQ(got.records.size(), want.records.size());
    for (std::size_t i = 0; i < got.records.size(); ++i)
        ASSERT_EQ(got.records[i], want.records[i]) << "record " << i;
}

} // namespace

TEST(CompactLean, LeanRecordsAreTheFullRecords)
{
    std::vector<Message> m = test::everyKind(0); // every kind, with awkward ids and values
    m.pop_back();                                // (its session_ended: more follows)
    std::deque<std::string> ids, labels; // the messages' views point into them
    const std::array<std::string_view, 3> sessions{"vm-1", "vm-2", "a-much-longer-session-name-vm-3"};
    const std::array<MemoryPurpose, 3> purposes{MemoryPurpose(StandardPurpose::VmHeap),
                                                MemoryPurpose::fromName("lean-custom-one"),
                                                MemoryPurpose::fromName("lean-custom-two")};
    // Long numbered prefixes: a run's composed ids outgrow their first buffer
    // mid-run (the ids composed before are moved with it).
    const std::string longPrefix = std::string(200, 'p') + "-";
    const std::int64_t t0 = 1764000002000;
    for (std::uint64_t i = 0; i < 12000; ++i) {
        const std::int64_t t = t0 + static_cast<std::int64_t>(i / 3);
        const std::string_view session = sessions[i % 3];
        const std::optional<std::uint64_t> seq = i % 11 == 5 ? std::nullopt : std::optional(100 + i);
        const std::optional<std::int64_t> received = i % 5 == 0 ? std::nullopt : std::optional(t + 1);
        switch (i % 13) {
        case 3: { // a text record between the runs of allocations and frees
            labels.push_back("step " + std::to_string(i));
            m.push_back({MarkerMsg{session, t, labels.back()}, seq, received});
            break;
        }
        case 7: // frees, of a numbered and of a non-numbered id
        case 8:
            m.push_back({FreeMsg{session, ids[ids.size() - 2 - (i % 2)], t}, seq, received});
            break;
        default:
            if (i % 4 == 1)
                ids.push_back("obj-" + std::to_string(i) + "-x"); // not numbered
            else if (i % 9 == 2)
                ids.push_back(longPrefix + std::to_string(i * 1000003));
            else if (i % 17 == 4)
                ids.push_back("a-0" + std::to_string(i)); // a leading zero: not numbered
            else
                ids.push_back("a-" + std::to_string(i * 37 % 5000));
            m.push_back({AllocationMsg{ids.back(), session, 8 + i * 97 % 100000, purposes[i % 3], t,
                                       i % 6 == 0 ? std::optional(t + 40) : std::nullopt},
                         seq, received});
        }
    }
    test::ScratchDir dir("compact-lean");
    const std::string path = (dir / "a.fmr").string();
    test::writeMessages(path, m, RecordingFormat::Compact, 9000); // blocks of several runs

    const Read full = readAll(path, RecordForm::Full, false);
    ASSERT_EQ(full.records.size(), 1 + m.size() + 2); // the header line, the messages, the two malformed frames writeMessages adds
    EXPECT_TRUE(full.result.problems.empty());
    for (const bool ahead : {false, true}) {
        SCOPED_TRACE(ahead ? "decoded ahead" : "in line");
        expectSameRead(readAll(path, RecordForm::Lean, ahead), full);
    }
    // What the file holds, as the full form gave it: every case above met.
    std::map<std::string, std::size_t> kinds, bySession, byPurpose;
    for (const std::string& r : full.records) {
        std::vector<std::string> fields; // kind id key session time [bytes purpose] seq [freedAt]
        for (std::size_t at = 0, end = 0; at <= r.size(); at = end + 1) {
            end = std::min(r.find(' ', at), r.size());
            fields.push_back(r.substr(at, end - at));
        }
        if (fields[0] == "line") {
            ++kinds[r.find("\"type\":\"marker\"") != std::string::npos ? "marker" : "line"];
            continue;
        }
        const std::string& id = fields[1];
        ++kinds[fields[0] + (id.starts_with(longPrefix) ? " long" : id.starts_with("obj-") ? " obj" : id.starts_with("a-0") ? " zero" : "")];
        ++bySession[fields[3]];
        if (fields[0] == "alloc") {
            ++byPurpose[fields[6]];
            kinds["freedAt"] += fields[8] != "-";
        }
        kinds["no seq"] += fields[0] == "alloc" ? fields[7] == "-" : fields[5] == "-";
    }
    EXPECT_GT(kinds["marker"], 900u);
    EXPECT_GE(kinds["line"], 5u);          // everyKind's other kinds and the malformed frames
    EXPECT_GT(kinds["alloc"], 3000u);      // numbered
    EXPECT_GT(kinds["alloc long"], 500u);  // numbered, long prefix
    EXPECT_GT(kinds["alloc obj"], 2000u);  // not numbered
    EXPECT_GT(kinds["alloc zero"], 50u);   // not numbered (leading zero)
    EXPECT_GT(kinds["free"] + kinds["free long"] + kinds["free zero"], 500u);
    EXPECT_GT(kinds["free obj"], 400u);
    EXPECT_GT(kinds["freedAt"], 1000u);
    EXPECT_GT(kinds["no seq"], 500u);
    for (const std::string_view s : sessions)
        EXPECT_GT(bySession[std::string(s)], 2500u) << s;
    for (const MemoryPurpose& p : purposes)
        EXPECT_GT(byPurpose[std::to_string(p.id())], 2000u) << p.name();
}

// Decoded ahead, lean runs are queued 16 deep and a reader that found the
// queue full resumes once half of it is free (compact_reader.cpp). A file of
// many more runs than that, read by a sink slower than the reader (it
// formats every record), reaches the sink whole and in order, as in line;
// a sink that throws once the queue has filled stops the reader, and the
// exception reaches the caller (no hang, no thread left running).
TEST(CompactLean, ManyMoreRunsThanTheQueueHoldsArriveWholeAndInOrder)
{
    test::ScratchDir dir("compact-lean-queue");
    const auto [path, bytes] = test::writeCompactFile(dir, 100000, 1500);
    const Read inLine = readAll(path, RecordForm::Lean, false);
    ASSERT_GT(inLine.firstLines.size(), 3u * 16u);
    EXPECT_TRUE(inLine.result.problems.empty());
    expectSameRead(readAll(path, RecordForm::Lean, true), inLine);

    int calls = 0;
    const RecordingReadOptions o; // decoded ahead: the default
    ASSERT_TRUE(o.zstdThread);
    EXPECT_THROW((void)readCompactRecording(path, [&](DecodedRecords, std::uint64_t) {
        if (++calls == 40)
            throw std::runtime_error("sink gave up");
    }, o, RecordForm::Lean), std::runtime_error);
    EXPECT_EQ(calls, 40);
}
