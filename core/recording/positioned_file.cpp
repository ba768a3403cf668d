// SPDX-License-Identifier: MIT
#include "recording/positioned_file.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace flight::recording {

Result<PositionedFile> PositionedFile::open(const std::string& path)
{
    PositionedFile f;
    f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st{};
    if (f.fd < 0 || ::fstat(f.fd, &st) != 0)
        return makeError(MemoryErrorCode::IoError, "cannot open " + path + ": " + std::strerror(errno), path);
    f.size = static_cast<std::uint64_t>(st.st_size);
    f.regular = S_ISREG(st.st_mode);
    return f;
}

PositionedFile::PositionedFile(PositionedFile&& other) noexcept
    : fd(other.fd)
    , size(other.size)
    , regular(other.regular)
{
    other.fd = -1;
}

PositionedFile::~PositionedFile()
{
    if (fd >= 0)
        ::close(fd);
}

bool PositionedFile::read(std::uint64_t at, std::size_t n, std::string& out) const
{
    out.resize(n);
    std::size_t done = 0;
    while (done < n) {
        const ssize_t got = ::pread(fd, out.data() + done, n - done, static_cast<off_t>(at + done));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        done += static_cast<std::size_t>(got);
    }
    return true;
}

} // namespace flight::recording
