// SPDX-License-Identifier: MIT
#include "budgets_page.h"

#include "budget_editor_dialog.h"
#include "style/app_style.h"
#include "models/budget_matrix_model.h"
#include "protocol/printable_text.h"
#include "style/display_settings.h"

#include <QCoreApplication>
#include <QComboBox>
#include <QFontMetrics>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <QtConcurrent/QtConcurrentRun>

namespace flight::ui {
namespace {
const char* const kSettingsKey = "budgets/files";
}

BudgetsPage::BudgetsPage(QWidget* parent)
    : QWidget(parent)
    , m_model(new BudgetMatrixModel(this))
{
    m_model->setBudgets(builtinBudgets());

    m_at = new QComboBox(this);
    m_at->addItem(tr("at its peak"), static_cast<int>(UsagePoint::Peak));
    m_at->addItem(tr("at its 95th percentile"), static_cast<int>(UsagePoint::P95));
    m_at->addItem(tr("at its end"), static_cast<int>(UsagePoint::End));
    auto* add = new QPushButton(tr("Add Budget File…"), this);
    auto* edit = new QPushButton(tr("Edit Selected…"), this);
    edit->setToolTip(tr("Edit the selected budget's column and save it as a budget file"));

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Usage"), this));
    bar->addWidget(m_at);
    bar->addStretch(1);
    bar->addWidget(add);
    bar->addWidget(edit);

    m_verdict = new QLabel(this);
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // A budget file that does not load says why here, where the column would have appeared.
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("budgetFileError"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    connect(this, &BudgetsPage::budgetFileFailed, this, [this](const QString& message) {
        QPalette p = m_error->palette();
        p.setColor(QPalette::WindowText, worseColor());
        m_error->setPalette(p);
        m_error->setText(tr("No budget added. %1").arg(message));
        m_error->show();
    });
    connect(this, &BudgetsPage::budgetFileLoaded, m_error, &QLabel::hide);

    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectColumns);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->horizontalHeader()->setMinimumSectionSize(110);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setWordWrap(true);
    // Columns at least as wide as their widest line ("12.3 MiB / 16.0 MiB"), refreshed with the
    // figures: two lines a cell however narrow the window (it scrolls sideways instead).
    connect(m_model, &QAbstractItemModel::modelReset, this, &BudgetsPage::fitColumnsToLines);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &BudgetsPage::fitColumnsToLines);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_error);
    layout->addWidget(m_verdict);
    layout->addWidget(m_table, 1);

    connect(m_at, &QComboBox::currentIndexChanged, this, &BudgetsPage::refresh);
    connect(&DisplaySettings::instance(), &DisplaySettings::changed, this, &BudgetsPage::refresh);
    connect(add, &QPushButton::clicked, this, &BudgetsPage::chooseBudgetFile);
    connect(edit, &QPushButton::clicked, this, &BudgetsPage::editSelected);

    for (const QString& path : QSettings().value(QLatin1String(kSettingsKey)).toStringList())
        addBudgetFile(path, false);
}

void BudgetsPage::setSession(const SessionModel* session)
{
    m_session = session;
    m_range.reset();
    refresh();
}

void BudgetsPage::setSelectedRange(std::optional<std::pair<std::int64_t, std::int64_t>> range)
{
    m_range = range;
    refresh();
}

