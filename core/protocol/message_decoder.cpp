#include "protocol/message_decoder.h"

#include "model/custom_purpose_limit.h"

#include <simdjson.h>

#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <vector>

namespace flight::protocol {
namespace od = simdjson::ondemand;

std::string_view typeName(const Payload& payload)
{
    struct V {
        std::string_view operator()(const HelloMsg&) const { return "hello"; }
        std::string_view operator()(const RecordingHeaderMsg&) const { return "recording"; }
        std::string_view operator()(const SessionStartedMsg&) const { return "session_started"; }
        std::string_view operator()(const SessionEndedMsg&) const { return "session_ended"; }
        std::string_view operator()(const AllocationMsg&) const { return "allocation"; }
        std::string_view operator()(const FreeMsg&) const { return "free"; }
        std::string_view operator()(const MemoryUpdateMsg&) const { return "memory_update"; }
        std::string_view operator()(const LimitsMsg&) const { return "limits"; }
        std::string_view operator()(const ErrorMsg&) const { return "error"; }
        std::string_view operator()(const MarkerMsg&) const { return "marker"; }
    };
    return std::visit(V{}, payload);
}

std::optional<TimeUnit> timeUnitFromString(std::string_view t)
{
    if (t == "s" || t == "sec" || t == "seconds")
        return TimeUnit::Seconds;
    if (t == "ms" || t == "milliseconds")
        return TimeUnit::Milliseconds;
    if (t == "us" || t == "\xC2\xB5s" || t == "microseconds")
        return TimeUnit::Microseconds;
    if (t == "ns" || t == "nanoseconds")
        return TimeUnit::Nanoseconds;
    return std::nullopt;
}

namespace {

TimeUnit unitByMagnitude(std::int64_t v)
{
    const std::uint64_t m = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
    if (m < 100000000000ull)
        return TimeUnit::Seconds;
    if (m < 100000000000000ull)
        return TimeUnit::Milliseconds;
    if (m < 100000000000000000ull)
        return TimeUnit::Microseconds;
    return TimeUnit::Nanoseconds;
}

TimeUnit unitByMagnitude(double magnitude)
{
    magnitude = std::fabs(magnitude);
    if (magnitude < 1e11)
        return TimeUnit::Seconds;
    if (magnitude < 1e14)
        return TimeUnit::Milliseconds;
    if (magnitude < 1e17)
        return TimeUnit::Microseconds;
    return TimeUnit::Nanoseconds;
}

} // namespace

std::int64_t toMilliseconds(std::int64_t v, TimeUnit unit)
{
    if (unit == TimeUnit::Auto)
        unit = unitByMagnitude(v);
    switch (unit) {
    case TimeUnit::Seconds:
        if (v > INT64_MAX / 1000 || v < INT64_MIN / 1000)
            return v < 0 ? INT64_MIN : INT64_MAX;
        return v * 1000;
    case TimeUnit::Microseconds: return v / 1000;
    case TimeUnit::Nanoseconds: return v / 1000000;
    default: return v;
    }
}

std::int64_t toMilliseconds(double v, TimeUnit unit)
{
    if (unit == TimeUnit::Auto)
        unit = unitByMagnitude(v);
    double ms = v;
    switch (unit) {
    case TimeUnit::Seconds: ms = v * 1000.0; break;
    case TimeUnit::Microseconds: ms = v / 1000.0; break;
    case TimeUnit::Nanoseconds: ms = v / 1e6; break;
    default: break;
    }
    if (!(ms == ms))
        return 0;
    if (ms >= 9.2e18)
        return INT64_MAX;
    if (ms <= -9.2e18)
        return INT64_MIN;
    return static_cast<std::int64_t>(std::floor(ms));
}

namespace {

constexpr int kMaxBags = 24;
constexpr int kMaxDepth = 6;

struct RawTime {
    bool present = false;
    bool isFloat = false;
    std::int64_t i = 0;
    double f = 0;
};

struct SizeVal {
    bool present = false;
    std::uint64_t bytes = 0;
};

// Every field any message (or record, or envelope) may carry, whatever its
// dialect; filled in one forward pass, interpreted once the object is read.
struct Bag {
    bool hasType = false;
    bool typeNotString = false;
    std::string_view type, sessionId, platform, label, protocol, server, format, source, application, id,
        allocationId, timeUnit, tag, message, details;
    std::optional<bool> success;
    RawTime timestamp, allocatedAt, freedAt, createdAt, receivedAt;
    std::optional<std::uint64_t> seq;
    SizeVal total, used, available, size, bytesField, heapMax, stackMax, cacheMax, softLimit, hardLimit;
    std::string_view humanReadable;
    bool hasHumanReadable = false;
    std::optional<MemoryPurpose> purpose;
    std::optional<MemoryPressure> pressure;
    std::optional<double> fragmentation;
    std::optional<MemoryErrorCode> code;
    int allocation = -1, snapshot = -1, limits = -1, error = -1, val = -1;
    bool hasByPurpose = false;
    std::size_t byPurposeBegin = 0, byPurposeEnd = 0;
};

// Key without '-', '_' and case: sessionId, session_id, session-id -> "sessionid".
std::string_view normalizeKey(std::string_view key, std::array<char, 48>& buf)
{
    std::size_t n = 0;
    for (char c : key) {
        if (c == '-' || c == '_')
            continue;
        if (n == buf.size())
            return {};
        buf[n++] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return {buf.data(), n};
}

// ---- key dispatch ---------------------------------------------------------
// Keys are classified without copying: the raw key bytes (when they hold no
// escape) are looked up in a small hash table that holds both the canonical
// camelCase spelling and the normalized one ("sessionId" and "sessionid"); only
// a key found under neither is normalized (session_id, SESSION-ID, ...) and
// looked up again. One probe and one memcmp per key on the usual path.
enum class K : std::uint8_t {
    Unknown, Type, SessionId, Platform, Label, Protocol, Server, Format, Source, Application, Id, AllocationId,
    TimeUnit, Tag, Message, Details, Success, Timestamp, AllocatedAt, FreedAt, CreatedAt, ReceivedAt, Seq, Total,
    Usage, Used, Available, Size, HeapMax, StackMax, CacheMax, SoftLimit, HardLimit, Purpose, Pressure,
    FragmentationRatio, Code, ByPurpose, Allocation, Snapshot, Limits, Error, Val, Value, Bytes, HumanReadable,
    // message types
    TFree, TMemoryUpdate, TSessionStarted, TSessionEnded, TMarker, THello, TRecording,
};

struct KeyName {
    std::string_view name;
    K key;
};

// a == b for short strings: word loads instead of a libc memcmp call.
inline bool sameBytes(const char* a, const char* b, std::size_t n)
{
    auto load8 = [](const char* p) { std::uint64_t v; std::memcpy(&v, p, 8); return v; };
    auto load4 = [](const char* p) { std::uint32_t v; std::memcpy(&v, p, 4); return v; };
    if (n >= 8) {
        if (n > 16)
            return std::memcmp(a, b, n) == 0;
        return load8(a) == load8(b) && load8(a + n - 8) == load8(b + n - 8);
    }
    if (n >= 4)
        return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != b[i])
            return false;
    return true;
}

class KeyTable {
public:
    template <std::size_t N>
    explicit KeyTable(const std::array<KeyName, N>& names)
    {
        for (auto& b : m_buckets)
            b.fill(0xFF);
        for (std::size_t i = 0; i < N; ++i) {
            m_names[i] = names[i];
            auto& b = m_buckets[bucket(names[i].name)];
            std::size_t j = 0;
            while (j < b.size() && b[j] != 0xFF)
                ++j;
            if (j == b.size())
                m_overflow.push_back(static_cast<std::uint8_t>(i)); // never with the tables below
            else
                b[j] = static_cast<std::uint8_t>(i);
        }
    }

