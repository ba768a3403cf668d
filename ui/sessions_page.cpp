#include "sessions_page.h"

#include "session_list_model.h"

#include <QFileInfo>
#include <QFontDatabase>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace flight::ui {

SessionsPage::SessionsPage(QWidget* parent)
    : QWidget(parent)
    , m_model(new SessionListModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SessionListModel::SortRole);

    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->sortByColumn(SessionListModel::Source, Qt::AscendingOrder);
    m_table->setAlternatingRowColors(true);

    m_report = new QPlainTextEdit(this);
    m_report->setReadOnly(true);
    m_report->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_report->setPlaceholderText(tr("Select a session to see its memory report."));

    m_problems = new QLabel(this);
    m_problems->setWordWrap(true);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_report);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addWidget(m_problems);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &SessionsPage::showSelected);
}

void SessionsPage::addRecording(const LoadedRecordingPtr& recording)
{
    m_recordings.push_back(recording);
    m_model->addRecording(recording);
    m_table->resizeColumnsToContents();
    // The source names the row; give it the spare width rather than the last column.
    m_table->horizontalHeader()->setSectionResizeMode(SessionListModel::Source, QHeaderView::Stretch);
    if (!m_table->currentIndex().isValid() && m_proxy->rowCount() > 0)
        m_table->setCurrentIndex(m_proxy->index(0, 0));
    updateProblems();
}

void SessionsPage::clear()
{
    m_model->clear();
    m_recordings.clear();
    m_report->clear();
    updateProblems();
}

int SessionsPage::sessionCount() const
{
    return m_model->rowCount();
}

void SessionsPage::showSelected()
{
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    if (!current.isValid()) {
        m_report->clear();
        return;
    }
    const SessionRow& row = m_model->row(current.row());
    const SessionModel& session = row.recording->store->session(row.sessionIndex);
    m_report->setPlainText(QString::fromStdString(session.generateMemoryReport()));
}

void SessionsPage::updateProblems()
{
    QStringList parts;
    for (const auto& r : m_recordings) {
        const auto& s = *r->store;
        const bool clean = s.decodeErrors() == 0 && s.sessionErrors() == 0 && s.warnings() == 0 && !r->read.endedMidLine;
        if (clean)
            continue;
        QString text = tr("%1: %L2 decode errors, %L3 session errors, %L4 warnings")
                           .arg(QFileInfo(r->path).fileName())
                           .arg(s.decodeErrors())
                           .arg(s.sessionErrors())
                           .arg(s.warnings());
        if (!s.problems().empty())
            text += tr(" — first: %1").arg(QString::fromStdString(s.problems().front().message));
        parts << text;
    }
    m_problems->setText(parts.join(QLatin1Char('\n')));
    m_problems->setVisible(!parts.isEmpty());
}

} // namespace flight::ui
