// SPDX-License-Identifier: MIT
#include "import/purpose_rules.h"

#include "protocol/printable_text.h"
#include "protocol/string_caps.h"

#include <QFile>

#include <charconv>
#include <optional>
#include <regex>

namespace flight::import {

namespace {

constexpr std::size_t kMaxRulesFileBytes = 1u << 20;

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

std::string_view baseName(std::string_view path)
{
    const auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// "64", "64K", "1M", "2G" (binary multiples); nullopt when not a size.
std::optional<std::uint64_t> parseSize(std::string_view text)
{
    std::uint64_t multiplier = 1;
    if (!text.empty()) {
        switch (text.back()) {
        case 'K': case 'k': multiplier = 1ull << 10; break;
        case 'M': case 'm': multiplier = 1ull << 20; break;
        case 'G': case 'g': multiplier = 1ull << 30; break;
        default: break;
        }
        if (multiplier != 1)
            text.remove_suffix(1);
    }
    std::uint64_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || v > UINT64_MAX / multiplier)
        return std::nullopt;
    return v * multiplier;
}

} // namespace

struct PurposeRules::Rule {
    std::string module;                   // glob; empty: any
    bool moduleByPath = false;            // the glob has a '/': matched on the whole path
    std::string function;                 // glob; empty: any (unless regex)
    std::optional<std::regex> functionRegex;
    std::uint64_t minBytes = 0;
    std::uint64_t maxBytes = UINT64_MAX;
    MemoryPurpose purpose;

