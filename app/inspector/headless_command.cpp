// SPDX-License-Identifier: MIT
#include "headless_command.h"

#include "command_output.h"

#include <QGuiApplication>

#include <cstdio>

namespace flight::app {

HeadlessCommand::HeadlessCommand(int argc, char** argv, const char* name, const QString& description, Painting painting)
    : m_arguments(commandArguments(argc, argv))
    , m_qtArguments(argv[0]) // the options are ours, not Qt's
    , m_name(QStringLiteral("flight-inspector %1").arg(QString::fromLatin1(name)))
{
    if (painting == Painting::Yes) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        m_app = std::make_unique<QGuiApplication>(m_qtArguments.argc, m_qtArguments.argv);
    } else {
        m_app = std::make_unique<QCoreApplication>(m_qtArguments.argc, m_qtArguments.argv);
    }
    QCoreApplication::setApplicationName(m_name);
    QCoreApplication::setApplicationVersion(QStringLiteral(FLIGHT_VERSION));
    m_parser.setApplicationDescription(description);
    m_parser.addHelpOption();
    m_parser.addVersionOption();
    m_parser.addPositionalArgument(QString::fromLatin1(name), QStringLiteral("The subcommand."));
}

QStringList HeadlessCommand::parse()
{
    processCommandLine(m_parser, m_arguments);
    QStringList positional = m_parser.positionalArguments();
    positional.removeFirst(); // the subcommand's name
    return positional;
}

int HeadlessCommand::fail(const QString& message) const
{
    warn(message);
    return 2;
}

void HeadlessCommand::warn(const QString& message) const
{
    std::fprintf(stderr, "%s: %s\n", qPrintable(m_name), printable(message).constData());
}

} // namespace flight::app
