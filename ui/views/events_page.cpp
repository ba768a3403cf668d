// SPDX-License-Identifier: MIT
#include "events_page.h"

#include "models/event_list_model.h"
#include "views/row_table.h"

#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace flight::ui {
namespace {

QString kindTip(EventLogKind kind)
{
    switch (kind) {
    case EventLogKind::Error: return QObject::tr("Errors the producer reported and memory-operations errors the model raised (an unknown id, a double free…)");
    case EventLogKind::DecodeError: return QObject::tr("Lines or frames the decoder refused, with their number in the stream");
    case EventLogKind::Warning: return QObject::tr("Unknown message types, custom purposes, timestamps going backwards");
    case EventLogKind::Note: return QObject::tr("Seq gaps and duplicates, unknown platforms: worth knowing, not wrong");
    case EventLogKind::Marker: return QObject::tr("Markers the producer set (the timeline's labelled lines)");
    case EventLogKind::Pressure: return QObject::tr("The computed pressure level changed (used against total and the session's thresholds)");
    case EventLogKind::Limit: return QObject::tr("Used went above the soft or the hard limit");
    }
    return {};
}

} // namespace

EventsPage::EventsPage(QWidget* parent)
    : QWidget(parent)
    , m_model(new EventListModel(this))
{
    auto* filters = new QHBoxLayout;
    filters->addWidget(new QLabel(tr("Show:"), this));
    for (int k = 0; k < kEventLogKindCount; ++k) {
        const auto kind = static_cast<EventLogKind>(k);
        auto* b = new QToolButton(this);
        b->setCheckable(true);
        b->setChecked(true);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setToolTip(kindTip(kind));
        b->setObjectName(QStringLiteral("kind-%1").arg(QString::fromUtf8(toString(kind).data(), static_cast<qsizetype>(toString(kind).size()))));
        connect(b, &QToolButton::toggled, this, [this, kind](bool on) {
            m_model->setKindShown(kind, on);
            Q_EMIT filterChanged();
        });
        filters->addWidget(b);
        m_kinds[static_cast<std::size_t>(k)] = b;
    }
    filters->addStretch(1);

    m_view = new QTableView(this);
    m_view->setModel(m_model);
    setUpRowTable(m_view);

    m_empty = new QLabel(this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_empty);

    const auto timeOf = [this](const QModelIndex& i) { return m_model->data(i, EventListModel::TimeRole).toLongLong(); };
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this, timeOf](const QModelIndex& i) {
        if (i.isValid())
            Q_EMIT eventSelected(timeOf(i));
    });
    connect(m_view, &QAbstractItemView::activated, this, [this, timeOf](const QModelIndex& i) { Q_EMIT eventActivated(timeOf(i)); });
    connect(m_model, &QAbstractItemModel::modelReset, this, &EventsPage::updateButtons);
    updateButtons();
}

void EventsPage::setEvents(std::shared_ptr<const std::vector<EventLogEntry>> events, std::int64_t originMs)
{
    m_model->setEvents(std::move(events), originMs);
    m_view->resizeColumnsToContents();
    Q_EMIT filterChanged();
}

void EventsPage::updateButtons()
{
    std::size_t total = 0;
    for (int k = 0; k < kEventLogKindCount; ++k) {
        const auto kind = static_cast<EventLogKind>(k);
        const std::size_t n = m_model->counts()[static_cast<std::size_t>(k)];
        total += n;
        m_kinds[static_cast<std::size_t>(k)]->setText(QStringLiteral("%1 (%L2)").arg(EventListModel::kindName(kind)).arg(n));
        m_kinds[static_cast<std::size_t>(k)]->setEnabled(n > 0);
    }
    if (total == 0)
        m_empty->setText(tr("Nothing happened worth a row: no errors, warnings, markers, pressure changes or limit crossings."));
    else if (m_model->rowCount() == 0)
        m_empty->setText(tr("Every event is filtered out: turn a kind on above."));
    else
        m_empty->setText(tr("Select an event to move the cursor there; double-click or Enter shows it on the timeline. "
                            "Step from event to event with , and . (or Alt+Left / Alt+Right)."));
}

} // namespace flight::ui
