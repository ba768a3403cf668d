// SPDX-License-Identifier: MIT
#include "records_around_page.h"

#include "models/records_around_model.h"
#include "views/row_table.h"
#include "timeline/timeline_readout.h"
#include "timeline/timeline_series_builder.h"

#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace flight::ui {

RecordsAroundPage::RecordsAroundPage(QWidget* parent)
    : QWidget(parent)
    , m_model(new RecordsAroundModel(this))
{
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setObjectName(QStringLiteral("recordsAroundNote"));
    m_view = new QTableView(this);
    m_view->setModel(m_model);
    setUpRowTable(m_view);
    connect(m_view, &QAbstractItemView::activated, this, [this](const QModelIndex& i) {
        Q_EMIT recordActivated(m_model->data(i, RecordsAroundModel::TimeRole).toLongLong());
    });
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_note);
    layout->addWidget(m_view, 1);
}

void RecordsAroundPage::setSeeking(const QString& fileName, std::int64_t atMs, std::int64_t originMs)
{
    if (m_model->rowCount() == 0)
        m_note->setText(tr("Loading %1… Reading the records around %2 from the blocks that hold that time; "
                           "the full Events view appears once the whole recording is read.")
                            .arg(fileName, formatTimelineSeconds(toSeconds(atMs, originMs))));
}

void RecordsAroundPage::setResult(SeekResultPtr result, const QString& fileName, std::int64_t originMs)
{
    const QString at = formatTimelineSeconds(toSeconds(result->atMs, originMs));
    if (!result->around) {
        m_model->setResult(nullptr, originMs);
        m_note->setText(tr("Loading %1… The records around %2 could not be read: %3").arg(fileName, at, result->error));
        return;
    }
    const recording::RecordsAround& a = *result->around;
    m_model->setResult(result, originMs);
    m_view->resizeColumnsToContents();
    QString text = tr("The %Ln records around %1, read from %2 of %3 blocks (%4 records) while the rest of %5 loads: "
                      "as written, nothing computed from them (errors, pressure changes and limit crossings need the "
                      "whole recording). The full Events view replaces this once the whole recording is loaded.",
                      nullptr, static_cast<int>(a.rows.size()))
                       .arg(at)
                       .arg(a.blocksRead)
                       .arg(a.blocksTotal)
                       .arg(QLocale().toString(static_cast<qulonglong>(a.recordsRead)))
                       .arg(fileName);
    if (!a.rows.empty())
        text += QLatin1Char(' ') + tr("Shown: %1 to %2; the first at or after %3 in bold.")
                                       .arg(formatTimelineSeconds(toSeconds(a.rows.front().timeMs, originMs)),
                                            formatTimelineSeconds(toSeconds(a.rows.back().timeMs, originMs)), at);
    if (!a.problems.empty())
        text += QLatin1Char(' ') + tr("%n block(s) did not check and were skipped.", nullptr, static_cast<int>(a.problems.size()));
    m_note->setText(text);
    if (m_model->rowAtSeekTime() < m_model->rowCount())
        m_view->scrollTo(m_model->index(m_model->rowAtSeekTime(), 0), QAbstractItemView::PositionAtCenter);
}

void RecordsAroundPage::clear()
{
    m_model->setResult(nullptr, 0);
    m_note->clear();
}

QString RecordsAroundPage::note() const
{
    return m_note->text();
}

} // namespace flight::ui
