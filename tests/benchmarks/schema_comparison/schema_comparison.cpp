// SPDX-License-Identifier: MIT
// Format 2 against protobuf, FlatBuffers and Cap'n Proto on the 2 M-event churn
// workload (docs/performance.md, "Format 2 against schema libraries"). The same
// events, in blocks of 65,536 each compressed with zstd level 3 as format 2
// does; per encoding: bytes per event, and CPU per event to encode and to decode
// (decompress, parse or verify, and read every field). Every decoder must give
// the same checksum over the events, so none is measured reading less.
// Not a ctest test: run bin/schema_comparison by hand, in Release.

#include "benchmark_inputs.h"

#include "recording/compact_reader.h"
#include "recording/compact_writer.h"

#include "event.capnp.h"
#include "event.pb.h"
#include "event_generated.h"

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <zstd.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

using namespace flight;

constexpr std::size_t kBlockEvents = 65536;
constexpr int kLevel = 3;
constexpr int kRounds = 5;

struct Event {
    std::uint8_t kind = 0; // 0 allocation, 1 free, 2 text line
    std::string session, id, text;
    std::uint64_t size = 0;
    std::uint8_t purpose = 0;
    std::int64_t time = 0;
    std::uint64_t seq = 0;
    std::int64_t received = 0;
};

// What every decoder folds every field into.
struct Checksum {
    std::uint64_t value = 0;
    void add(std::uint64_t v) { value = value * 1099511628211ull + v; }
    void event(std::uint64_t kind, std::size_t session, std::size_t id, std::uint64_t size, std::uint64_t purpose,
               std::int64_t time, std::uint64_t seq, std::int64_t received, std::size_t text)
    {
        add(kind), add(session), add(id), add(size), add(purpose);
        add(static_cast<std::uint64_t>(time)), add(seq), add(static_cast<std::uint64_t>(received)), add(text);
    }
};

double cpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

[[noreturn]] void fail(const char* what)
{
    std::fprintf(stderr, "schema_comparison: %s\n", what);
    std::exit(1);
}

std::string compress(std::string_view raw)
{
    std::string out(ZSTD_compressBound(raw.size()), '\0');
    const std::size_t n = ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), kLevel);
    if (ZSTD_isError(n))
        fail("zstd compression failed");
    out.resize(n);
    return out;
}

void decompress(std::string_view packed, std::string& into)
{
    const auto size = ZSTD_getFrameContentSize(packed.data(), packed.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN)
        fail("zstd frame without its size");
    into.resize(size);
    if (ZSTD_isError(ZSTD_decompress(into.data(), into.size(), packed.data(), packed.size())))
        fail("zstd decompression failed");
}

// The churn file's records as plain events: the input of every encoding.
std::vector<Event> readEvents(const std::string& path)
{
    std::vector<Event> events;
    protocol::RecordingReadOptions options;
    options.zstdThread = false;
    const auto result = recording::readCompactRecording(path, [&](std::span<const recording::CompactRecord> records,
                                                                  std::uint64_t) {
        for (const auto& r : records) {
            Event e;
            e.seq = r.message.seq.value_or(0);
            e.received = r.message.receivedAt.value_or(0);
            // `message` holds only for allocations and frees (a text record's may be a stale one).
            const auto* a = r.kind == recording::RecordKind::Allocation ? r.message.as<protocol::AllocationMsg>() : nullptr;
            const auto* f = r.kind == recording::RecordKind::Free ? r.message.as<protocol::FreeMsg>() : nullptr;
            if (a) {
                e.kind = 0, e.session = a->sessionId, e.id = a->id, e.size = a->bytes;
                e.purpose = static_cast<std::uint8_t>(a->purpose.id()), e.time = a->allocatedAt;
            } else if (f) {
                e.kind = 1, e.session = f->sessionId, e.id = f->allocationId, e.time = f->freedAt;
            } else {
                e.kind = 2, e.text = r.text, e.seq = 0, e.received = 0;
                e.time = events.empty() ? 0 : events.back().time;
            }
            events.push_back(std::move(e));
        }
    }, options);
    if (!result.problems.empty() || result.ioError)
        fail("the churn recording did not read cleanly");
    return events;
}

std::uint64_t expectedChecksum(const std::vector<Event>& events)
{
    Checksum c;
    for (const auto& e : events)
        c.event(e.kind, e.session.size(), e.id.size(), e.size, e.purpose, e.time, e.seq, e.received, e.text.size());
    return c.value;
}

