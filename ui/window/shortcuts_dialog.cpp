// SPDX-License-Identifier: MIT
#include "shortcuts_dialog.h"

#include "timeline/timeline_inputs.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QSet>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace flight::ui {
namespace {
using Row = std::pair<QString, QString>; // what, keys

QString plainName(const QAction* a)
{
    QString name = a->text();
    name.remove(QLatin1Char('&'));
    name.remove(QStringLiteral("…"));
    return name.trimmed();
}

QString keysOf(const QAction* a)
{
    QStringList keys;
    for (const QKeySequence& k : a->shortcuts())
        keys << k.toString(QKeySequence::NativeText);
    return keys.join(QStringLiteral(", "));
}

void menuRows(const QMenu* menu, QList<Row>& rows, QSet<const QAction*>& seen)
{
    for (QAction* a : menu->actions()) {
        if (a->menu()) {
            menuRows(a->menu(), rows, seen);
            continue;
        }
        if (a->isSeparator() || a->shortcuts().isEmpty())
            continue;
        seen.insert(a);
        rows.push_back({plainName(a), keysOf(a)});
    }
}

QString table(const QString& title, const QList<Row>& rows)
{
    if (rows.isEmpty())
        return {};
    QString html = QStringLiteral("<h3>%1</h3><table cellspacing='0' cellpadding='3' width='100%'>").arg(title.toHtmlEscaped());
    for (const auto& [what, keys] : rows)
        html += QStringLiteral("<tr><td width='45%'><b>%1</b></td><td>%2</td></tr>").arg(keys.toHtmlEscaped(), what.toHtmlEscaped());
    return html + QStringLiteral("</table>");
}
} // namespace

ShortcutsDialog::ShortcutsDialog(QMainWindow* window)
    : QDialog(window)
    , m_window(window)
{
    setObjectName(QStringLiteral("KeyboardShortcuts"));
    setWindowTitle(tr("Keyboard Shortcuts"));
    m_text = new QTextBrowser(this);
    m_text->setOpenLinks(false);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_text, 1);
    layout->addWidget(buttons);
    resize(520, 640);
    refresh();
}

void ShortcutsDialog::refresh()
{
    m_text->setHtml(pageHtml(m_window));
}

QString ShortcutsDialog::pageHtml(const QMainWindow* window)
{
    QString html;
    QSet<const QAction*> seen;
    for (QAction* m : window->menuBar()->actions()) {
        if (!m->menu())
            continue;
        QList<Row> rows;
        menuRows(m->menu(), rows, seen);
        html += table(plainName(m), rows);
    }
    // Shortcuts the panes keep for themselves (they act where focus is), by pane.
    QList<Row> panes;
    for (const QWidget* w : window->findChildren<QWidget*>()) {
        for (const QAction* a : w->actions()) {
            if (a->shortcuts().isEmpty() || seen.contains(a))
                continue;
            seen.insert(a);
            const QString where = w->accessibleName().isEmpty() ? w->toolTip().section(QLatin1Char('\n'), 0, 0) : w->accessibleName();
            panes.push_back({where.isEmpty() ? plainName(a) : tr("%1 (%2)").arg(plainName(a), where), keysOf(a)});
        }
    }
    html += table(tr("In a pane"), panes);
    QList<Row> timeline;
    for (const TimelineInput& i : timelineInputs())
        timeline.push_back({i.effect, i.input});
    html += table(tr("Timeline (mouse and keys while it has focus)"), timeline);
    return html;
}

} // namespace flight::ui