    K find(std::string_view k) const
    {
        if (k.empty())
            return K::Unknown;
        for (std::uint8_t i : m_buckets[bucket(k)]) {
            if (i == 0xFF)
                break;
            if (m_names[i].name.size() == k.size() && sameBytes(m_names[i].name.data(), k.data(), k.size()))
                return m_names[i].key;
        }
        for (std::uint8_t i : m_overflow)
            if (m_names[i].name == k)
                return m_names[i].key;
        return K::Unknown;
    }

    // Raw spelling first, then the normalized form (no '-', '_', lower case).
    K classify(std::string_view raw) const
    {
        const K k = find(raw);
        if (k != K::Unknown)
            return k;
        std::array<char, 48> buf;
        const std::string_view n = normalizeKey(raw, buf);
        if (n.size() == raw.size() && std::memcmp(n.data(), raw.data(), n.size()) == 0)
            return K::Unknown; // already normal: looked up above
        return find(n);
    }

private:
    static std::size_t bucket(std::string_view k)
    {
        const auto u = [&](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(k[i])); };
        return (k.size() * 37 + u(0) * 131 + u(k.size() - 1) * 7 + u(k.size() / 2) * 3) & (kBuckets - 1);
    }
    static constexpr std::size_t kBuckets = 512;
    std::array<KeyName, 128> m_names{};
    std::array<std::array<std::uint8_t, 4>, kBuckets> m_buckets{};
    std::vector<std::uint8_t> m_overflow;
};

constexpr std::array kFieldNames{
    KeyName{"type", K::Type}, KeyName{"sessionId", K::SessionId}, KeyName{"sessionid", K::SessionId},
    KeyName{"platform", K::Platform}, KeyName{"label", K::Label}, KeyName{"protocol", K::Protocol},
    KeyName{"server", K::Server}, KeyName{"format", K::Format}, KeyName{"source", K::Source},
    KeyName{"application", K::Application}, KeyName{"id", K::Id}, KeyName{"allocationId", K::AllocationId},
    KeyName{"allocationid", K::AllocationId}, KeyName{"timeUnit", K::TimeUnit}, KeyName{"timeunit", K::TimeUnit},
    KeyName{"tag", K::Tag}, KeyName{"message", K::Message}, KeyName{"details", K::Details},
    KeyName{"success", K::Success}, KeyName{"timestamp", K::Timestamp}, KeyName{"allocatedAt", K::AllocatedAt},
    KeyName{"allocatedat", K::AllocatedAt}, KeyName{"freedAt", K::FreedAt}, KeyName{"freedat", K::FreedAt},
    KeyName{"createdAt", K::CreatedAt}, KeyName{"createdat", K::CreatedAt}, KeyName{"receivedAt", K::ReceivedAt},
    KeyName{"receivedat", K::ReceivedAt}, KeyName{"seq", K::Seq}, KeyName{"total", K::Total},
    KeyName{"usage", K::Usage}, KeyName{"used", K::Used}, KeyName{"available", K::Available},
    KeyName{"size", K::Size}, KeyName{"heapMax", K::HeapMax}, KeyName{"heapmax", K::HeapMax},
    KeyName{"stackMax", K::StackMax}, KeyName{"stackmax", K::StackMax}, KeyName{"cacheMax", K::CacheMax},
    KeyName{"cachemax", K::CacheMax}, KeyName{"softLimit", K::SoftLimit}, KeyName{"softlimit", K::SoftLimit},
    KeyName{"hardLimit", K::HardLimit}, KeyName{"hardlimit", K::HardLimit}, KeyName{"purpose", K::Purpose},
    KeyName{"pressure", K::Pressure}, KeyName{"fragmentationRatio", K::FragmentationRatio},
    KeyName{"fragmentationratio", K::FragmentationRatio}, KeyName{"code", K::Code},
    KeyName{"byPurpose", K::ByPurpose}, KeyName{"bypurpose", K::ByPurpose}, KeyName{"allocation", K::Allocation},
    KeyName{"snapshot", K::Snapshot}, KeyName{"limits", K::Limits}, KeyName{"error", K::Error},
    KeyName{"val", K::Val}, KeyName{"value", K::Value},
};
constexpr std::array kSizeNames{
    KeyName{"bytes", K::Bytes}, KeyName{"humanReadable", K::HumanReadable}, KeyName{"humanreadable", K::HumanReadable},
};
constexpr std::array kTypeNames{
    KeyName{"allocation", K::Allocation}, KeyName{"free", K::TFree}, KeyName{"memory_update", K::TMemoryUpdate},
    KeyName{"memoryupdate", K::TMemoryUpdate}, KeyName{"session_started", K::TSessionStarted},
    KeyName{"sessionstarted", K::TSessionStarted}, KeyName{"session_ended", K::TSessionEnded},
    KeyName{"sessionended", K::TSessionEnded}, KeyName{"limits", K::Limits}, KeyName{"error", K::Error},
    KeyName{"marker", K::TMarker}, KeyName{"hello", K::THello}, KeyName{"recording", K::TRecording},
};

const KeyTable gFieldTable(kFieldNames);
const KeyTable gSizeTable(kSizeNames);
const KeyTable gTypeTable(kTypeNames);
inline const KeyTable& fieldTable() { return gFieldTable; }
inline const KeyTable& sizeTable() { return gSizeTable; }
inline const KeyTable& typeTable() { return gTypeTable; }

// Results of a pure name lookup for the exact spellings met so far (a stream
// uses a handful): one short compare instead of a case-insensitive scan.
template <typename T, std::size_t N = 32>
class SpellingCache {
public:
    template <typename Lookup>
    std::optional<T> get(std::string_view name, Lookup&& lookup)
    {
        for (std::size_t i = 0; i < m_size; ++i)
            if (m_entries[i].name.size() == name.size() && sameBytes(m_entries[i].name.data(), name.data(), name.size()))
                return m_entries[i].value;
        std::optional<T> v = lookup(name);
        if (m_size < N && name.size() <= 64)
            m_entries[m_size++] = {std::string(name), v};
        return v;
    }

private:
    struct Entry {
        std::string name;
        std::optional<T> value;
    };
    std::array<Entry, N> m_entries;
    std::size_t m_size = 0;
};

// A field's key without copying when it holds no escape (the usual case);
// otherwise simdjson unescapes it. The key's raw bytes stay valid for the
// document's life (they point into the padded input).
simdjson::error_code fieldKey(od::field& fld, std::string_view& out)
{
    const char* p = fld.key().raw();
    const char* q = p;
    while (*q != '"' && *q != '\\')
        ++q;
    if (*q == '"') {
        out = std::string_view(p, static_cast<std::size_t>(q - p));
        return simdjson::SUCCESS;
    }
    return fld.unescaped_key().get(out);
}

// A field's name for error messages, assembled only when an error is reported
// (no allocation on the good path).
struct FieldName {
    FieldName(std::string_view x) : a(x) {}
    FieldName(const char* x) : a(x) {}
    FieldName(std::string_view x, std::string_view y, std::string_view z = {}) : a(x), b(y), c(z) {}
    std::string str() const { return std::string(a).append(b).append(c); }
    std::string_view a, b, c;
};

std::string errorName(simdjson::error_code e)
{
    return simdjson::error_message(e);
}

} // namespace