// Times and seqs as every schema stores them: the change from the previous event.
struct Deltas {
    std::int64_t time = 0;
    std::uint64_t seq = 0;
    // Encoding: the deltas to `e`, which becomes the previous event.
    std::pair<std::int64_t, std::int64_t> next(const Event& e)
    {
        const std::pair d{e.time - time, static_cast<std::int64_t>(e.seq - seq)};
        time = e.time, seq = e.seq;
        return d;
    }
    // Decoding: the running values after the deltas read.
    void add(std::int64_t timeDelta, std::int64_t seqDelta)
    {
        time += timeDelta;
        seq += static_cast<std::uint64_t>(seqDelta);
    }
};

// Encodes `events` in blocks of kBlockEvents: `serialise` gives a block's bytes
// (valid until its next call), which are kept compressed in `blocks`. Returns
// the compressed size of all of them.
template <typename Serialise>
std::uint64_t encodeBlocks(const std::vector<Event>& events, std::vector<std::string>& blocks, Serialise serialise)
{
    blocks.clear();
    std::uint64_t bytes = 0;
    Deltas deltas;
    for (std::size_t at = 0; at < events.size(); at += kBlockEvents) {
        const std::string_view raw = serialise(std::span(events).subspan(at, std::min(kBlockEvents, events.size() - at)), deltas);
        blocks.push_back(compress(raw));
        bytes += blocks.back().size();
    }
    return bytes;
}

// ---- format 2: the product's own writer and reader ------------------------

struct Format2 {
    std::string path;

    std::uint64_t encode(const std::vector<Event>& events)
    {
        recording::CompactWriter writer(kLevel);
        std::string out = recording::CompactWriter::preamble();
        for (const auto& e : events) {
            protocol::Message m;
            if (e.kind == 2) {
                writer.addRaw(e.text);
            } else {
                if (e.kind == 0)
                    m.payload = protocol::AllocationMsg{e.id, e.session, e.size, MemoryPurpose::fromId(e.purpose), e.time, {}};
                else
                    m.payload = protocol::FreeMsg{e.session, e.id, e.time};
                m.seq = e.seq;
                writer.add(m, e.received);
            }
            if (writer.blockFull() && !writer.endBlock(out, out.size()))
                fail("format 2: endBlock failed");
        }
        if (!writer.finish(out, out.size()))
            fail("format 2: finish failed");
        std::ofstream(path, std::ios::binary).write(out.data(), static_cast<std::streamsize>(out.size()));
        return out.size();
    }

    std::uint64_t decode()
    {
        Checksum c;
        std::int64_t lastTime = 0;
        protocol::RecordingReadOptions options;
        options.zstdThread = false;
        recording::readCompactRecording(path, [&](std::span<const recording::CompactRecord> records, std::uint64_t) {
            for (const auto& r : records) {
                const auto seq = r.message.seq.value_or(0);
                const auto received = r.message.receivedAt.value_or(0);
                const auto* a = r.kind == recording::RecordKind::Allocation ? r.message.as<protocol::AllocationMsg>() : nullptr;
                const auto* f = r.kind == recording::RecordKind::Free ? r.message.as<protocol::FreeMsg>() : nullptr;
                if (a) {
                    c.event(0, a->sessionId.size(), a->id.size(), a->bytes, a->purpose.id(), a->allocatedAt, seq, received, 0);
                    lastTime = a->allocatedAt;
                } else if (f) {
                    c.event(1, f->sessionId.size(), f->allocationId.size(), 0, 0, f->freedAt, seq, received, 0);
                    lastTime = f->freedAt;
                } else {
                    c.event(2, 0, 0, 0, 0, lastTime, 0, 0, r.text.size());
                }
            }
        }, options);
        return c.value;
    }
};

// ---- protobuf: one Block message of repeated Events per block ----------------

struct Protobuf {
    std::vector<std::string> blocks;

    std::uint64_t encode(const std::vector<Event>& events)
    {
        flightcmp::Block block;
        std::string raw;
        return encodeBlocks(events, blocks, [&](std::span<const Event> part, Deltas& deltas) -> std::string_view {
            block.Clear();
            for (const auto& e : part) {
                const auto [timeDelta, seqDelta] = deltas.next(e);
                auto* m = block.add_events();
                m->set_kind(e.kind);
                m->set_session(e.session);
                m->set_id(e.id);
                m->set_size(e.size);
                m->set_purpose(e.purpose);
                m->set_time_delta(timeDelta);
                m->set_seq_delta(seqDelta);
                m->set_received_delta(e.received == 0 ? 0 : e.received - e.time);
                m->set_text(e.text);
            }
            block.SerializeToString(&raw);
            return raw;
        });
    }