void BudgetsPage::refresh()
{
    const auto at = static_cast<UsagePoint>(m_at->currentData().toInt());
    m_model->setSession(m_session, at, m_range);
    m_table->resizeRowsToContents();
    if (!m_session) {
        m_verdict->clear();
        return;
    }
    // One line however many budgets are over; every overage is in the tooltip and in the table.
    const QString headline = m_model->headline();
    const QString scope = m_range ? tr(" (selected range)") : QString();
    m_verdict->setText(headline.isEmpty() ? tr("<b style='color:%1'>Fits every budget%2.</b>").arg(betterColor().name(), scope)
                                          : QStringLiteral("<b style='color:%1'>%2</b>%3").arg(worseColor().name(), headline.toHtmlEscaped(), scope));
    // The summary's first line is its title, then one line per budget over.
    QStringList lines = m_model->summary().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QString tip;
    if (!lines.isEmpty()) {
        tip = QStringLiteral("<b>%1</b><ul>").arg(lines.takeFirst().toHtmlEscaped());
        for (const QString& line : lines)
            tip += QStringLiteral("<li>%1</li>").arg(line.toHtmlEscaped());
        tip += QStringLiteral("</ul>");
    }
    m_verdict->setToolTip(tip);
}

void BudgetsPage::chooseBudgetFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Add Budget File"), QString(),
                                                      tr("Budget files (*.json);;All files (*)"));
    if (!path.isEmpty())
        addBudgetFile(path);
}

void BudgetsPage::addBudgetFile(const QString& path, bool remember)
{
    QPointer<BudgetsPage> self(this);
    // Reading a file is not for the UI thread.
    (void)QtConcurrent::run([self, path, remember]() {
        auto loaded = std::make_shared<Result<std::vector<Budget>>>(loadBudgetFile(path.toStdString()));
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, path, remember, loaded]() {
            if (!self)
                return;
            if (!*loaded) {
                // The core message names the file, the line and column, and why (as `report --budgets` prints it).
                Q_EMIT self->budgetFileFailed(QString::fromStdString(protocol::printableText(loaded->error().message)));
                return;
            }
            std::vector<Budget> all = self->m_model->budgets();
            std::erase_if(all, [&](const Budget& b) { return b.source == path.toStdString(); }); // reloaded
            for (Budget& b : **loaded)
                all.push_back(std::move(b));
            self->m_model->setBudgets(std::move(all));
            self->refresh();
            if (remember) {
                QSettings settings;
                QStringList files = settings.value(QLatin1String(kSettingsKey)).toStringList();
                if (!files.contains(path))
                    settings.setValue(QLatin1String(kSettingsKey), files << path);
            }
            Q_EMIT self->budgetFileLoaded(path);
        }, Qt::QueuedConnection);
    });
}

void BudgetsPage::editSelected()
{
    const auto& budgets = m_model->budgets();
    int column = m_table->currentIndex().isValid() ? m_table->currentIndex().column() : 0;
    if (budgets.empty())
        return;
    column = std::clamp(column, 0, static_cast<int>(budgets.size()) - 1);
    BudgetEditorDialog dialog(budgets[static_cast<std::size_t>(column)], this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const auto edited = dialog.budget();
    if (!edited)
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Budget File"),
                                                      QString::fromStdString(edited->platform) + QStringLiteral(".json"),
                                                      tr("Budget files (*.json)"));
    if (path.isEmpty())
        return;
    QFile f(path);
    const std::string json = budgetToJson(*edited);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(json.data(), static_cast<qint64>(json.size())) < 0) {
        Q_EMIT budgetFileFailed(tr("Cannot save %1: %2").arg(path, f.errorString()));
        return;
    }
    f.close();
    addBudgetFile(path);
}

void BudgetsPage::fitColumnsToLines()
{
    const QFontMetrics fm(m_table->font());
    int widest = 110;
    for (int r = 0; r < m_model->rowCount(); ++r)
        for (int c = 0; c < m_model->columnCount(); ++c)
            for (const QString& line : m_model->index(r, c).data().toString().split(QLatin1Char('\n')))
                widest = std::max(widest, fm.horizontalAdvance(line) + 16); // the cell's margins and grid
    for (int c = 0; c < m_model->columnCount(); ++c)
        for (const QString& line : m_model->headerData(c, Qt::Horizontal).toString().split(QLatin1Char('\n')))
            widest = std::max(widest, fm.horizontalAdvance(line) + 16);
    m_table->horizontalHeader()->setMinimumSectionSize(widest);
}

} // namespace flight::ui
