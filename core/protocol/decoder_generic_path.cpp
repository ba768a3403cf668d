// SPDX-License-Identifier: MIT
// The decoder's general path: any dialect, any JSON, on simdjson On-Demand
// with a reused parser. Decides and words every error (the fast path never does).
#include "protocol/message_decoder_impl.h"
#include "protocol/string_caps.h"

#include "model/custom_purpose_limit.h"

#include <charconv>
#include <cmath>

namespace flight::protocol {

namespace {

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

// A number as a double. simdjson before 3.6.3 (Debian 12 ships 3.0.1) misreads
// a number whose integer part is 0 and whose digits overflow 64 bits:
// 0.95000000000000000000 gives 0.0277 (simdjson issue #2093). So get_double only
// decides whether the token is a number in range (and words the error); the value
// comes from from_chars on the token itself, correctly rounded, as the fast path reads it.
simdjson::error_code readDouble(od::value v, double& out)
{
    const std::string_view token = v.raw_json_token();
    if (auto e = v.get_double().get(out))
        return e;
    double exact = 0;
    const auto r = std::from_chars(token.data(), token.data() + token.size(), exact);
    if (r.ec == std::errc())
        out = exact;
    return simdjson::SUCCESS;
}

} // namespace

bool MessageDecoder::Impl::readString(od::value v, std::string_view& out, FieldName field)
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

bool MessageDecoder::Impl::readTime(od::value v, RawTime& out, FieldName field)
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
        if (auto e = readDouble(v, out.f))
            return failJson(field.str(), e);
        if (!std::isfinite(out.f))
            return fail("\"" + field.str() + "\" is not finite");
    }
    return true;
}

bool MessageDecoder::Impl::readUnsigned(od::value v, std::uint64_t& out, FieldName field)
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
    if (auto e = readDouble(v, d))
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
bool MessageDecoder::Impl::readSize(od::value v, SizeVal& out, FieldName field)
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

bool MessageDecoder::Impl::purposeFromName(std::string_view name, MemoryPurpose& out)
{
    if (auto standard = MemoryPurpose::fromStandardName(name)) {
        out = *standard;
        return true;
    }
    if (name.empty())
        return fail("empty purpose");
    if (name.size() > kMaxIdBytes) // before it is interned for the process's life
        return fail("purpose of " + std::to_string(name.size()) + " bytes is over the " + std::to_string(kMaxIdBytes)
                    + "-byte limit");
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

bool MessageDecoder::Impl::readPurpose(od::value v, std::optional<MemoryPurpose>& out)
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

bool MessageDecoder::Impl::readPressure(od::value v, std::optional<MemoryPressure>& out)
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

bool MessageDecoder::Impl::readCode(od::value v, std::optional<MemoryErrorCode>& out)
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

bool MessageDecoder::Impl::readByPurpose(od::value v, Bag& bag)
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

bool MessageDecoder::Impl::readChild(od::value v, int& slot, int depth, std::string_view field)
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

bool MessageDecoder::Impl::readObject(od::object obj, int bagIndex, int depth)
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
            if (auto e = readDouble(v, d))
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

// The padded line as one JSON object into bag 0, or false with the reason.
bool MessageDecoder::Impl::readDocument(std::string_view json)
{
    od::document doc;
    if (auto e = parser.iterate(json.data(), json.size(), json.size() + simdjson::SIMDJSON_PADDING).get(doc)) {
        failJson("not JSON", e);
        return false;
    }
    od::json_type jt;
    if (auto e = doc.type().get(jt)) {
        failJson("not JSON", e);
        return false;
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
        return false;
    }
    od::object obj;
    if (auto e = doc.get_object().get(obj)) {
        failJson("not a JSON object", e);
        return false;
    }
    const int root = newBag();
    if (!readObject(obj, root, 0))
        return false;
    const char* trailing = nullptr;
    if (doc.current_location().get(trailing) == simdjson::SUCCESS && trailing != nullptr)
        return fail("trailing content after the JSON object");
    return true;
}

} // namespace flight::protocol