    std::uint64_t decode()
    {
        Checksum c;
        flightcmp::Block block;
        std::string raw;
        Deltas at;
        for (const auto& packed : blocks) {
            decompress(packed, raw);
            if (!block.ParseFromString(raw))
                fail("protobuf: a block did not parse");
            for (const auto& m : block.events()) {
                at.add(m.time_delta(), m.seq_delta());
                const std::int64_t received = m.kind() == 2 ? 0 : at.time + m.received_delta();
                c.event(m.kind(), m.session().size(), m.id().size(), m.size(), m.purpose(), at.time, at.seq, received,
                        m.text().size());
            }
        }
        return c.value;
    }
};

// ---- protobuf in columns: format 2's layout written with protobuf ----------

// "a-123" -> ("a-", 124); an id without a plain trailing number -> (id, 0).
std::pair<std::string_view, std::uint64_t> splitId(std::string_view id)
{
    std::size_t digits = 0;
    while (digits < id.size() && digits < 18 && id[id.size() - 1 - digits] >= '0' && id[id.size() - 1 - digits] <= '9')
        ++digits;
    if (digits == 0 || (digits > 1 && id[id.size() - digits] == '0'))
        return {id, 0};
    std::uint64_t n = 0;
    for (const char c : id.substr(id.size() - digits))
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
    return {id.substr(0, id.size() - digits), n + 1};
}

struct ProtobufColumns {
    std::vector<std::string> blocks;

    std::uint64_t encode(const std::vector<Event>& events)
    {
        flightcmp::Columns block;
        std::string raw;
        std::unordered_map<std::string_view, std::uint32_t> table;
        std::uint64_t lastNumber = 0;
        const auto intern = [&](std::string_view s) {
            const auto [it, added] = table.try_emplace(s, static_cast<std::uint32_t>(table.size()));
            if (added)
                block.add_strings(std::string(s));
            return it->second;
        };
        return encodeBlocks(events, blocks, [&](std::span<const Event> part, Deltas& deltas) -> std::string_view {
            block.Clear();
            table.clear();
            for (const auto& e : part) {
                const auto [timeDelta, seqDelta] = deltas.next(e);
                block.add_kind(e.kind);
                block.add_time_delta(timeDelta);
                block.add_seq_delta(seqDelta);
                if (e.kind == 2) {
                    block.add_text(intern(e.text));
                    continue;
                }
                block.add_session(intern(e.session));
                const auto [prefix, number] = splitId(e.id);
                block.add_id_prefix(intern(prefix));
                block.add_id_number_delta(static_cast<std::int64_t>(number - lastNumber));
                if (number != 0)
                    lastNumber = number;
                block.add_received_delta(e.received - e.time);
                if (e.kind == 0) {
                    block.add_size(e.size);
                    block.add_purpose(e.purpose);
                }
            }
            block.SerializeToString(&raw);
            return raw;
        });
    }

