// SPDX-License-Identifier: MIT
#include "live/sampling/proc_file.h"

#include <cerrno>
#include <charconv>
#include <fcntl.h>
#include <unistd.h>

namespace flight::live {

std::optional<std::string> readProcFile(const QString& path)
{
    const QByteArray native = path.toLocal8Bit();
    const int fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    std::string out;
    char buf[16384];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            ::close(fd);
            return std::nullopt;
        }
        if (n == 0)
            break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

namespace {

std::optional<std::uint64_t> parseNumber(std::string_view text)
{
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t'))
        ++i;
    std::uint64_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data() + i, text.data() + text.size(), v);
    if (ec != std::errc() || ptr == text.data() + i)
        return std::nullopt;
    return v;
}

// The rest of the line that starts with `key` followed by `sep` (at a line start).
std::optional<std::string_view> lineValue(std::string_view text, std::string_view key, char sep)
{
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t eol = std::min(text.find('\n', pos), text.size());
        const std::string_view line = text.substr(pos, eol - pos);
        if (line.size() > key.size() && line.starts_with(key) && line[key.size()] == sep)
            return line.substr(key.size() + 1);
        pos = eol + 1;
    }
    return std::nullopt;
}

} // namespace

std::optional<std::uint64_t> procKbField(std::string_view text, std::string_view key)
{
    const auto value = lineValue(text, key, ':');
    if (!value)
        return std::nullopt;
    const auto n = parseNumber(*value);
    if (!n)
        return std::nullopt;
    return value->find("kB") != std::string_view::npos ? *n * 1024u : *n;
}

std::optional<std::uint64_t> flatKeyValue(std::string_view text, std::string_view key)
{
    const auto value = lineValue(text, key, ' ');
    return value ? parseNumber(*value) : std::nullopt;
}

std::optional<std::uint64_t> readNumberFile(const QString& path)
{
    const auto text = readProcFile(path);
    if (!text)
        return std::nullopt;
    return parseNumber(*text);
}

} // namespace flight::live
