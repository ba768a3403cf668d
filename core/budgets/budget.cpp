// SPDX-License-Identifier: MIT
#include "budget.h"

#include "embedded_file.h"
#include "model/memory_size.h"

#include <simdjson.h>

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace flight {
namespace {

auto bad(std::string_view source, const std::string& where, std::string_view why)
{
    return makeError(MemoryErrorCode::MalformedInput,
                     std::string(source) + ": " + where + ": " + std::string(why));
}

// "line 7, column 1" where the JSON stops making sense, for a person to open the
// file at: simdjson says why but not where, Qt's parser says where.
std::string syntaxErrorPlace(std::string_view json)
{
    QJsonParseError error{};
    const QByteArray bytes = QByteArray::fromRawData(json.data(), static_cast<qsizetype>(json.size()));
    (void)QJsonDocument::fromJson(bytes, &error);
    if (error.error == QJsonParseError::NoError)
        return "document";
    const auto offset = static_cast<std::size_t>(std::clamp<qsizetype>(error.offset, 0, bytes.size()));
    std::size_t line = 1;
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i < offset; ++i)
        if (json[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    return "line " + std::to_string(line) + ", column " + std::to_string(offset - lineStart + 1) + ": " +
           error.errorString().toStdString();
}

Result<std::uint64_t> readSize(simdjson::dom::element e, std::string_view source, const std::string& where)
{
    std::uint64_t n = 0;
    if (!e.get(n))
        return n;
    std::string_view text;
    if (!e.get(text)) {
        auto parsed = MemorySize::parse(text);
        if (!parsed)
            return bad(source, where, parsed.error().message);
        return parsed->bytes;
    }
    return bad(source, where, "must be a size such as \"24MB\" or a whole number of bytes");
}

Result<Budget> readBudget(simdjson::dom::element e, std::string_view source, const std::string& where,
                          const PlatformCatalog& catalog)
{
    simdjson::dom::object o;
    if (e.get(o))
        return bad(source, where, "a budget must be an object");
    Budget b;
    b.source = source;
    std::string_view s;
    if (!o["name"].get(s))
        b.name = s;
    if (o["platform"].get(s) || s.empty())
        return bad(source, where + ".platform", "missing: name the platform profile (e.g. \"psp\")");
    b.platform = s;
    if (simdjson::dom::element t; !o["total"].get(t)) {
        auto total = readSize(t, source, where + ".total");
        if (!total)
            return std::unexpected(total.error());
        b.totalBytes = *total;
    } else if (const PlatformProfile* p = catalog.find(b.platform); p && p->totalBytes > 0) {
        b.totalBytes = p->totalBytes;
    } else {
        return bad(source, where + ".total",
                   "missing, and platform \"" + b.platform + "\" has no fixed total: give \"total\"");
    }
    if (b.name.empty())
        b.name = b.platform;
    simdjson::dom::object purposes;
    if (simdjson::dom::element pe; !o["purposes"].get(pe)) {
        if (pe.get(purposes))
            return bad(source, where + ".purposes", "must be an object of purpose: size");
        for (auto [key, value] : purposes) {
            auto size = readSize(value, source, where + ".purposes." + std::string(key));
            if (!size)
                return std::unexpected(size.error());
            b.purposes.push_back({MemoryPurpose::fromName(key), *size});
        }
    }
    return b;
}

} // namespace

std::optional<std::uint64_t> Budget::budgetFor(MemoryPurpose p) const
{
    for (const auto& pb : purposes)
        if (pb.purpose == p)
            return pb.bytes;
    return std::nullopt;
}

Result<std::vector<Budget>> parseBudgets(std::string_view json, std::string_view source, const PlatformCatalog& catalog)
{
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (auto err = parser.parse(simdjson::padded_string(json)).get(root))
        return bad(source, syntaxErrorPlace(json), std::string("not valid JSON (") + simdjson::error_message(err) + ")");
    std::vector<Budget> out;
    simdjson::dom::array list;
    if (!root["budgets"].get(list)) {
        std::size_t i = 0;
        for (auto item : list) {
            auto b = readBudget(item, source, "budgets[" + std::to_string(i++) + "]", catalog);
            if (!b)
                return std::unexpected(b.error());
            out.push_back(std::move(*b));
        }
    } else {
        auto b = readBudget(root, source, "budget", catalog);
        if (!b)
            return std::unexpected(b.error());
        out.push_back(std::move(*b));
    }
    return out;
}

Result<std::vector<Budget>> loadBudgetFile(const std::string& path, const PlatformCatalog& catalog)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError(MemoryErrorCode::IoError, "cannot open budget file " + path + ": check the path and permissions");
    std::ostringstream text;
    text << in.rdbuf();
    return parseBudgets(text.str(), path, catalog);
}

std::string budgetToJson(const Budget& budget)
{
    auto quote = [](std::string_view s) {
        std::string q = "\"";
        for (char c : s) {
            if (c == '"' || c == '\\')
                q += '\\';
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                q += buf;
                continue;
            }
            q += c;
        }
        return q + "\"";
    };
    std::string out = "{\n  \"name\": " + quote(budget.name) + ",\n  \"platform\": " + quote(budget.platform) +
                      ",\n  \"total\": " + std::to_string(budget.totalBytes) + ",\n  \"purposes\": {";
    for (std::size_t i = 0; i < budget.purposes.size(); ++i) {
        out += i ? ",\n    " : "\n    ";
        // Exact bytes: formatBytes rounds to one decimal.
        out += quote(budget.purposes[i].purpose.name()) + ": " + std::to_string(budget.purposes[i].bytes);
    }
    out += budget.purposes.empty() ? "}\n}\n" : "\n  }\n}\n";
    return out;
}

const std::vector<Budget>& builtinBudgets()
{
    static const std::vector<Budget> budgets = [] {
        std::vector<Budget> all;
        for (const auto& f : embedded::budgetFiles()) {
            // Shipped files are tested (BuiltinBudgets); a bad one is a build bug.
            auto parsed = parseBudgets(f.text, "builtin:" + std::string(f.name));
            if (parsed)
                for (auto& b : *parsed)
                    all.push_back(std::move(b));
        }
        return all;
    }();
    return budgets;
}

std::string noBudgetMessage(std::string_view platform)
{
    const auto same = [](std::string_view a, std::string_view b) {
        return std::ranges::equal(a, b, [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y)); });
    };
    std::string message = "no budget for platform \"" + std::string(platform) + "\": ";
    if (same(platform, "custom"))
        return message + "the custom profile has no fixed total (each session states its own), so no default "
                         "budget ships for it; give one with --budgets FILE (\"platform\": \"custom\" and a \"total\")";
    std::string shipped;
    for (const Budget& b : builtinBudgets())
        shipped += (shipped.empty() ? "" : ", ") + b.platform;
    return message + "default budgets ship for " + shipped + "; give one with --budgets FILE";
}

} // namespace flight