    std::uint64_t decode()
    {
        Checksum c;
        flightcmp::Columns block;
        std::string raw;
        Deltas at;
        std::uint64_t lastNumber = 0;
        std::string idText;
        for (const auto& packed : blocks) {
            decompress(packed, raw);
            if (!block.ParseFromString(raw))
                fail("protobuf columns: a block did not parse");
            const int n = block.kind_size();
            if (block.time_delta_size() != n || block.seq_delta_size() != n)
                fail("protobuf columns: columns of different lengths");
            int ids = 0, sizes = 0, texts = 0;
            const auto string = [&](std::uint32_t i) -> const std::string& {
                if (i >= static_cast<std::uint32_t>(block.strings_size()))
                    fail("protobuf columns: string index out of range");
                return block.strings(static_cast<int>(i));
            };
            for (int i = 0; i < n; ++i) {
                at.add(block.time_delta(i), block.seq_delta(i));
                const std::uint32_t kind = block.kind(i);
                if (kind == 2) {
                    if (texts >= block.text_size())
                        fail("protobuf columns: text column ends early");
                    c.event(2, 0, 0, 0, 0, at.time, 0, 0, string(block.text(texts++)).size());
                    continue;
                }
                if (ids >= block.session_size() || ids >= block.id_prefix_size() || ids >= block.id_number_delta_size()
                    || ids >= block.received_delta_size())
                    fail("protobuf columns: id columns end early");
                const std::uint64_t number = lastNumber + static_cast<std::uint64_t>(block.id_number_delta(ids));
                if (number != 0)
                    lastNumber = number;
                // The id's text, as a reader hands it on (format 2's reader composes it too).
                idText = string(block.id_prefix(ids));
                if (number != 0) {
                    char digits[20];
                    idText.append(digits, std::to_chars(digits, digits + sizeof digits, number - 1).ptr);
                }
                const std::size_t idSize = idText.size();
                const std::size_t sessionSize = string(block.session(ids)).size();
                const std::int64_t received = at.time + block.received_delta(ids);
                ++ids;
                std::uint64_t size = 0, purpose = 0;
                if (kind == 0) {
                    if (sizes >= block.size_size() || sizes >= block.purpose_size())
                        fail("protobuf columns: size column ends early");
                    size = block.size(sizes), purpose = block.purpose(sizes);
                    ++sizes;
                }
                c.event(kind, sessionSize, idSize, size, purpose, at.time, at.seq, received, 0);
            }
        }
        return c.value;
    }
};

// ---- FlatBuffers: one Block table per block, verified before it is read ------

struct FlatBuffers {
    std::vector<std::string> blocks;

    std::uint64_t encode(const std::vector<Event>& events)
    {
        flatbuffers::FlatBufferBuilder fbb(1 << 20);
        std::vector<flatbuffers::Offset<flightcmp::fb::Event>> offsets;
        return encodeBlocks(events, blocks, [&](std::span<const Event> part, Deltas& deltas) -> std::string_view {
            fbb.Clear();
            offsets.clear();
            for (const auto& e : part) {
                const auto [timeDelta, seqDelta] = deltas.next(e);
                const auto session = fbb.CreateSharedString(e.session);
                const auto id = e.id.empty() ? flatbuffers::Offset<flatbuffers::String>() : fbb.CreateString(e.id);
                const auto text = e.text.empty() ? flatbuffers::Offset<flatbuffers::String>() : fbb.CreateString(e.text);
                offsets.push_back(flightcmp::fb::CreateEvent(fbb, e.kind, session, id, e.size, e.purpose, timeDelta, seqDelta,
                                                             e.received == 0 ? 0 : e.received - e.time, text));
            }
            fbb.Finish(flightcmp::fb::CreateBlock(fbb, fbb.CreateVector(offsets)));
            return {reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize()};
        });
    }

    std::uint64_t decode()
    {
        Checksum c;
        std::string raw;
        Deltas at;
        for (const auto& packed : blocks) {
            decompress(packed, raw);
            flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size(),
                                           64, 4'000'000);
            if (!flightcmp::fb::VerifyBlockBuffer(verifier))
                fail("FlatBuffers: a block did not verify");
            for (const auto* m : *flightcmp::fb::GetBlock(raw.data())->events()) {
                at.add(m->time_delta(), m->seq_delta());
                const std::int64_t received = m->kind() == 2 ? 0 : at.time + m->received_delta();
                c.event(m->kind(), m->session() ? m->session()->size() : 0, m->id() ? m->id()->size() : 0, m->size(),
                        m->purpose(), at.time, at.seq, received, m->text() ? m->text()->size() : 0);
            }
        }
        return c.value;
    }
};

// ---- Cap'n Proto: one Block struct per block, flat (unpacked) then zstd -------

struct CapnProto {
    std::vector<std::string> blocks;

    std::uint64_t encode(const std::vector<Event>& events)
    {
        kj::Array<capnp::word> words; // the last block's, alive until it is compressed
        return encodeBlocks(events, blocks, [&](std::span<const Event> part, Deltas& deltas) -> std::string_view {
            capnp::MallocMessageBuilder message;
            auto list = message.initRoot<flightcmp::capn::Block>().initEvents(static_cast<unsigned>(part.size()));
            unsigned i = 0;
            for (const auto& e : part) {
                const auto [timeDelta, seqDelta] = deltas.next(e);
                auto m = list[i++];
                m.setKind(e.kind);
                m.setSession(e.session);
                if (!e.id.empty())
                    m.setId(e.id);
                m.setSize(e.size);
                m.setPurpose(e.purpose);
                m.setTimeDelta(timeDelta);
                m.setSeqDelta(seqDelta);
                m.setReceivedDelta(e.received == 0 ? 0 : e.received - e.time);
                if (!e.text.empty())
                    m.setText(e.text);
            }
            words = capnp::messageToFlatArray(message);
            const auto flat = words.asChars();
            return {flat.begin(), flat.size()};
        });
    }

