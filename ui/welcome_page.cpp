#include "welcome_page.h"

#include <algorithm>

#include <QGridLayout>
#include <QIcon>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace flight::ui {
namespace {

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
    b->setStyleSheet(QStringLiteral(
        "QToolButton { background: white; border: 1px solid #d5d9e0; border-radius: 8px; padding: 12px;"
        " font-size: 10pt; color: #1f2a44; }"
        "QToolButton:hover { border-color: #2f6fd8; background: #f3f7ff; }"
        "QToolButton:disabled { color: #9aa3b2; background: #f7f8fa; }"));
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
                                   "and check them against every platform's budget."), this);
    subtitle->setAlignment(Qt::AlignCenter);
    subtitle->setWordWrap(true);
    subtitle->setStyleSheet(QStringLiteral("color: #4a5568;"));

    // The product's own SVG icons, one drawing style and crisp at any size: the style's
    // standard icons come in whatever sizes the theme has (its network drive was 16 px).
    m_open = makeStartButton(this, QIcon(QStringLiteral(":/icons/open-recording.svg")), tr("Open recording…"),
                             tr("A .jsonl or .jsonl.zst file  (Ctrl+O)"));
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