struct MessageDecoder::Impl {
    DecoderOptions options;
    od::parser parser;
    std::vector<char> buffer;
    std::vector<Bag> bags;
    std::vector<PurposeBytes> purposes;
    std::vector<DecodeWarning> warnings;
    static constexpr std::size_t kMaxWarnedTypes = 4096;
    std::set<std::string, std::less<>> warnedTypes;
    std::set<std::string, std::less<>> warnedPurposes;
    std::map<std::string, TimeUnit, std::less<>> sessionUnits;
    std::uint64_t skippedUnknown = 0;
    SpellingCache<MemoryPurpose> standardPurposes; // MemoryPurpose::fromStandardName
    SpellingCache<MemoryPressure> pressures;       // memoryPressureFromString

    std::uint64_t line = 0;
    std::string errorText;
    MemoryErrorCode errorCode = MemoryErrorCode::MalformedInput;

    bool fail(std::string why, MemoryErrorCode code = MemoryErrorCode::MalformedInput)
    {
        if (errorText.empty()) {
            errorText = std::move(why);
            errorCode = code;
        }
        return false;
    }
    bool failJson(std::string_view where, simdjson::error_code e)
    {
        return fail(std::string(where) + ": " + errorName(e));
    }

    int newBag()
    {
        if (bags.size() >= static_cast<std::size_t>(kMaxBags))
            return -1;
        bags.emplace_back();
        return static_cast<int>(bags.size() - 1);
    }

    bool readString(od::value v, std::string_view& out, FieldName field)
    {
        std::string_view s;
        if (auto e = v.get_string().get(s)) {
            bool isNull = false;
            if (e == simdjson::INCORRECT_TYPE && v.is_null().get(isNull) == simdjson::SUCCESS && isNull) {
                out = {}; // null: as if absent
                return true;
            }
            return fail("\"" + field.str() + "\" is not a string (" + errorName(e) + ")");
        }
        out = s;
        return true;
    }

    bool readTime(od::value v, RawTime& out, FieldName field)
    {
        od::number_type nt;
        if (v.get_number_type().get(nt))
            return fail("\"" + field.str() + "\" is not a number");
        out.present = true;
        if (nt == od::number_type::signed_integer) {
            out.isFloat = false;
            if (auto e = v.get_int64().get(out.i))
                return failJson(field.str(), e);
        } else if (nt == od::number_type::unsigned_integer) {
            return fail("\"" + field.str() + "\" is too large");
        } else {
            out.isFloat = true;
            if (auto e = v.get_double().get(out.f))
                return failJson(field.str(), e);
            if (!std::isfinite(out.f))
                return fail("\"" + field.str() + "\" is not finite");
        }
        return true;
    }

    bool readUnsigned(od::value v, std::uint64_t& out, FieldName field)
    {
        od::json_type jt;
        if (auto e = v.type().get(jt))
            return failJson(field.str(), e);
        if (jt == od::json_type::string) {
            std::string_view s;
            if (v.get_string().get(s))
                return fail("\"" + field.str() + "\" is not a string");
            auto parsed = MemorySize::parse(s);
            if (!parsed)
                return fail(field.str() + ": " + parsed.error().message, MemoryErrorCode::InvalidSize);
            out = parsed->bytes;
            return true;
        }
        if (jt != od::json_type::number)
            return fail("\"" + field.str() + "\" is not a size (expected a number, a string or {bytes, humanReadable})",
                        MemoryErrorCode::InvalidSize);
        od::number_type nt;
        if (auto e = v.get_number_type().get(nt))
            return fail(field.str() + ": not a valid number (" + errorName(e) + "; above 2^64-1?)",
                        MemoryErrorCode::InvalidSize);
        if (nt == od::number_type::unsigned_integer) {
            if (auto e = v.get_uint64().get(out))
                return fail(field.str() + ": " + errorName(e), MemoryErrorCode::InvalidSize);
            return true;
        }
        if (nt == od::number_type::signed_integer) {
            std::int64_t i = 0;
            if (auto e = v.get_int64().get(i))
                return fail(field.str() + ": " + errorName(e), MemoryErrorCode::InvalidSize);
            if (i < 0)
                return fail(field.str() + ": negative size " + std::to_string(i), MemoryErrorCode::InvalidSize);
            out = static_cast<std::uint64_t>(i);
            return true;
        }
        double d = 0;
        if (auto e = v.get_double().get(d))
            return fail(field.str() + ": " + errorName(e), MemoryErrorCode::InvalidSize);
        if (!std::isfinite(d))
            return fail(field.str() + ": not a finite number", MemoryErrorCode::InvalidSize);
        if (d < 0)
            return fail(field.str() + ": negative size", MemoryErrorCode::InvalidSize);
        if (std::floor(d) != d)
            return fail(field.str() + ": fractional size " + std::to_string(d), MemoryErrorCode::InvalidSize);
        if (d >= 18446744073709551616.0)
            return fail(field.str() + ": size above 2^64-1", MemoryErrorCode::InvalidSize);
        out = static_cast<std::uint64_t>(d);
        return true;
    }

