// SPDX-License-Identifier: MIT
#include "welcome_page.h"

#include <algorithm>

#include <QApplication>
#include <QEvent>
#include <QGridLayout>
#include <QIcon>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace flight::ui {
namespace {

// From the palette in use, so the cards read on light and dark alike.
QString startButtonStyle()
{
    const QPalette p = QApplication::palette();
    const bool dark = p.color(QPalette::Window).lightness() < 128;
    const QColor base = p.color(QPalette::Base);
    const QColor border = dark ? p.color(QPalette::Mid) : QColor(0xd5, 0xd9, 0xe0);
    const QColor hover = dark ? base.lighter(140) : QColor(0xf3, 0xf7, 0xff);
    return QStringLiteral(
               "QToolButton { background: %1; border: 1px solid %2; border-radius: 8px; padding: 12px;"
               " font-size: 10pt; color: %3; }"
               "QToolButton:hover { border-color: %4; background: %5; }"
               "QToolButton:disabled { color: %6; background: %7; }")
        .arg(base.name(), border.name(), p.color(QPalette::Text).name(), p.color(QPalette::Highlight).name(),
             hover.name(), p.color(QPalette::Disabled, QPalette::Text).name(), p.color(QPalette::Window).name());
}

QToolButton* makeStartButton(QWidget* parent, const QIcon& icon, const QString& title, const QString& hint)
{
    auto* b = new QToolButton(parent);
    b->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
    b->setIcon(icon);
    b->setIconSize(QSize(40, 40));
    b->setText(title + QLatin1Char('\n') + hint);
    b->setMinimumHeight(120);
    b->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    b->setAutoRaise(false);
    b->setStyleSheet(startButtonStyle());
    // Never narrower than its text at the stylesheet's font: a small window elides no hint.
    b->ensurePolished();
    b->setMinimumWidth(std::max(200, b->sizeHint().width()));
    return b;
}

} // namespace

WelcomePage::WelcomePage(QWidget* parent)
    : QWidget(parent)
{
    auto* logo = new QLabel(this);
    logo->setPixmap(QIcon(QStringLiteral(":/icons/flight-inspector.svg")).pixmap(72, 72));
    logo->setAlignment(Qt::AlignCenter);

    auto* title = new QLabel(tr("Flight Memory Inspector"), this);
    title->setAlignment(Qt::AlignCenter);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.8);
    f.setBold(true);
    title->setFont(f);

    auto* subtitle = new QLabel(tr("Inspect live V6R and Flight-Core sessions, replay recordings "
                                   "and check them against every platform's budget.\n"
                                   "Start here, or drop recordings anywhere on this window."), this);
    subtitle->setAlignment(Qt::AlignCenter);
    subtitle->setWordWrap(true);
    subtitle->setForegroundRole(QPalette::PlaceholderText);

    // The product's own SVG icons, one drawing style and crisp at any size: the style's
    // standard icons come in whatever sizes the theme has (its network drive was 16 px).
    m_open = makeStartButton(this, QIcon(QStringLiteral(":/icons/open-recording.svg")), tr("Open recording…"),
                             tr("A .fmr, .jsonl or .jsonl.zst file  (Ctrl+O)"));
    m_connect = makeStartButton(this, QIcon(QStringLiteral(":/icons/connect.svg")), tr("Connect…"),
                                tr("A live ws:// or wss:// session  (Ctrl+L)"));
    m_demo = makeStartButton(this, QIcon(QStringLiteral(":/icons/demo.svg")), tr("Demo"),
                             tr("Simulated live sessions  (Ctrl+D)"));
    connect(m_open, &QToolButton::clicked, this, &WelcomePage::openRecordingRequested);
    connect(m_connect, &QToolButton::clicked, this, &WelcomePage::connectRequested);
    connect(m_demo, &QToolButton::clicked, this, &WelcomePage::demoRequested);

    auto* grid = new QGridLayout;
    grid->setSpacing(16);
    grid->addWidget(m_open, 0, 0);
    grid->addWidget(m_connect, 0, 1);
    grid->addWidget(m_demo, 0, 2);
    for (int c = 0; c < 3; ++c)
        grid->setColumnStretch(c, 1);

    m_examplesTitle = new QLabel(tr("<b>Examples</b> — a recording per platform profile, double-click to open:"), this);
    m_examples = new QListWidget(this);
    m_examples->setFlow(QListView::LeftToRight);
    m_examples->setWrapping(true);
    m_examples->setIconSize(QSize(20, 20));
    m_examples->setMaximumHeight(fontMetrics().height() * 5);
    m_examples->setStyleSheet(QStringLiteral("QListWidget { background: transparent; border: none; }"
                                             "QListWidget::item { padding: 4px 10px; }"));
    m_examplesTitle->hide();
    m_examples->hide();
    connect(m_examples, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { Q_EMIT exampleRequested(item->data(Qt::UserRole).toString()); });

    auto* column = new QVBoxLayout;
    column->addStretch(2);
    column->addWidget(logo);
    column->addWidget(title);
    column->addWidget(subtitle);
    column->addSpacing(24);
    column->addLayout(grid);
    column->addSpacing(16);
    column->addWidget(m_examplesTitle);
    column->addWidget(m_examples);
    column->addStretch(3);

    auto* outer = new QHBoxLayout(this);
    outer->addStretch(1);
    outer->addLayout(column, 4);
    outer->addStretch(1);
}

void WelcomePage::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        for (QAbstractButton* b : {m_open, m_connect, m_demo})
            if (b)
                b->setStyleSheet(startButtonStyle());
}

void WelcomePage::setExamples(const QStringList& paths)
{
    m_examples->clear();
    for (const QString& path : paths) {
        QString name = QFileInfo(path).fileName();
        name.chop(name.endsWith(QStringLiteral(".jsonl.zst")) ? 10 : 6);
        auto* item = new QListWidgetItem(QIcon(QStringLiteral(":/icons/recording.svg")), name, m_examples);
        item->setData(Qt::UserRole, path);
        item->setToolTip(path);
    }
    m_examplesTitle->setVisible(!paths.isEmpty());
    m_examples->setVisible(!paths.isEmpty());
}

void WelcomePage::setConnectAvailable(bool available, const QString& reason)
{
    m_connect->setEnabled(available);
    m_connect->setToolTip(reason);
}

void WelcomePage::setDemoAvailable(bool available, const QString& reason)
{
    m_demo->setEnabled(available);
    m_demo->setToolTip(reason);
}

} // namespace flight::ui