    std::uint64_t decode()
    {
        Checksum c;
        std::string raw;
        std::vector<capnp::word> aligned;
        Deltas at;
        capnp::ReaderOptions options;
        options.traversalLimitInWords = 1ull << 30;
        for (const auto& packed : blocks) {
            decompress(packed, raw);
            aligned.resize(raw.size() / sizeof(capnp::word));
            std::memcpy(aligned.data(), raw.data(), aligned.size() * sizeof(capnp::word));
            capnp::FlatArrayMessageReader reader(kj::arrayPtr(aligned.data(), aligned.size()), options);
            for (const auto m : reader.getRoot<flightcmp::capn::Block>().getEvents()) {
                at.add(m.getTimeDelta(), m.getSeqDelta());
                const std::int64_t received = m.getKind() == 2 ? 0 : at.time + m.getReceivedDelta();
                c.event(m.getKind(), m.getSession().size(), m.hasId() ? m.getId().size() : 0, m.getSize(),
                        m.getPurpose(), at.time, at.seq, received, m.hasText() ? m.getText().size() : 0);
            }
        }
        return c.value;
    }
};

struct Figures {
    const char* name;
    std::uint64_t bytes = 0;
    std::vector<double> encodeMs, decodeMs;
};

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

template <typename Encoding> void measure(Encoding& encoding, const std::vector<Event>& events, std::uint64_t expected,
                                          Figures& figures)
{
    double t0 = cpuMs();
    figures.bytes = encoding.encode(events);
    figures.encodeMs.push_back(cpuMs() - t0);
    t0 = cpuMs();
    const std::uint64_t sum = encoding.decode();
    figures.decodeMs.push_back(cpuMs() - t0);
    if (sum != expected) {
        std::fprintf(stderr, "%s: decoded checksum %llx, expected %llx\n", figures.name,
                     static_cast<unsigned long long>(sum), static_cast<unsigned long long>(expected));
        std::exit(1);
    }
}

} // namespace

int main()
{
    const auto& input = bench::benchInput(bench::InputKind::ChurnCompact);
    const std::vector<Event> events = readEvents(input.path);
    const std::uint64_t expected = expectedChecksum(events);
    const auto scratch = std::filesystem::temp_directory_path() / "flight-schema-comparison.fmr";

    Format2 format2{scratch.string()};
    Protobuf protobuf;
    ProtobufColumns protobufColumns;
    FlatBuffers flatbuffers;
    CapnProto capnproto;
    Figures figures[] = {{"format 2", 0, {}, {}}, {"protobuf", 0, {}, {}}, {"protobuf cols", 0, {}, {}},
                         {"FlatBuffers", 0, {}, {}}, {"Cap'n Proto", 0, {}, {}}};
    // Interleaved rounds, so a change in the machine's load touches every encoding alike.
    for (int round = 0; round < kRounds; ++round) {
        measure(format2, events, expected, figures[0]);
        measure(protobuf, events, expected, figures[1]);
        measure(protobufColumns, events, expected, figures[2]);
        measure(flatbuffers, events, expected, figures[3]);
        measure(capnproto, events, expected, figures[4]);
    }
    std::filesystem::remove(scratch);

    const double n = static_cast<double>(events.size());
    std::printf("%zu events (the churn workload), blocks of %zu, zstd level %d, medians of %d rounds (CPU)\n",
                events.size(), kBlockEvents, kLevel, kRounds);
    std::printf("%-14s %14s %12s %16s %16s %14s\n", "encoding", "bytes", "B/event", "encode ns/event",
                "decode ns/event", "decode vs f2");
    const double f2Decode = median(figures[0].decodeMs);
    for (const auto& f : figures)
        std::printf("%-14s %14llu %12.2f %16.1f %16.1f %14.2f\n", f.name, static_cast<unsigned long long>(f.bytes),
                    static_cast<double>(f.bytes) / n, median(f.encodeMs) * 1e6 / n, median(f.decodeMs) * 1e6 / n,
                    median(f.decodeMs) / f2Decode);
    return 0;
}
