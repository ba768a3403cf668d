// SPDX-License-Identifier: MIT
#include "token_command.h"

#include "option_cursor.h"

#include "live/server/token_strength.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace flight::agent {

namespace {

constexpr const char* kTokenUsage =
    "Usage: flight-agent token [FILE]\n"
    "\n"
    "Makes a strong random bearer token (43 characters, 256 bits from the system's\n"
    "random source) for 'flight-agent serve --token-file FILE' and the clients'\n"
    "--token-file. With FILE, writes it there (a new file, mode 0600; an existing\n"
    "file or symlink is never overwritten); without, prints it on stdout.\n"
    "\n"
    "Exit codes: 0 written, 2 bad usage or FILE exists or cannot be written.\n";

} // namespace

int tokenMain(const QStringList& args)
{
    QString path;
    OptionCursor arg(args);
    while (arg.next()) {
        const QString& a = arg.current();
        if (arg.isHelp()) {
            std::fputs(kTokenUsage, stdout);
            return 0;
        }
        if (a.startsWith(u'-') || !path.isEmpty())
            return usageError("token", QStringLiteral("unexpected '%1' (see flight-agent token --help)").arg(a));
        path = a;
    }
    const QByteArray line = live::newBearerToken() + '\n';
    if (path.isEmpty()) {
        std::fwrite(line.constData(), 1, static_cast<std::size_t>(line.size()), stdout);
        return std::fflush(stdout) == 0 ? 0 : 2;
    }
    const QByteArray native = path.toLocal8Bit();
    // O_EXCL: never over an existing file, and (with O_CREAT) never through a symlink.
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return usageError("token", errno == EEXIST ? QStringLiteral("%1 exists already; remove it first or give a new name").arg(path)
                                    : QStringLiteral("cannot create %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    const bool written = ::write(fd, line.constData(), static_cast<std::size_t>(line.size())) == line.size();
    const bool closed = ::close(fd) == 0;
    if (!written || !closed) {
        ::unlink(native.constData());
        return usageError("token", QStringLiteral("cannot write %1").arg(path));
    }
    std::fprintf(stderr, "flight-agent token: wrote a new token to %s (mode 0600)\n", qPrintable(path));
    return 0;
}

} // namespace flight::agent
