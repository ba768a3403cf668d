// SPDX-License-Identifier: MIT
// Every option that a --help of the built flight-inspector and flight-agent
// prints (the window, every subcommand; long and short forms) must appear in
// docs/*.md or packaging/man/*.1, so the help and the documentation cannot
// drift apart again. A missing option is named with the command that prints it.

#include "docs_text.h"
#include "inspector_run.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <gtest/gtest.h>

using namespace flight::apptest;

namespace {

struct HelpCommand {
    QString program;
    QStringList args;
};

// The options listed by one --help: the option column of lines that start with
// a dash after the indent (QCommandLineParser's "  -o, --output <OUT>" and the
// agent's own "  --listen HOST:PORT  address ...").
QStringList optionsIn(const QString& help)
{
    static const QRegularExpression listed(QStringLiteral("^\\s{1,8}(-\\S.*?)(\\s{2,}|$)"));
    static const QRegularExpression option(QStringLiteral("(?<![\\w-])--?[A-Za-z][\\w-]*"));
    QStringList out;
    for (const QString& line : help.split(u'\n')) {
        const auto m = listed.match(line);
        if (!m.hasMatch())
            continue;
        for (auto it = option.globalMatch(m.captured(1)); it.hasNext();)
            out << it.next().captured(0);
    }
    out.removeDuplicates();
    return out;
}

} // namespace

TEST(DocumentedOptions, EveryOptionOfEveryHelpIsInTheDocsOrTheManPages)
{
    const QString inspector = QStringLiteral(FLIGHT_INSPECTOR_EXE);
    const QString agent = QStringLiteral(FLIGHT_AGENT_EXE);
    const std::vector<HelpCommand> commands = {
        {inspector, {QStringLiteral("--help")}},
        {inspector, {QStringLiteral("report"), QStringLiteral("--help")}},
        {inspector, {QStringLiteral("check"), QStringLiteral("--help")}},
        {inspector, {QStringLiteral("diff"), QStringLiteral("--help")}},
        {inspector, {QStringLiteral("capture"), QStringLiteral("--help")}},
        {agent, {QStringLiteral("--help")}},
        {agent, {QStringLiteral("generate"), QStringLiteral("--help")}},
        {agent, {QStringLiteral("serve"), QStringLiteral("--help")}},
    };
    const QString docs = documentationText();
    ASSERT_GT(docs.size(), 10000); // the pages were read
    std::size_t seen = 0;
    QStringList missing;
    for (const HelpCommand& c : commands) {
        const ToolRun r = run(c.program, c.args);
        const QString name = QFileInfo(c.program).fileName() + u' ' + c.args.join(u' ');
        ASSERT_EQ(r.exitCode, 0) << name.toStdString() << ": " << r.err.toStdString();
        const QStringList options = optionsIn(QString::fromUtf8(r.out));
        EXPECT_GE(options.size(), 2) << name.toStdString() << " lists no options:\n" << r.out.toStdString();
        seen += static_cast<std::size_t>(options.size());
        for (const QString& o : options)
            if (!mentionsOption(docs, o))
                missing << o + QStringLiteral(" (") + name + u')';
    }
    EXPECT_TRUE(missing.isEmpty()) << "options in --help but in no docs/*.md or packaging/man/*.1 page:\n  "
                                   << missing.join(QStringLiteral("\n  ")).toStdString();
    EXPECT_GE(seen, 60u); // every help was parsed, not only a few lines
}

TEST(DocumentedOptions, TheCheckFindsAnUndocumentedOption)
{
    const QString docs = QStringLiteral("Use `--at-preview` or `-o FILE`; .B \\-\\-zstd\\-level");
    const QString normalised = normaliseRoff(docs);
    EXPECT_TRUE(mentionsOption(normalised, QStringLiteral("--at-preview")));
    EXPECT_TRUE(mentionsOption(normalised, QStringLiteral("-o")));
    EXPECT_TRUE(mentionsOption(normalised, QStringLiteral("--zstd-level")));
    EXPECT_FALSE(mentionsOption(normalised, QStringLiteral("--at"))); // only a longer option holds it
    EXPECT_FALSE(mentionsOption(normalised, QStringLiteral("--zstd")));
    EXPECT_FALSE(mentionsOption(normalised, QStringLiteral("-q")));
    EXPECT_EQ(optionsIn(QStringLiteral("Options:\n  -q, --quiet          Print nothing.\n"
                                       "  --listen HOST:PORT  address (e.g. -x in the text is not an option)\n")),
              (QStringList{QStringLiteral("-q"), QStringLiteral("--quiet"), QStringLiteral("--listen")}));
}
