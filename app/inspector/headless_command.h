// SPDX-License-Identifier: MIT
#pragma once
// The frame every headless subcommand (report, check, diff, capture) runs in:
// its application, built from the program name only (command_arguments.h says
// why), its name and version, a parser with --help and --version, and the one
// way it reports a failure. A subcommand's main adds its options, parses, and
// goes on with its own steps.

#include "command_arguments.h"

#include "model/memory_error.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <cstdlib>
#include <memory>

namespace flight::app {

class HeadlessCommand {
public:
    enum class Painting { No, Yes }; // Yes: a QGuiApplication (offscreen), for QPainter

    // name: the subcommand ("check"); it heads --help, --version and errors.
    HeadlessCommand(int argc, char** argv, const char* name, const QString& description, Painting painting = Painting::No);

    QCommandLineParser& parser() { return m_parser; }
    const QCommandLineParser& parser() const { return m_parser; }

    // Parses the whole command line; exits on --help, --version (0) and wrong
    // options (2). Returns the positional arguments after the subcommand's name.
    QStringList parse();

    // What every subcommand's main starts with: add its options (add(parser)),
    // parse as parse() does, and read them (read(parser, positional arguments)).
    // Options read wrong end the program as a parse error does: the reason on
    // stderr (fail()), exit code 2.
    template <typename Add, typename Read> auto parseOptions(Add add, Read read)
    {
        add(m_parser);
        auto options = read(m_parser, parse());
        if (!options)
            std::exit(fail(options.error()));
        return std::move(*options);
    }

    // "flight-inspector NAME: message" on stderr, control characters escaped;
    // returns 2, the exit code of bad input or arguments.
    int fail(const QString& message) const;
    int fail(const MemoryError& error) const { return fail(QString::fromStdString(error.message)); }
    // The same line as a warning; the command goes on.
    void warn(const QString& message) const;

private:
    QStringList m_arguments;
    ProgramOnlyArguments m_qtArguments;
    std::unique_ptr<QCoreApplication> m_app;
    QCommandLineParser m_parser;
    QString m_name;
};

} // namespace flight::app