    // {bytes, humanReadable} | "512MB" | 4096
    bool readSize(od::value v, SizeVal& out, FieldName field)
    {
        od::json_type jt;
        if (auto e = v.type().get(jt))
            return failJson(field.str(), e);
        if (jt == od::json_type::object) {
            od::object obj;
            if (auto e = v.get_object().get(obj))
                return failJson(field.str(), e);
            bool haveBytes = false;
            std::uint64_t bytes = 0;
            std::string_view human;
            bool haveHuman = false;
            for (auto f : obj) {
                od::field fld;
                if (auto e = std::move(f).get(fld))
                    return failJson(field.str(), e);
                std::string_view key;
                if (auto e = fieldKey(fld, key))
                    return failJson(field.str(), e);
                const K k = sizeTable().classify(key);
                if (k == K::Bytes) {
                    if (!readUnsigned(fld.value(), bytes, FieldName(field.a, field.b, ".bytes")))
                        return false;
                    haveBytes = true;
                } else if (k == K::HumanReadable) {
                    if (!readString(fld.value(), human, FieldName(field.a, field.b, ".humanReadable")))
                        return false;
                    haveHuman = true;
                }
            }
            if (haveBytes) {
                out = {true, bytes};
                return true;
            }
            if (!haveHuman)
                return fail(field.str() + ": size has neither bytes nor humanReadable",
                            MemoryErrorCode::InvalidSize);
            auto parsed = MemorySize::parse(human);
            if (!parsed)
                return fail(field.str() + ": " + parsed.error().message, MemoryErrorCode::InvalidSize);
            out = {true, parsed->bytes};
            return true;
        }
        std::uint64_t bytes = 0;
        if (!readUnsigned(v, bytes, field))
            return false;
        out = {true, bytes};
        return true;
    }

    bool purposeFromName(std::string_view name, MemoryPurpose& out)
    {
        if (auto standard = MemoryPurpose::fromStandardName(name)) {
            out = *standard;
            return true;
        }
        if (name.empty())
            return fail("empty purpose");
        out = MemoryPurpose::fromName(name);
        // Past kMaxCustomPurposes new names share the overflow purpose, one
        // warning and one entry here: this set stays bounded too.
        const bool folded = out.name() != name;
        const std::string_view key = folded ? kOverflowPurposeName : name;
        if (!warnedPurposes.contains(key)) {
            warnedPurposes.emplace(key);
            std::string text = "line " + std::to_string(line) + ": custom purpose " + std::string(name);
            if (folded)
                text += " and further new names counted under " + std::string(kOverflowPurposeName) + " (over "
                    + std::to_string(kMaxCustomPurposes) + " custom purposes)";
            warnings.push_back({DecodeWarningKind::CustomPurpose, line, std::move(text), std::string(key)});
        }
        return true;
    }

    bool readPurpose(od::value v, std::optional<MemoryPurpose>& out)
    {
        od::json_type jt;
        if (auto e = v.type().get(jt))
            return failJson("purpose", e);
        if (jt == od::json_type::string) {
            std::string_view s;
            if (auto e = v.get_string().get(s))
                return failJson("purpose", e);
            MemoryPurpose p;
            if (!purposeFromName(s, p))
                return false;
            out = p;
            return true;
        }
        if (jt == od::json_type::number) {
            std::int64_t i = 0;
            if (v.get_int64().get(i))
                return fail("purpose is not an integer index 0..7");
            auto p = MemoryPurpose::fromIndex(i);
            if (!p)
                return fail("unknown purpose index " + std::to_string(i) + " (0..7)");
            out = *p;
            return true;
        }
        return fail("purpose is neither a string nor an integer");
    }

    bool readPressure(od::value v, std::optional<MemoryPressure>& out)
    {
        od::json_type jt;
        if (auto e = v.type().get(jt))
            return failJson("pressure", e);
        if (jt == od::json_type::null)
            return true;
        if (jt == od::json_type::string) {
            std::string_view s;
            if (auto e = v.get_string().get(s))
                return failJson("pressure", e);
            auto p = memoryPressureFromString(s);
            if (!p)
                return fail("unknown pressure \"" + std::string(s.substr(0, 64)) + "\"");
            out = p;
            return true;
        }
        if (jt == od::json_type::number) {
            std::int64_t i = 0;
            if (v.get_int64().get(i))
                return fail("pressure is not an integer 0..3");
            auto p = memoryPressureFromIndex(i);
            if (!p)
                return fail("unknown pressure index " + std::to_string(i) + " (0..3)");
            out = p;
            return true;
        }
        return fail("pressure is neither a string nor an integer");
    }

    bool readCode(od::value v, std::optional<MemoryErrorCode>& out)
    {
        od::json_type jt;
        if (auto e = v.type().get(jt))
            return failJson("code", e);
        if (jt == od::json_type::string) {
            std::string_view s;
            if (auto e = v.get_string().get(s))
                return failJson("code", e);
            auto c = memoryErrorCodeFromString(s);
            if (!c)
                return fail("unknown error code \"" + std::string(s.substr(0, 64)) + "\"");
            out = c;
            return true;
        }
        if (jt == od::json_type::number) {
            std::int64_t i = 0;
            if (v.get_int64().get(i))
                return fail("error code is not an integer");
            auto c = memoryErrorCodeFromIndex(i);
            if (!c || static_cast<int>(*c) >= kWitErrorCodeCount)
                return fail("unknown error code index " + std::to_string(i) + " (0..7)");
            out = c;
            return true;
        }
        return fail("error code is neither a string nor an integer");
    }