    bool functionMatches(std::string_view f) const
    {
        if (functionRegex)
            return std::regex_search(f.begin(), f.end(), *functionRegex);
        return globMatch(function, f);
    }
};

MemoryPurpose unclassifiedPurpose()
{
    static const MemoryPurpose p = MemoryPurpose::fromName("unclassified");
    return p;
}

bool isAllocatorFunction(std::string_view f)
{
    static constexpr std::string_view names[] = {
        "malloc", "calloc", "realloc", "reallocarray", "posix_memalign", "aligned_alloc",
        "memalign", "valloc", "pvalloc", "__libc_malloc", "__libc_calloc", "__libc_realloc",
        "__libc_memalign", "__posix_memalign", "strdup", "strndup", "__strdup",
    };
    for (std::string_view n : names)
        if (f == n)
            return true;
    return f.starts_with("operator new") || f.starts_with("__gnu_cxx::new_allocator")
        || f.starts_with("std::__new_allocator") || f.starts_with("std::allocator");
}

bool globMatch(std::string_view pattern, std::string_view text)
{
    // Iterative matcher with one backtrack point (the last '*'): linear in
    // practice, never exponential.
    std::size_t p = 0, t = 0, starP = std::string_view::npos, starT = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            starP = p++;
            starT = t;
        } else if (starP != std::string_view::npos) {
            p = starP + 1;
            t = ++starT;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

PurposeRules::PurposeRules() = default;
PurposeRules::~PurposeRules() = default;
PurposeRules::PurposeRules(PurposeRules&&) noexcept = default;
PurposeRules& PurposeRules::operator=(PurposeRules&&) noexcept = default;

std::size_t PurposeRules::size() const { return m_rules.size(); }
const std::string& PurposeRules::path() const { return m_path; }

bool PurposeRules::needsStack() const
{
    for (const Rule& r : m_rules)
        if (!r.module.empty() || !r.function.empty() || r.functionRegex)
            return true;
    return false;
}

Result<PurposeRules> PurposeRules::parse(std::string_view text, std::string_view source)
{
    PurposeRules rules;
    std::size_t lineNo = 0;
    while (!text.empty()) {
        ++lineNo;
        const auto nl = text.find('\n');
        std::string_view line = trim(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (line.empty() || line.front() == '#')
            continue;
        auto fail = [&](const std::string& why) {
            return makeError(MemoryErrorCode::MalformedInput,
                             protocol::printableText(std::string(source)) + " line " + std::to_string(lineNo) + ": "
                                 + why,
                             "line " + std::to_string(lineNo));
        };
        auto shown = [](std::string_view s) {
            return "\"" + protocol::printableText(std::string(protocol::cutText(s, 80))) + "\"";
        };
        const auto arrow = line.find("->");
        if (arrow == std::string_view::npos)
            return fail("no \"-> purpose\" at the end of the rule");
        const std::string_view purposeName = trim(line.substr(arrow + 2));
        if (purposeName.empty() || purposeName.find_first_of(" \t\"") != std::string_view::npos
            || purposeName.size() > protocol::kMaxIdBytes)
            return fail("the purpose after \"->\" must be one name (a standard purpose or a custom one), got "
                        + shown(purposeName));
        Rule rule;
        rule.purpose = MemoryPurpose::fromName(purposeName);
        std::string_view conds = trim(line.substr(0, arrow));
        if (conds.empty())
            return fail("a rule needs at least one condition (module=, function= or size=)");
        while (!conds.empty()) {
            const auto eq = conds.find('=');
            if (eq == std::string_view::npos)
                return fail("expected KEY=VALUE, got " + shown(conds));
            const std::string_view key = conds.substr(0, eq);
            conds.remove_prefix(eq + 1);
            std::string_view value;
            if (!conds.empty() && conds.front() == '"') {
                const auto close = conds.find('"', 1);
                if (close == std::string_view::npos)
                    return fail("unterminated quote in " + std::string(key) + "=");
                value = conds.substr(1, close - 1);
                conds.remove_prefix(close + 1);
            } else {
                const auto end = conds.find_first_of(" \t");
                value = conds.substr(0, end);
                conds.remove_prefix(end == std::string_view::npos ? conds.size() : end);
            }
            conds = trim(conds);
            if (value.empty())
                return fail(std::string(key) + "= needs a value");
            if (key == "module") {
                rule.module = std::string(value);
                rule.moduleByPath = value.find('/') != std::string_view::npos;
            } else if (key == "function") {
                if (value.size() >= 2 && value.front() == '/' && value.back() == '/') {
                    try {
                        rule.functionRegex.emplace(std::string(value.substr(1, value.size() - 2)),
                                                   std::regex::ECMAScript | std::regex::optimize);
                    } catch (const std::regex_error& e) {
                        return fail("bad regular expression " + shown(value) + ": " + e.what());
                    }
                } else {
                    rule.function = std::string(value);
                }
            } else if (key == "size") {
                const auto dots = value.find("..");
                if (dots == std::string_view::npos)
                    return fail("size must be MIN..MAX (either may be empty), got " + shown(value));
                const std::string_view lo = value.substr(0, dots), hi = value.substr(dots + 2);
                if (lo.empty() && hi.empty())
                    return fail("size=.. has neither a minimum nor a maximum");
                if (!lo.empty()) {
                    const auto v = parseSize(lo);
                    if (!v)
                        return fail("not a size: " + shown(lo));
                    rule.minBytes = *v;
                }
                if (!hi.empty()) {
                    const auto v = parseSize(hi);
                    if (!v)
                        return fail("not a size: " + shown(hi));
                    rule.maxBytes = *v;
                }
                if (rule.minBytes > rule.maxBytes)
                    return fail("size range " + shown(value) + " is empty (minimum above maximum)");
            } else {
                return fail("unknown condition " + shown(key) + " (module=, function= or size=)");
            }
        }
        rules.m_rules.push_back(std::move(rule));
    }
    return rules;
}

Result<PurposeRules> PurposeRules::readFile(const std::string& path)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        return makeError(MemoryErrorCode::IoError,
                         "cannot read rules " + protocol::printableText(path) + ": " + file.errorString().toStdString());
    const QByteArray bytes = file.read(kMaxRulesFileBytes + 1);
    if (bytes.size() > static_cast<qsizetype>(kMaxRulesFileBytes))
        return makeError(MemoryErrorCode::MalformedInput,
                         "rules " + protocol::printableText(path) + " is over 1 MiB: refused");
    auto rules = parse(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())), path);
    if (rules)
        rules->m_path = path;
    return rules;
}

MemoryPurpose PurposeRules::classify(std::span<const StackFrame> stack, std::uint64_t bytes) const
{
    // The allocating module: that of the innermost frame that is not an
    // allocator entry point (so operator new in libstdc++ does not hide its caller).
    std::string_view module;
    for (const StackFrame& f : stack) {
        if (!isAllocatorFunction(f.function)) {
            module = f.module;
            break;
        }
    }
    for (const Rule& r : m_rules) {
        if (bytes < r.minBytes || bytes > r.maxBytes)
            continue;
        if (!r.module.empty() && !globMatch(r.module, r.moduleByPath ? module : baseName(module)))
            continue;
        if (!r.function.empty() || r.functionRegex) {
            bool any = false;
            for (const StackFrame& f : stack)
                if (r.functionMatches(f.function)) {
                    any = true;
                    break;
                }
            if (!any)
                continue;
        }
        return r.purpose;
    }
    return unclassifiedPurpose();
}

} // namespace flight::import
