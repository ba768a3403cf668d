// SPDX-License-Identifier: MIT
#pragma once
// The hand-read options of flight-agent's commands (serve, run, token), one
// argument at a time: a missing or out-of-range value is refused the same way
// by every command, and usage errors read "flight-agent COMMAND: why".

#include "model/memory_error.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace flight::agent {

class OptionCursor {
public:
    // From args[first]: args[0] is the program, args[1] the command.
    explicit OptionCursor(const QStringList& args, qsizetype first = 2) : m_args(args), m_next(first) {}

    // Moves to the next argument; false when there is none.
    bool next();
    const QString& current() const { return m_args[m_at]; }
    bool is(QLatin1StringView name) const { return current() == name; }
    bool isHelp() const { return is(QLatin1StringView("-h")) || is(QLatin1StringView("--help")); }

    // Takes the argument after the current one as its value.
    std::optional<QString> value();
    // ... as a whole number from min to max.
    std::optional<qulonglong> count(qulonglong min, qulonglong max);
    // ... as a number above 0.
    std::optional<double> positive();
    // What follows the current argument (the program after "--").
    QStringList rest() const { return m_args.mid(m_at + 1); }

private:
    const QStringList& m_args;
    qsizetype m_next;
    qsizetype m_at = -1;
};

// Prints "flight-agent COMMAND: message" on stderr; returns 2, the exit code of bad usage.
int usageError(const char* command, const QString& message);

// A wrong argument, as every command's option reading returns it (MalformedInput).
inline std::unexpected<MemoryError> badArgument(const QString& message)
{
    return makeError(MemoryErrorCode::MalformedInput, message.toStdString());
}

} // namespace flight::agent