    bool readByPurpose(od::value v, Bag& bag)
    {
        od::object obj;
        if (auto e = v.get_object().get(obj))
            return fail("byPurpose is not an object (" + errorName(e) + ")");
        bag.hasByPurpose = true;
        bag.byPurposeBegin = purposes.size();
        for (auto f : obj) {
            od::field fld;
            if (auto e = std::move(f).get(fld))
                return failJson("byPurpose", e);
            std::string_view key;
            if (auto e = fld.unescaped_key().get(key))
                return failJson("byPurpose", e);
            MemoryPurpose p;
            if (!purposeFromName(key, p))
                return false;
            SizeVal s;
            if (!readSize(fld.value(), s, FieldName("byPurpose.", key)))
                return false;
            bool merged = false;
            for (std::size_t i = bag.byPurposeBegin; i < purposes.size(); ++i)
                if (purposes[i].purpose == p) {
                    purposes[i].bytes = s.bytes; // duplicate key: the last one wins
                    merged = true;
                }
            if (!merged)
                purposes.push_back({p, s.bytes});
        }
        bag.byPurposeEnd = purposes.size();
        return true;
    }

    bool readChild(od::value v, int& slot, int depth, std::string_view field)
    {
        od::object obj;
        if (auto e = v.get_object().get(obj))
            return fail("\"" + std::string(field) + "\" is not an object (" + errorName(e) + ")");
        if (depth + 1 > kMaxDepth)
            return fail("messages nested too deeply");
        const int child = newBag();
        if (child < 0)
            return fail("too many nested records");
        slot = child;
        return readObject(obj, child, depth + 1);
    }

    bool readObject(od::object obj, int bagIndex, int depth)
    {
        for (auto f : obj) {
            od::field fld;
            if (auto e = std::move(f).get(fld))
                return failJson("invalid JSON", e);
            std::string_view rawKey;
            if (auto e = fieldKey(fld, rawKey))
                return failJson("invalid JSON key", e);
            const K k = fieldTable().classify(rawKey);
            if (k == K::Unknown)
                continue; // unknown field, skipped by On-Demand
            od::value v = fld.value();
            // Note: bags may reallocate only in newBag (reserved up front), so
            // references stay valid; still, re-fetch after child reads.
            auto B = [&]() -> Bag& { return bags[static_cast<std::size_t>(bagIndex)]; };
            bool ok = true;
            switch (k) {
            case K::Type: {
                od::json_type jt;
                if (auto e = v.type().get(jt))
                    return failJson("type", e);
                if (jt == od::json_type::string) {
                    ok = readString(v, B().type, "type");
                    B().hasType = true;
                    B().typeNotString = false;
                } else {
                    B().typeNotString = true;
                    B().hasType = false;
                }
                break;
            }
            case K::SessionId: ok = readString(v, B().sessionId, "sessionId"); break;
            case K::Platform: ok = readString(v, B().platform, "platform"); break;
            case K::Label: ok = readString(v, B().label, "label"); break;
            case K::Protocol: ok = readString(v, B().protocol, "protocol"); break;
            case K::Server: ok = readString(v, B().server, "server"); break;
            case K::Format: ok = readString(v, B().format, "format"); break;
            case K::Source: ok = readString(v, B().source, "source"); break;
            case K::Application: ok = readString(v, B().application, "application"); break;
            case K::Id: ok = readString(v, B().id, "id"); break;
            case K::AllocationId: ok = readString(v, B().allocationId, "allocationId"); break;
            case K::TimeUnit: ok = readString(v, B().timeUnit, "timeUnit"); break;
            case K::Tag: ok = readString(v, B().tag, "tag"); break;
            case K::Message: ok = readString(v, B().message, "message"); break;
            case K::Details: {
                od::json_type jt;
                if (v.type().get(jt) == simdjson::SUCCESS && jt == od::json_type::null)
                    ok = true;
                else
                    ok = readString(v, B().details, "details");
                break;
            }
            case K::Success: {
                bool b = false;
                if (auto e = v.get_bool().get(b))
                    return fail("\"success\" is not a boolean (" + errorName(e) + ")");
                B().success = b;
                break;
            }
            case K::Timestamp: ok = readTime(v, B().timestamp, "timestamp"); break;
            case K::AllocatedAt: ok = readTime(v, B().allocatedAt, "allocatedAt"); break;
            case K::FreedAt: {
                od::json_type jt;
                if (v.type().get(jt) == simdjson::SUCCESS && jt == od::json_type::null)
                    ok = true;
                else
                    ok = readTime(v, B().freedAt, "freedAt");
                break;
            }
            case K::CreatedAt: ok = readTime(v, B().createdAt, "createdAt"); break;
            case K::ReceivedAt: ok = readTime(v, B().receivedAt, "receivedAt"); break;
            case K::Seq: {
                std::uint64_t s = 0;
                if (auto e = v.get_uint64().get(s))
                    return fail("\"seq\" is not a non-negative integer (" + errorName(e) + ")");
                B().seq = s;
                break;
            }
            case K::Total: ok = readSize(v, B().total, "total"); break;
            case K::Usage:
            case K::Used: ok = readSize(v, B().used, rawKey); break;
            case K::Available: ok = readSize(v, B().available, "available"); break;
            case K::Size: ok = readSize(v, B().size, "size"); break;
            case K::HeapMax: ok = readSize(v, B().heapMax, "heapMax"); break;
            case K::StackMax: ok = readSize(v, B().stackMax, "stackMax"); break;
            case K::CacheMax: ok = readSize(v, B().cacheMax, "cacheMax"); break;
            case K::SoftLimit: ok = readSize(v, B().softLimit, "softLimit"); break;
            case K::HardLimit: ok = readSize(v, B().hardLimit, "hardLimit"); break;
            case K::Purpose: ok = readPurpose(v, B().purpose); break;
            case K::Pressure: ok = readPressure(v, B().pressure); break;
            case K::FragmentationRatio: {
                double d = 0;
                if (auto e = v.get_double().get(d))
                    return fail("\"fragmentationRatio\" is not a number (" + errorName(e) + ")");
                B().fragmentation = d;
                break;
            }
            case K::Code: ok = readCode(v, B().code); break;
            case K::ByPurpose: ok = readByPurpose(v, B()); break;
            case K::Allocation:
            case K::Snapshot:
            case K::Limits:
            case K::Error:
            case K::Val:
            case K::Value: {
                int child = -1;
                ok = readChild(v, child, depth, rawKey);
                if (ok) {
                    Bag& b = B();
                    if (k == K::Allocation) b.allocation = child;
                    else if (k == K::Snapshot) b.snapshot = child;
                    else if (k == K::Limits) b.limits = child;
                    else if (k == K::Error) b.error = child;
                    else b.val = child;
                }
                break;
            }
            default: break; // anything else: unknown field, skipped by On-Demand
            }
            if (!ok)
                return false;
        }
        return true;
    }

