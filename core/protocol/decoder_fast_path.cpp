// SPDX-License-Identifier: MIT
// The decoder's fast path: a strict scanner for the common, canonical shape of
// a line: an object without whitespace whose keys and strings hold printable
// ASCII and no escape, integers without fraction or exponent (at most 18
// digits), fragmentationRatio as a plain decimal, sizes as {bytes,
// humanReadable} or a byte count (an integer, or its digits quoted), standard purpose names, known pressure names,
// and only the keys handled below. It fills the same Bags as readObject with
// the same last-one-wins rules, and gives up (returns false, having reported
// nothing) on anything else: the line is then read again by simdjson, which
// decides and words every error. So it can only accept what the full path
// accepts with the same result.
//
// It reads the padded copy of the line (simdjson::SIMDJSON_PADDING zero bytes
// after the end), so it may look up to 16 bytes past `end`: a zero byte there
// never matches a quote, a digit or a key, which keeps every test exact.
#include "protocol/message_decoder_impl.h"

namespace flight::protocol {

namespace {

constexpr int kFirstKeyContext = 64; // + the parent's key: the first key of a record

} // namespace

// One key and its ':'. Canonical lines repeat a handful of key sequences, so
// the key is first compared with the (up to two) keys that followed the same
// key last time: one compare of the quoted bytes instead of a scan and a table
// lookup. A key of any other spelling goes through classify() as usual.
[[gnu::always_inline]] inline bool MessageDecoder::Impl::scanKey(Scan& s, int context, K& key)
{
    auto& predicted = nextKey[static_cast<std::size_t>(context)];
    for (std::uint8_t index : predicted) {
        if (index == 0xFF)
            break;
        // "key": as one compare; the padding's zero bytes never match, so a key cut by `end` fails
        const std::string_view quoted = fieldTable().quoted(index);
        if (sameBytes(s.p, quoted.data(), quoted.size()) && s.p + quoted.size() <= s.end) {
            s.p += quoted.size();
            key = fieldTable().entry(index).key;
            return true;
        }
    }
    std::string_view raw;
    if (!scanString(s, raw) || s.p == s.end || *s.p != ':')
        return false;
    ++s.p;
    key = fieldTable().classify(raw);
    const int index = fieldTable().indexOf(raw);
    if (index >= 0) {
        predicted[1] = predicted[0];
        predicted[0] = static_cast<std::uint8_t>(index);
    }
    return true;
}

bool MessageDecoder::Impl::scanObject(Scan& s, int bagIndex, int depth, K parent)
{
    if (s.p == s.end || *s.p != '{')
        return false;
    ++s.p;
    if (s.p != s.end && *s.p == '}') {
        ++s.p;
        return true;
    }
    int context = kFirstKeyContext + static_cast<int>(parent);
    while (true) {
        K k = K::Unknown;
        if (!scanKey(s, context, k))
            return false;
        context = static_cast<int>(k);
        Bag* b = &bags[static_cast<std::size_t>(bagIndex)];
        switch (k) {
        case K::Type:
            if (!scanString(s, b->type))
                return false;
            b->hasType = true;
            b->typeNotString = false;
            break;
        case K::SessionId: if (!scanString(s, b->sessionId)) return false; break;
        case K::Platform: if (!scanString(s, b->platform)) return false; break;
        case K::Label: if (!scanString(s, b->label)) return false; break;
        case K::Id: if (!scanString(s, b->id)) return false; break;
        case K::AllocationId: if (!scanString(s, b->allocationId)) return false; break;
        case K::Timestamp:
        case K::AllocatedAt:
        case K::FreedAt:
        case K::CreatedAt:
        case K::ReceivedAt: {
            RawTime& t = k == K::Timestamp ? b->timestamp
                       : k == K::AllocatedAt ? b->allocatedAt
                       : k == K::FreedAt ? b->freedAt
                       : k == K::CreatedAt ? b->createdAt : b->receivedAt;
            std::int64_t v = 0;
            if (!scanInt(s, v))
                return false;
            t.present = true;
            t.isFloat = false;
            t.i = v;
            break;
        }
        case K::Seq: {
            std::uint64_t v = 0;
            if (!scanUint(s, v))
                return false;
            b->seq = v;
            break;
        }
        case K::Total: if (!scanSize(s, b->total)) return false; break;
        case K::Usage:
        case K::Used: if (!scanSize(s, b->used)) return false; break;
        case K::Available: if (!scanSize(s, b->available)) return false; break;
        case K::Size: if (!scanSize(s, b->size)) return false; break;
        case K::FragmentationRatio: {
            double d = 0;
            if (!scanDecimal(s, d))
                return false;
            b->fragmentation = d;
            break;
        }
        case K::Purpose: {
            if (s.p != s.end && *s.p != '"') {
                // Go producers' integer index: one of the standard eight, else the full path words the error
                std::uint64_t i = 0;
                if (!scanUint(s, i)) // no sign at all: "-0" is simdjson's to judge
                    return false;
                const auto p = MemoryPurpose::fromIndex(static_cast<std::int64_t>(i));
                if (!p)
                    return false;
                b->purpose = *p;
                break;
            }
            std::string_view name;
            if (!scanString(s, name))
                return false;
            auto p = standardPurposes.get(name, [](std::string_view n) { return MemoryPurpose::fromStandardName(n); });
            if (!p)
                return false; // custom purposes warn: the full path does it
            b->purpose = *p;
            break;
        }
        case K::Success: { // Go producers' result envelope
            bool value = false;
            if (s.end - s.p >= 4 && std::memcmp(s.p, "true", 4) == 0) {
                value = true;
                s.p += 4;
            } else if (s.end - s.p >= 5 && std::memcmp(s.p, "false", 5) == 0) {
                s.p += 5;
            } else {
                return false;
            }
            b->success = value;
            break;
        }
        case K::HeapMax: if (!scanSize(s, b->heapMax)) return false; break;
        case K::StackMax: if (!scanSize(s, b->stackMax)) return false; break;
        case K::CacheMax: if (!scanSize(s, b->cacheMax)) return false; break;
        case K::SoftLimit: if (!scanSize(s, b->softLimit)) return false; break;
        case K::HardLimit: if (!scanSize(s, b->hardLimit)) return false; break;
        case K::Pressure: {
            std::string_view name;
            if (!scanString(s, name))
                return false;
            auto p = pressures.get(name, [](std::string_view n) { return memoryPressureFromString(n); });
            if (!p)
                return false;
            b->pressure = p;
            break;
        }
        case K::Allocation:
        case K::Snapshot:
        case K::Limits:
        case K::Val:
        case K::Value: {
            if (depth + 1 > kMaxDepth)
                return false;
            const int child = newBag();
            if (child < 0 || !scanObject(s, child, depth + 1, k))
                return false;
            b = &bags[static_cast<std::size_t>(bagIndex)];
            if (k == K::Allocation)
                b->allocation = child;
            else if (k == K::Snapshot)
                b->snapshot = child;
            else if (k == K::Limits)
                b->limits = child;
            else
                b->val = child;
            break;
        }
        default:
            return false; // unknown or rarer keys: the full path
        }
        const int next = afterMember(s);
        if (next <= 0)
            return next == 0;
    }
}

bool MessageDecoder::Impl::scanCanonical(std::string_view json)
{
    Scan s{json.data(), json.data() + json.size()};
    const int root = newBag();
    if (!scanObject(s, root, 0, K::Unknown) || s.p != s.end) {
        bags.clear();
        purposes.clear();
        return false;
    }
    return true;
}

} // namespace flight::protocol
