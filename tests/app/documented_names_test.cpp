// SPDX-License-Identifier: MIT
// docs/architecture.md names the code's parts. Every name it puts in backticks
// and every CamelCase name (and Class.member) in its diagrams must stand in
// the sources outside comments, and every path it gives must exist, so the
// page cannot drift from the code unnoticed. The failure names what is missing.
#include <gtest/gtest.h>

#include <QDirIterator>
#include <QFileInfo>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>

namespace {

const QString kRoot = QStringLiteral(FLIGHT_SOURCE_DIR);

QString readText(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// C++ without its comments ("//" inside a string such as "ws://" cuts the rest
// of that line too: it only makes the search stricter).
QString withoutCppComments(QString text)
{
    static const QRegularExpression block(QStringLiteral("/\\*.*?\\*/"), QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression line(QStringLiteral("//[^\\n]*"));
    return text.remove(block).remove(line);
}

// A test file without its gtest suite names: TEST(RecordingReader, ...) is no
// RecordingReader in the code.
QString withoutSuiteNames(QString text)
{
    static const QRegularExpression suite(QStringLiteral("\\b(TEST|TEST_F|TEST_P|TYPED_TEST|INSTANTIATE_TEST_SUITE_P)\\s*\\(\\s*\\w+"));
    return text.replace(suite, QStringLiteral("\\1("));
}

// CMake and shell without their comment lines.
QString withoutHashComments(QString text)
{
    static const QRegularExpression line(QStringLiteral("(?m)^\\s*#[^\\n]*"));
    return text.remove(line);
}

struct Sources {
    QSet<QString> words;   // identifiers in code
    QString code;          // all code, for names with dashes ("--max-clients", "flight-agent")
    QStringList files;     // every file and folder, relative to the root
};

const Sources& sources()
{
    static const Sources s = [] {
        Sources out;
        static const QRegularExpression word(QStringLiteral("[A-Za-z_][A-Za-z0-9_]*"));
        for (const char* top : {"core", "ui", "app", "tests", "scripts", "cmake", "packaging", "docs", "resources"}) {
            QDirIterator it(kRoot + u'/' + QLatin1String(top), QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot,
                            QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                const QString rel = path.mid(kRoot.size() + 1);
                out.files.append(rel);
                const QFileInfo info = it.fileInfo();
                if (!info.isFile() || rel.startsWith(QLatin1String("tests/data")) || rel.startsWith(QLatin1String("docs/")))
                    continue;
                const QString suffix = info.suffix();
                QString text;
                if (suffix == QLatin1String("h") || suffix == QLatin1String("cpp"))
                    text = withoutSuiteNames(withoutCppComments(readText(path)));
                else if (suffix == QLatin1String("cmake") || info.fileName() == QLatin1String("CMakeLists.txt")
                         || (suffix.isEmpty() && rel.startsWith(QLatin1String("scripts/"))))
                    text = withoutHashComments(readText(path));
                else
                    continue;
                for (auto m = word.globalMatch(text); m.hasNext();)
                    out.words.insert(m.next().captured());
                out.code += text;
                out.code += u'\n';
            }
        }
        const QString top = withoutHashComments(readText(kRoot + QStringLiteral("/CMakeLists.txt")));
        for (auto m = word.globalMatch(top); m.hasNext();)
            out.words.insert(m.next().captured());
        out.code += top;
        out.words.insert(QStringLiteral("std"));
        return out;
    }();
    return s;
}

bool pathExists(const QString& path)
{
    QString p = path;
    while (p.endsWith(u'/'))
        p.chop(1);
    const Sources& s = sources();
    // As written from the root, from an include root (core/, ui/), or a file's own name anywhere.
    for (const QString& base : {QString(), QStringLiteral("core/"), QStringLiteral("ui/")})
        if (s.files.contains(base + p))
            return true;
    if (!p.contains(u'/'))
        for (const QString& f : s.files)
            if (f.endsWith(u'/' + p))
                return true;
    return false;
}

// What of one backticked span is missing from the sources (empty: all found).
QStringList missingIn(const QString& span)
{
    static const QRegularExpression templateArgs(QStringLiteral("<.*>$"));
    static const QRegularExpression fileName(QStringLiteral("\\.(h|cpp|cmake|md|sh|txt|json)$"));
    const Sources& s = sources();
    QString base = span;
    base.remove(templateArgs);
    if (base.endsWith(QLatin1String("()")))
        base.chop(2);
    QStringList missing;
    const auto needOption = [&](const QString& option) {
        const QString name = option.mid(option.startsWith(QLatin1String("--")) ? 2 : 1);
        if (!s.code.contains(u'"' + name + u'"') && !s.code.contains(option))
            missing << option;
    };
    if (base.contains(u' ')) { // a command line: its program or subcommand, and its options
        const QStringList words = base.split(u' ', Qt::SkipEmptyParts);
        if (!s.code.contains(words.first()))
            missing << words.first();
        for (const QString& w : words)
            if (w.startsWith(u'-'))
                needOption(w);
    } else if (base.startsWith(u'-')) {
        needOption(base);
    } else if (base.contains(u'/') || fileName.match(base).hasMatch()) {
        if (!pathExists(base))
            missing << base;
    } else if (base.contains(u'-')) { // a program ("flight-agent")
        if (!s.code.contains(base))
            missing << base;
    } else {
        static const QRegularExpression parts(QStringLiteral("::|\\."));
        for (const QString& part : base.split(parts, Qt::SkipEmptyParts))
            if (!s.words.contains(part))
                missing << span;
    }
    missing.removeDuplicates();
    return missing;
}

} // namespace

TEST(DocumentedNames, EveryNameInArchitectureMdStandsInTheSources)
{
    const QString page = readText(kRoot + QStringLiteral("/docs/architecture.md"));
    ASSERT_FALSE(page.isEmpty());
    static const QRegularExpression fence(QStringLiteral("(?ms)^```[^\\n]*\\n(.*?)^```"));
    static const QRegularExpression inlineCode(QStringLiteral("`([^`\\n]+)`"));
    static const QRegularExpression camel(QStringLiteral("\\b(?:[A-Z][a-z0-9]+){2,}\\b"));
    static const QRegularExpression member(QStringLiteral("\\b[A-Z]\\w+(?:\\.|::)([a-z]\\w*)"));

    QStringList missing;
    QString prose = page;
    for (auto m = fence.globalMatch(page); m.hasNext();) {
        const auto block = m.next();
        prose.replace(block.captured(0), QString());
        for (auto c = camel.globalMatch(block.captured(1)); c.hasNext();)
            missing << missingIn(c.next().captured());
        for (auto c = member.globalMatch(block.captured(1)); c.hasNext();)
            missing << missingIn(c.next().captured(1));
    }
    int spans = 0;
    for (auto m = inlineCode.globalMatch(prose); m.hasNext(); ++spans)
        missing << missingIn(m.next().captured(1));
    missing.removeDuplicates();
    EXPECT_GT(spans, 50); // the page is read as expected
    EXPECT_TRUE(missing.isEmpty()) << "docs/architecture.md names what the sources do not have: "
                                   << missing.join(QStringLiteral(", ")).toStdString();
}