    // ---- canonical fast path -------------------------------------------------
    // A strict scanner for the common, canonical shape of a line: an object
    // without whitespace whose keys and strings hold printable ASCII and no
    // escape, integers without fraction or exponent (at most 18 digits), sizes
    // as {bytes, humanReadable} or an integer, standard purpose names, known
    // pressure names, and only the keys handled below. It fills the same Bags
    // as readObject with the same last-one-wins rules, and gives up (returns
    // false, having reported nothing) on anything else: the line is then read
    // again by simdjson, which decides and words every error. So it can only
    // accept what the full path accepts with the same result.
    struct Scan {
        const char* p;
        const char* end;
    };

    static bool scanString(Scan& s, std::string_view& out)
    {
        if (s.p == s.end || *s.p != '"')
            return false;
        const char* b = ++s.p;
        while (s.p != s.end) {
            const auto c = static_cast<unsigned char>(*s.p);
            if (c == '"') {
                out = std::string_view(b, static_cast<std::size_t>(s.p - b));
                ++s.p;
                return true;
            }
            if (c < 0x20 || c >= 0x80 || c == '\\')
                return false;
            ++s.p;
        }
        return false;
    }

    // -?(0|[1-9][0-9]{0,17}) followed by ',' or '}'
    static bool scanInt(Scan& s, std::int64_t& out)
    {
        bool neg = false;
        if (s.p != s.end && *s.p == '-') {
            neg = true;
            ++s.p;
        }
        const char* b = s.p;
        std::int64_t v = 0;
        while (s.p != s.end && *s.p >= '0' && *s.p <= '9') {
            if (s.p - b == 18)
                return false; // longer than 18 digits: the general path decides (and v would overflow)
            v = v * 10 + (*s.p - '0');
            ++s.p;
        }
        const std::size_t n = static_cast<std::size_t>(s.p - b);
        if (n == 0 || n > 18 || (n > 1 && *b == '0'))
            return false;
        if (s.p == s.end || (*s.p != ',' && *s.p != '}'))
            return false;
        out = neg ? -v : v;
        return true;
    }

    // [0-9]+ as scanInt, no sign at all (simdjson refuses "-0" as an unsigned)
    static bool scanUint(Scan& s, std::uint64_t& out)
    {
        std::int64_t v = 0;
        if (s.p == s.end || *s.p == '-' || !scanInt(s, v))
            return false;
        out = static_cast<std::uint64_t>(v);
        return true;
    }

    static bool scanSize(Scan& s, SizeVal& out)
    {
        if (s.p != s.end && *s.p == '{') {
            ++s.p;
            bool haveBytes = false;
            std::uint64_t bytes = 0;
            if (s.p != s.end && *s.p == '}')
                return false;
            while (true) {
                std::string_view key;
                if (!scanString(s, key) || s.p == s.end || *s.p != ':')
                    return false;
                ++s.p;
                const K k = sizeTable().classify(key);
                if (k == K::Bytes) {
                    if (!scanUint(s, bytes))
                        return false;
                    haveBytes = true;
                } else if (k == K::HumanReadable) {
                    std::string_view h;
                    if (!scanString(s, h))
                        return false;
                } else {
                    return false;
                }
                if (s.p == s.end)
                    return false;
                if (*s.p == ',') {
                    ++s.p;
                    continue;
                }
                if (*s.p != '}')
                    return false;
                ++s.p;
                break;
            }
            if (!haveBytes)
                return false; // humanReadable alone: parsed by the full path
            out = {true, bytes};
            return true;
        }
        std::uint64_t v = 0;
        if (!scanUint(s, v))
            return false;
        out = {true, v};
        return true;
    }

