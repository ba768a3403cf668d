// SPDX-License-Identifier: MIT
#include "window_layout.h"

#include "sessions/session_table.h"

#include <QAbstractItemModel>
#include <QAction>
#include <QDockWidget>
#include <QMainWindow>
#include <QSettings>
#include <QStyle>

#include <algorithm>

namespace flight::ui {
namespace {
const QString kGeometry = QStringLiteral("window/geometry");
const QString kState = QStringLiteral("window/state");
const QString kWantSessions = QStringLiteral("window/showSessions");
const QString kWantGauge = QStringLiteral("window/showGauge");
constexpr int kMinFittedRows = 2; // one session and room to see that it is the only one
constexpr int kMaxFittedRows = 8; // more scroll: the timeline keeps most of the height
constexpr int kStateVersion = 1; // bump when the docks change, so an old state is ignored

QDockWidget* makeDock(QMainWindow* window, const QString& title, const QString& name, QWidget* content)
{
    auto* dock = new QDockWidget(title, window);
    dock->setObjectName(name); // saveState() identifies docks by name
    dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    dock->setWidget(content);
    return dock;
}
} // namespace

WindowLayout::WindowLayout(QMainWindow* window, QWidget* sessionList, QWidget* gauge)
    : QObject(window)
    , m_window(window)
{
    m_sessions = makeDock(window, tr("Sessions"), QStringLiteral("SessionsDock"), sessionList);
    m_gauge = makeDock(window, tr("Pressure"), QStringLiteral("PressureDock"), gauge);
    m_sessions->toggleViewAction()->setText(tr("&Sessions List"));
    m_sessions->toggleViewAction()->setShortcut(QKeySequence(tr("Ctrl+1")));
    m_gauge->toggleViewAction()->setText(tr("&Pressure Gauge"));
    m_gauge->toggleViewAction()->setShortcut(QKeySequence(tr("Ctrl+2")));
    window->setDockNestingEnabled(true);
    window->addDockWidget(Qt::TopDockWidgetArea, m_sessions);
    window->addDockWidget(Qt::RightDockWidgetArea, m_gauge);
    window->resizeDocks({m_gauge}, {260}, Qt::Horizontal);
    m_table = qobject_cast<SessionTable*>(sessionList);
    fitSessionsToRows();
    m_initialState = window->saveState(kStateVersion);

    // A dock the user closes or reopens is remembered as wanted / not wanted.
    connect(m_sessions->toggleViewAction(), &QAction::toggled, this, [this](bool on) {
        if (!m_applying && m_sessionsOpen)
            m_wantSessions = on;
    });
    connect(m_gauge->toggleViewAction(), &QAction::toggled, this, [this](bool on) {
        if (!m_applying && m_sessionsOpen)
            m_wantGauge = on;
    });
    applyVisibility();
    // The list is as high as its rows (2 to 8 of them), not a fixed share: the views get the rest.
    if (m_table) {
        connect(m_table->model(), &QAbstractItemModel::rowsInserted, this, &WindowLayout::fitSessionsToRows);
        connect(m_table->model(), &QAbstractItemModel::rowsRemoved, this, &WindowLayout::fitSessionsToRows);
        connect(m_table->model(), &QAbstractItemModel::modelReset, this, &WindowLayout::fitSessionsToRows);
    }
}

void WindowLayout::fitSessionsToRows()
{
    if (!m_table)
        return;
    const int rows = std::clamp(m_table->rowCount(), kMinFittedRows, kMaxFittedRows);
    // The dock's own title bar and frame come on top of the list's height.
    const QStyle* style = m_sessions->style();
    const int height = m_table->fittingHeight(rows) + m_sessions->fontMetrics().height()
                       + 2 * style->pixelMetric(QStyle::PM_DockWidgetTitleMargin, nullptr, m_sessions)
                       + 2 * style->pixelMetric(QStyle::PM_DockWidgetFrameWidth, nullptr, m_sessions);
    if (height == m_fittedHeight)
        return; // the user's own drag of the dock's edge stays until the rows change
    m_fittedHeight = height;
    m_window->resizeDocks({m_sessions}, {height}, Qt::Vertical);
}

QList<QAction*> WindowLayout::toggleActions() const
{
    return {m_sessions->toggleViewAction(), m_gauge->toggleViewAction()};
}

void WindowLayout::setSessionsOpen(bool open)
{
    if (open == m_sessionsOpen)
        return;
    m_sessionsOpen = open;
    applyVisibility();
}

void WindowLayout::applyVisibility()
{
    m_applying = true;
    m_sessions->setVisible(m_sessionsOpen && m_wantSessions);
    m_gauge->setVisible(m_sessionsOpen && m_wantGauge);
    for (QAction* a : toggleActions())
        a->setEnabled(m_sessionsOpen);
    m_applying = false;
}

void WindowLayout::save() const
{
    QSettings s;
    s.setValue(kGeometry, m_window->saveGeometry());
    s.setValue(kState, m_window->saveState(kStateVersion));
    s.setValue(kWantSessions, m_wantSessions);
    s.setValue(kWantGauge, m_wantGauge);
}

bool WindowLayout::restore()
{
    QSettings s;
    const QByteArray geometry = s.value(kGeometry).toByteArray();
    const QByteArray state = s.value(kState).toByteArray();
    if (geometry.isEmpty() && state.isEmpty())
        return false;
    bool ok = geometry.isEmpty() || m_window->restoreGeometry(geometry);
    m_applying = true;
    ok = (state.isEmpty() || m_window->restoreState(state, kStateVersion)) && ok;
    m_applying = false;
    m_wantSessions = s.value(kWantSessions, true).toBool();
    m_wantGauge = s.value(kWantGauge, true).toBool();
    applyVisibility();
    return ok;
}

void WindowLayout::reset()
{
    m_applying = true;
    m_window->restoreState(m_initialState, kStateVersion);
    m_sessions->setFloating(false);
    m_gauge->setFloating(false);
    m_applying = false;
    m_wantSessions = true;
    m_wantGauge = true;
    applyVisibility();
}

} // namespace flight::ui
