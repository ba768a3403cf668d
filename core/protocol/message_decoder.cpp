#include "protocol/message_decoder.h"

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
    std::set<std::string, std::less<>> warnedTypes;
    std::set<std::string, std::less<>> warnedPurposes;
    std::map<std::string, TimeUnit, std::less<>> sessionUnits;
    std::uint64_t skippedUnknown = 0;

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
                if (auto e = fld.unescaped_key().get(key))
                    return failJson(field.str(), e);
                std::array<char, 48> kb;
                const auto k = normalizeKey(key, kb);
                if (k == "bytes") {
                    if (!readUnsigned(fld.value(), bytes, FieldName(field.a, field.b, ".bytes")))
                        return false;
                    haveBytes = true;
                } else if (k == "humanreadable") {
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
        if (!warnedPurposes.contains(name)) {
            warnedPurposes.emplace(name);
            warnings.push_back({DecodeWarningKind::CustomPurpose, line,
                                "line " + std::to_string(line) + ": custom purpose " + std::string(name),
                                std::string(name)});
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
            if (auto e = fld.unescaped_key().get(rawKey))
                return failJson("invalid JSON key", e);
            std::array<char, 48> kb;
            const std::string_view k = normalizeKey(rawKey, kb);
            od::value v = fld.value();
            // Note: bags may reallocate only in newBag (reserved up front), so
            // references stay valid; still, re-fetch after child reads.
            auto B = [&]() -> Bag& { return bags[static_cast<std::size_t>(bagIndex)]; };
            bool ok = true;
            if (k == "type") {
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
            } else if (k == "sessionid") ok = readString(v, B().sessionId, "sessionId");
            else if (k == "platform") ok = readString(v, B().platform, "platform");
            else if (k == "label") ok = readString(v, B().label, "label");
            else if (k == "protocol") ok = readString(v, B().protocol, "protocol");
            else if (k == "server") ok = readString(v, B().server, "server");
            else if (k == "format") ok = readString(v, B().format, "format");
            else if (k == "source") ok = readString(v, B().source, "source");
            else if (k == "application") ok = readString(v, B().application, "application");
            else if (k == "id") ok = readString(v, B().id, "id");
            else if (k == "allocationid") ok = readString(v, B().allocationId, "allocationId");
            else if (k == "timeunit") ok = readString(v, B().timeUnit, "timeUnit");
            else if (k == "tag") ok = readString(v, B().tag, "tag");
            else if (k == "message") ok = readString(v, B().message, "message");
            else if (k == "details") {
                od::json_type jt;
                if (v.type().get(jt) == simdjson::SUCCESS && jt == od::json_type::null)
                    ok = true;
                else
                    ok = readString(v, B().details, "details");
            } else if (k == "success") {
                bool b = false;
                if (auto e = v.get_bool().get(b))
                    return fail("\"success\" is not a boolean (" + errorName(e) + ")");
                B().success = b;
            } else if (k == "timestamp") ok = readTime(v, B().timestamp, "timestamp");
            else if (k == "allocatedat") ok = readTime(v, B().allocatedAt, "allocatedAt");
            else if (k == "freedat") {
                od::json_type jt;
                if (v.type().get(jt) == simdjson::SUCCESS && jt == od::json_type::null)
                    ok = true;
                else
                    ok = readTime(v, B().freedAt, "freedAt");
            } else if (k == "createdat") ok = readTime(v, B().createdAt, "createdAt");
            else if (k == "receivedat") ok = readTime(v, B().receivedAt, "receivedAt");
            else if (k == "seq") {
                std::uint64_t s = 0;
                if (auto e = v.get_uint64().get(s))
                    return fail("\"seq\" is not a non-negative integer (" + errorName(e) + ")");
                B().seq = s;
            } else if (k == "total") ok = readSize(v, B().total, "total");
            else if (k == "usage" || k == "used") ok = readSize(v, B().used, rawKey);
            else if (k == "available") ok = readSize(v, B().available, "available");
            else if (k == "size") ok = readSize(v, B().size, "size");
            else if (k == "heapmax") ok = readSize(v, B().heapMax, "heapMax");
            else if (k == "stackmax") ok = readSize(v, B().stackMax, "stackMax");
            else if (k == "cachemax") ok = readSize(v, B().cacheMax, "cacheMax");
            else if (k == "softlimit") ok = readSize(v, B().softLimit, "softLimit");
            else if (k == "hardlimit") ok = readSize(v, B().hardLimit, "hardLimit");
            else if (k == "purpose") ok = readPurpose(v, B().purpose);
            else if (k == "pressure") ok = readPressure(v, B().pressure);
            else if (k == "fragmentationratio") {
                double d = 0;
                if (auto e = v.get_double().get(d))
                    return fail("\"fragmentationRatio\" is not a number (" + errorName(e) + ")");
                B().fragmentation = d;
            } else if (k == "code") ok = readCode(v, B().code);
            else if (k == "bypurpose") ok = readByPurpose(v, B());
            else if (k == "allocation" || k == "snapshot" || k == "limits" || k == "error" || k == "val"
                     || k == "value") {
                int child = -1;
                ok = readChild(v, child, depth, rawKey);
                if (ok) {
                    Bag& b = B();
                    if (k == "allocation") b.allocation = child;
                    else if (k == "snapshot") b.snapshot = child;
                    else if (k == "limits") b.limits = child;
                    else if (k == "error") b.error = child;
                    else b.val = child;
                }
            }
            // anything else: unknown field, skipped by On-Demand
            if (!ok)
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

        std::array<char, 48> tb;
        const std::string_view t = normalizeKey(b.type, tb);
        if (t == "allocation") {
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
        } else if (t == "free") {
            FreeMsg m;
            m.sessionId = b.sessionId;
            m.allocationId = !b.allocationId.empty() ? b.allocationId : b.id;
            if (m.allocationId.empty())
                return fail("free without an allocationId") ? 0 : -1;
            const TimeUnit u = unitFor(m.sessionId);
            m.freedAt = b.freedAt.present ? ms(b.freedAt, u) : ms(b.timestamp, u);
            out.payload = m;
        } else if (t == "memoryupdate") {
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
        } else if (t == "sessionstarted") {
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
        } else if (t == "sessionended") {
            SessionEndedMsg m;
            m.sessionId = b.sessionId;
            m.timestamp = ms(b.timestamp, unitFor(m.sessionId));
            out.payload = m;
        } else if (t == "limits") {
            LimitsMsg m;
            m.sessionId = b.sessionId;
            if (b.limits < 0)
                return fail("limits message without a \"limits\" record") ? 0 : -1;
            m.limits = limitsOf(bag(b.limits));
            m.timestamp = ms(b.timestamp, unitFor(m.sessionId));
            out.payload = m;
        } else if (t == "error") {
            if (b.error < 0)
                return fail("error message without an \"error\" record") ? 0 : -1;
            if (!errorFrom(bag(b.error), b.sessionId, out))
                return -1;
        } else if (t == "marker") {
            MarkerMsg m;
            m.sessionId = b.sessionId;
            m.label = b.label;
            m.timestamp = ms(b.timestamp, unitFor(m.sessionId));
            out.payload = m;
        } else if (t == "hello") {
            out.payload = HelloMsg{b.protocol, b.server};
        } else if (t == "recording") {
            out.payload = RecordingHeaderMsg{b.format, msNoUnit(b.createdAt), b.source, b.application};
        } else {
            ++skippedUnknown;
            if (!warnedTypes.contains(b.type)) {
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

        buffer.resize(json.size() + simdjson::SIMDJSON_PADDING);
        std::memcpy(buffer.data(), json.data(), json.size());
        std::memset(buffer.data() + json.size(), 0, simdjson::SIMDJSON_PADDING);

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