    bool scanObject(Scan& s, int bagIndex, int depth)
    {
        if (s.p == s.end || *s.p != '{')
            return false;
        ++s.p;
        if (s.p != s.end && *s.p == '}') {
            ++s.p;
            return true;
        }
        while (true) {
            std::string_view key;
            if (!scanString(s, key) || s.p == s.end || *s.p != ':')
                return false;
            ++s.p;
            const K k = fieldTable().classify(key);
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
            case K::Purpose: {
                std::string_view name;
                if (!scanString(s, name))
                    return false;
                auto p = standardPurposes.get(name, [](std::string_view n) { return MemoryPurpose::fromStandardName(n); });
                if (!p)
                    return false; // custom purposes warn: the full path does it
                b->purpose = *p;
                break;
            }
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
            case K::Snapshot: {
                if (depth + 1 > kMaxDepth)
                    return false;
                const int child = newBag();
                if (child < 0 || !scanObject(s, child, depth + 1))
                    return false;
                b = &bags[static_cast<std::size_t>(bagIndex)];
                if (k == K::Allocation)
                    b->allocation = child;
                else
                    b->snapshot = child;
                break;
            }
            default:
                return false; // unknown or rarer keys: the full path
            }
            if (s.p == s.end)
                return false;
            if (*s.p == ',') {
                ++s.p;
                continue;
            }
            if (*s.p != '}')
                return false;
            ++s.p;
            return true;
        }
    }

    // The whole line as the canonical shape (see above), or false.
    bool scanCanonical(std::string_view json)
    {
        Scan s{json.data(), json.data() + json.size()};
        const int root = newBag();
        if (!scanObject(s, root, 0) || s.p != s.end) {
            bags.clear();
            purposes.clear();
            return false;
        }
        return true;
    }

    // ---- interpretation ----------------------------------------------------

    TimeUnit unitFor(std::string_view sessionId) const
    {
        if (!sessionId.empty()) {
            auto it = sessionUnits.find(sessionId);
            return it == sessionUnits.end() ? TimeUnit::Auto : it->second;
        }
        if (sessionUnits.size() == 1)
            return sessionUnits.begin()->second;
        return TimeUnit::Auto;
    }
    static std::int64_t ms(const RawTime& t, TimeUnit u)
    {
        if (!t.present)
            return 0;
        return t.isFloat ? toMilliseconds(t.f, u) : toMilliseconds(t.i, u);
    }
    static std::int64_t msNoUnit(const RawTime& t)
    {
        if (!t.present)
            return 0;
        return t.isFloat ? toMilliseconds(t.f, TimeUnit::Auto) : toMilliseconds(t.i, TimeUnit::Auto);
    }

    const Bag& bag(int i) const { return bags[static_cast<std::size_t>(i)]; }

    MemoryLimits limitsOf(const Bag& b) const
    {
        return MemoryLimits{MemorySize{b.heapMax.bytes}, MemorySize{b.stackMax.bytes}, MemorySize{b.cacheMax.bytes},
                            MemorySize{b.softLimit.bytes}, MemorySize{b.hardLimit.bytes}};
    }

    bool errorFrom(const Bag& e, std::string_view outerSession, Message& out)
    {
        if (!e.code)
            return fail("memory-error without a code");
        ErrorMsg m;
        m.sessionId = !e.sessionId.empty() ? e.sessionId : outerSession;
        m.code = *e.code;
        m.message = e.message;
        m.details = e.details;
        m.timestamp = ms(e.timestamp, unitFor(m.sessionId));
        out.payload = m;
        return true;
    }

    // 1 = message, 0 = skipped (unknown type), -1 = error
    int interpret(int bagIndex, Message& out, int depth)
    {
        const Bag& b = bag(bagIndex);
        if (depth > kMaxDepth)
            return fail("envelopes nested too deeply") ? 0 : -1;
        auto carry = [&](Message& m) {
            if (b.seq && !m.seq)
                m.seq = b.seq;
            if (b.receivedAt.present && !m.receivedAt)
                m.receivedAt = msNoUnit(b.receivedAt);
        };
        if (!b.hasType && (!b.tag.empty() || b.success)) {
            // result envelope
            const bool ok = !b.tag.empty() ? (b.tag == "ok") : *b.success;
            if (!b.tag.empty() && b.tag != "ok" && b.tag != "err")
                return fail("unknown envelope tag \"" + std::string(b.tag.substr(0, 32)) + "\"") ? 0 : -1;
            if (ok) {
                if (b.val < 0)
                    return fail("ok envelope without a value") ? 0 : -1;
                const int r = interpret(b.val, out, depth + 1);
                if (r == 1)
                    carry(out);
                return r;
            }
            const int errIndex = b.error >= 0 ? b.error : b.val;
            if (errIndex < 0)
                return fail("err envelope without an error") ? 0 : -1;
            if (!errorFrom(bag(errIndex), b.sessionId, out))
                return -1;
            carry(out);
            return 1;
        }
        if (!b.hasType)
            return fail(b.typeNotString ? "\"type\" is not a string" : "missing \"type\"") ? 0 : -1;

        const K t = typeTable().classify(b.type);
        if (t == K::Allocation) {
            if (b.allocation < 0)
                return fail("allocation message without an \"allocation\" record") ? 0 : -1;
            const Bag& a = bag(b.allocation);
            AllocationMsg m;
            m.id = a.id;
            m.sessionId = !a.sessionId.empty() ? a.sessionId : b.sessionId;
            if (m.id.empty())
                return fail("allocation without an id") ? 0 : -1;
            if (!a.size.present)
                return fail("allocation without a size", MemoryErrorCode::InvalidSize) ? 0 : -1;
            m.bytes = a.size.bytes;
            m.purpose = a.purpose.value_or(MemoryPurpose(StandardPurpose::Temporary));
            const TimeUnit u = unitFor(m.sessionId);
            m.allocatedAt = a.allocatedAt.present ? ms(a.allocatedAt, u) : ms(b.timestamp, u);
            if (a.freedAt.present)
                m.freedAt = ms(a.freedAt, u);
            out.payload = m;
        } else if (t == K::TFree) {
            FreeMsg m;
            m.sessionId = b.sessionId;
            m.allocationId = !b.allocationId.empty() ? b.allocationId : b.id;
            if (m.allocationId.empty())
                return fail("free without an allocationId") ? 0 : -1;
            const TimeUnit u = unitFor(m.sessionId);
            m.freedAt = b.freedAt.present ? ms(b.freedAt, u) : ms(b.timestamp, u);
            out.payload = m;
        } else if (t == K::TMemoryUpdate) {
            MemoryUpdateMsg m;
            const Bag* s = b.snapshot >= 0 ? &bag(b.snapshot) : nullptr;
            m.form = s ? MemoryUpdateMsg::Form::Snapshot : MemoryUpdateMsg::Form::Flat;
            m.sessionId = !b.sessionId.empty() ? b.sessionId : (s ? s->sessionId : std::string_view{});
            const TimeUnit u = unitFor(m.sessionId);
            const RawTime& ts = b.timestamp.present ? b.timestamp : (s ? s->timestamp : b.timestamp);
            m.timestamp = ms(ts, u);
            const Bag& src = s ? *s : b;
            if (src.used.present)
                m.usedBytes = src.used.bytes;
            else if (b.used.present)
                m.usedBytes = b.used.bytes;
            if (src.total.present)
                m.totalBytes = src.total.bytes;
            else if (b.total.present)
                m.totalBytes = b.total.bytes;
            if (s) {
                if (s->available.present)
                    m.availableBytes = s->available.bytes;
                m.fragmentationRatio = s->fragmentation;
                m.platform = s->platform;
            }
            m.pressure = b.pressure ? b.pressure : (s ? s->pressure : std::nullopt);
            const Bag* bp = b.hasByPurpose ? &b : (s && s->hasByPurpose ? s : nullptr);
            if (bp) {
                m.hasByPurpose = true;
                m.byPurpose = std::span<const PurposeBytes>(purposes.data() + bp->byPurposeBegin,
                                                            bp->byPurposeEnd - bp->byPurposeBegin);
            }
            out.payload = m;
        } else if (t == K::TSessionStarted) {
            SessionStartedMsg m;
            m.sessionId = b.sessionId;
            m.platform = b.platform;
            m.label = b.label;
            if (b.total.present)
                m.totalBytes = b.total.bytes;
            if (b.limits >= 0)
                m.limits = limitsOf(bag(b.limits));
            if (!b.timeUnit.empty()) {
                auto u = timeUnitFromString(b.timeUnit);
                if (!u)
                    return fail("unknown timeUnit \"" + std::string(b.timeUnit.substr(0, 16)) + "\" (s, ms, us, ns)") ? 0 : -1;
                sessionUnits.insert_or_assign(std::string(m.sessionId), *u);
            }
            m.timestamp = ms(b.timestamp, unitFor(m.sessionId));
            out.payload = m;
        } else if (t == K::TSessionEnded) {
            SessionEndedMsg m;
            m.sessionId = b.sessionId;
            m.timestamp = ms(b.timestamp, unitFor(m.sessionId));
            out.payload = m;
        } else if (t == K::Limits) {
            LimitsMsg m;
            m.sessionId = b.sessionId;
            if (b.limits < 0)
                return fail("limits message without a \"limits\" record") ? 0 : -1;
            m.limits = limitsOf(bag(b.limits));
            m.timestamp = ms(b.timestamp, unitFor(m.sessionId));
            out.payload = m;
        } else if (t == K::Error) {
            if (b.error < 0)
                return fail("error message without an \"error\" record") ? 0 : -1;
            if (!errorFrom(bag(b.error), b.sessionId, out))
                return -1;
        } else if (t == K::TMarker) {
            MarkerMsg m;
            m.sessionId = b.sessionId;
            m.label = b.label;
            m.timestamp = ms(b.timestamp, unitFor(m.sessionId));
            out.payload = m;
        } else if (t == K::THello) {
            out.payload = HelloMsg{b.protocol, b.server};
        } else if (t == K::TRecording) {
            out.payload = RecordingHeaderMsg{b.format, msNoUnit(b.createdAt), b.source, b.application};
        } else {
            ++skippedUnknown;
            // Bounded like the custom purposes: past kMaxWarnedTypes distinct
            // names, new unknown types are only counted (skippedUnknown).
            if (!warnedTypes.contains(b.type) && warnedTypes.size() < kMaxWarnedTypes) {
                warnedTypes.emplace(b.type);
                warnings.push_back({DecodeWarningKind::UnknownType, line,
                                    "line " + std::to_string(line) + ": unknown type " + std::string(b.type.substr(0, 64)) + " skipped",
                                    std::string(b.type)});
            }
            return 0;
        }
        out.seq = b.seq;
        if (b.receivedAt.present)
            out.receivedAt = msNoUnit(b.receivedAt);
        return 1;
    }

    Result<std::optional<Message>> decode(std::string_view json, std::uint64_t lineNo)
    {
        line = lineNo;
        errorText.clear();
        errorCode = MemoryErrorCode::MalformedInput;
        warnings.clear();
        bags.clear();
        purposes.clear();

        auto error = [&]() -> Result<std::optional<Message>> {
            // a refused message raises no warning: forget names first seen in it
            for (const auto& w : warnings) {
                if (w.kind == DecodeWarningKind::CustomPurpose)
                    warnedPurposes.erase(w.name);
                else
                    warnedTypes.erase(w.name);
            }
            warnings.clear();
            return makeError(errorCode, "line " + std::to_string(lineNo) + ": " + errorText,
                             "line " + std::to_string(lineNo));
        };

        if (json.size() > options.maxMessageBytes) {
            fail(std::to_string(json.size()) + " bytes, over the " + std::to_string(options.maxMessageBytes)
                 + "-byte limit: refused");
            return error();
        }
        while (!json.empty() && (json.back() == '\r' || json.back() == '\n' || json.back() == ' ' || json.back() == '\t'))
            json.remove_suffix(1);
        std::size_t lead = 0;
        while (lead < json.size() && (json[lead] == ' ' || json[lead] == '\t' || json[lead] == '\r'))
            ++lead;
        json.remove_prefix(lead);
        if (json.empty())
            return std::optional<Message>{};

        // The line is copied first (padded for simdjson): a message's strings
        // point into the decoder's buffers, never into the caller's line.
        buffer.resize(json.size() + simdjson::SIMDJSON_PADDING);
        std::memcpy(buffer.data(), json.data(), json.size());
        std::memset(buffer.data() + json.size(), 0, simdjson::SIMDJSON_PADDING);

        if (options.canonicalFastPath && json.front() == '{'
            && scanCanonical(std::string_view(buffer.data(), json.size()))) {
            Message m;
            const int r = interpret(0, m, 0);
            if (r < 0 || !errorText.empty())
                return error();
            if (r == 0)
                return std::optional<Message>{};
            return std::optional<Message>{m};
        }

        od::document doc;
        if (auto e = parser.iterate(buffer.data(), json.size(), buffer.size()).get(doc)) {
            failJson("not JSON", e);
            return error();
        }
        od::json_type jt;
        if (auto e = doc.type().get(jt)) {
            failJson("not JSON", e);
            return error();
        }
        if (jt != od::json_type::object) {
            // a scalar may still be garbage that merely starts like one ("not json" starts like null)
            simdjson::error_code e = simdjson::SUCCESS;
            switch (jt) {
            case od::json_type::null: e = doc.is_null().error(); if (!e && !doc.is_null().value_unsafe()) e = simdjson::N_ATOM_ERROR; break;
            case od::json_type::boolean: e = doc.get_bool().error(); break;
            case od::json_type::number: e = doc.get_double().error(); break;
            case od::json_type::string: e = doc.get_string().error(); break;
            default: break;
            }
            const char* rest = nullptr;
            if (!e && jt != od::json_type::array && doc.current_location().get(rest) == simdjson::SUCCESS && rest)
                e = simdjson::TRAILING_CONTENT;
            if (e)
                failJson("not JSON", e);
            else
                fail(jt == od::json_type::array ? "not a JSON object (an array)" : "not a JSON object");
            return error();
        }
        od::object obj;
        if (auto e = doc.get_object().get(obj)) {
            failJson("not a JSON object", e);
            return error();
        }
        const int root = newBag();
        if (!readObject(obj, root, 0))
            return error();
        const char* trailing = nullptr;
        if (doc.current_location().get(trailing) == simdjson::SUCCESS && trailing != nullptr) {
            fail("trailing content after the JSON object");
            return error();
        }
        Message m;
        const int r = interpret(root, m, 0);
        if (r < 0 || !errorText.empty())
            return error();
        if (r == 0)
            return std::optional<Message>{};
        return std::optional<Message>{m};
    }
};

MessageDecoder::MessageDecoder(DecoderOptions options) : d(std::make_unique<Impl>())
{
    d->options = options;
    d->bags.reserve(kMaxBags);
    d->purposes.reserve(16);
}
MessageDecoder::~MessageDecoder() = default;
MessageDecoder::MessageDecoder(MessageDecoder&&) noexcept = default;
MessageDecoder& MessageDecoder::operator=(MessageDecoder&&) noexcept = default;

Result<std::optional<Message>> MessageDecoder::decode(std::string_view json, std::uint64_t line)
{
    try {
        return d->decode(json, line);
    } catch (const std::exception& e) {
        return makeError(MemoryErrorCode::MalformedInput, "line " + std::to_string(line) + ": " + e.what(),
                         "line " + std::to_string(line));
    } catch (...) {
        return makeError(MemoryErrorCode::MalformedInput, "line " + std::to_string(line) + ": internal error",
                         "line " + std::to_string(line));
    }
}

std::span<const DecodeWarning> MessageDecoder::warnings() const { return d->warnings; }
std::uint64_t MessageDecoder::skippedUnknownTypes() const { return d->skippedUnknown; }

void MessageDecoder::reset()
{
    d->warnedTypes.clear();
    d->warnedPurposes.clear();
    d->sessionUnits.clear();
    d->skippedUnknown = 0;
}

} // namespace flight::protocol
