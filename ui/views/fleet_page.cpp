// SPDX-License-Identifier: MIT
#include "views/fleet_page.h"

#include "views/row_table.h"
#include "views/sparkline_delegate.h"

#include "loading/fleet_loader.h"
#include "models/fleet_table_model.h"

#include "fleet/agent_reachability.h"
#include "fleet/prometheus_client.h"
#include "protocol/printable_text.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace flight::ui {

FleetPage::FleetPage(QWidget* parent)
    : QWidget(parent),
      m_loader(new FleetLoader(this)),
      m_model(new FleetTableModel(this)),
      m_proxy(new QSortFilterProxyModel(this)),
      m_table(new QTableView(this)),
      m_filter(new QLineEdit(this)),
      m_source(new QLabel(this)),
      m_error(new QLabel(this)),
      m_status(new QLabel(this)),
      m_open(new QPushButton(tr("Open History"), this)),
      m_live(new QPushButton(tr("Go Live…"), this)),
      m_timer(new QTimer(this))
{
    setObjectName(QStringLiteral("fleetPage"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(FleetTableModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(FleetTableModel::Used, Qt::DescendingOrder);
    setUpRowTable(m_table);
    m_table->setItemDelegateForColumn(FleetTableModel::Trend, new SparklineDelegate(m_table));
    m_filter->setPlaceholderText(tr("Filter by instance, session, platform…"));
    m_filter->setClearButtonEnabled(true);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: palette(link); font-weight: bold;"));
    m_error->hide();
    m_open->setEnabled(false);
    m_live->setEnabled(false);

    auto* top = new QHBoxLayout;
    top->addWidget(m_source, 1);
    top->addWidget(m_filter, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_open);
    buttons->addWidget(m_live);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_error);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_timer, &QTimer::timeout, m_loader, &FleetLoader::refresh);
    connect(m_loader, &FleetLoader::fleetReady, this, [this](const fleet::FleetSnapshot& snapshot, qint64 elapsedMs) {
        m_error->hide();
        const bool first = m_model->rowCount() == 0;
        replaceRowsKeepingSelection(snapshot);
        // Fitted once to the first rows (not at each refresh: the user may have resized them).
        if (first)
            for (int c = 0; c < FleetTableModel::Trend; ++c)
                m_table->resizeColumnToContents(c);
        m_status->setText(tr("%n VM(s), as of %1 (%2 ms)", nullptr, static_cast<int>(snapshot.vms.size()))
                              .arg(QDateTime::fromMSecsSinceEpoch(snapshot.atMs).toString(QStringLiteral("HH:mm:ss")))
                              .arg(elapsedMs));
        onSelectionChanged();
        Q_EMIT fleetShown();
    });
    connect(m_loader, &FleetLoader::fleetFailed, this, [this](const QString& reason) {
        showError(reason);
        Q_EMIT refreshFailed(reason);
    });
    connect(m_loader, &FleetLoader::historyFailed, this, &FleetPage::showError);
    connect(m_loader, &FleetLoader::agentProbed, this, &FleetPage::onAgentProbed);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &FleetPage::onSelectionChanged);
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex& index) { openRow(index.row()); });
    connect(m_open, &QPushButton::clicked, this, [this] {
        const QModelIndexList rows = m_table->selectionModel()->selectedRows();
        if (!rows.isEmpty())
            openRow(rows.front().row());
    });
    connect(m_live, &QPushButton::clicked, this, [this] {
        if (m_liveReachable && !m_liveUrl.isEmpty())
            Q_EMIT goLiveRequested(m_liveUrl);
    });
}

void FleetPage::setPrometheus(const QUrl& url, const QByteArray& token)
{
    m_loader->setUrl(url, token);
    m_model->setSnapshot({});
    m_source->setText(tr("Prometheus: %1").arg(fleet::PrometheusClient(url).displayUrl()));
    m_status->setText(tr("Asking Prometheus…"));
    m_error->hide();
    m_loader->refresh();
    m_timer->start(15'000);
}

QString FleetPage::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void FleetPage::openRow(int viewRow)
{
    const QModelIndex source = m_proxy->mapToSource(m_proxy->index(viewRow, 0));
    if (!source.isValid())
        return;
    const fleet::FleetVm& vm = m_model->vm(source.row());
    m_status->setText(tr("Loading the history of %1…").arg(QString::fromStdString(vm.session)));
    m_loader->loadHistory(QString::fromStdString(vm.instance), QString::fromStdString(vm.session));
}

void FleetPage::replaceRowsKeepingSelection(const fleet::FleetSnapshot& snapshot)
{
    // The rows are replaced at each refresh (a model reset clears the
    // selection): the selected VM stays selected, without a selection change in
    // between (Go Live would go off and on every 15 s).
    std::string instance, session;
    if (const QModelIndexList rows = m_table->selectionModel()->selectedRows(); !rows.isEmpty()) {
        const fleet::FleetVm& vm = m_model->vm(m_proxy->mapToSource(rows.front()).row());
        instance = vm.instance;
        session = vm.session;
    }
    const QSignalBlocker quiet(m_table->selectionModel());
    m_model->setSnapshot(snapshot);
    if (session.empty())
        return;
    for (int r = 0; r < m_model->rowCount(); ++r)
        if (m_model->vm(r).instance == instance && m_model->vm(r).session == session) {
            const QModelIndex at = m_proxy->mapFromSource(m_model->index(r, 0));
            m_table->selectionModel()->select(at, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            m_table->selectionModel()->setCurrentIndex(at, QItemSelectionModel::NoUpdate);
            break;
        }
}

void FleetPage::onSelectionChanged()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    m_open->setEnabled(!rows.isEmpty());
    const QModelIndex source = rows.isEmpty() ? QModelIndex() : m_proxy->mapToSource(rows.front());
    const QString ws = source.isValid() ? source.data(FleetTableModel::WebSocketRole).toString() : QString();
    const QUrl url = source.isValid()
                         ? fleet::agentConnectUrl(ws, QString::fromStdString(m_model->vm(source.row()).instance))
                         : QUrl();
    if (url.isEmpty()) {
        m_liveUrl = QUrl();
        m_liveReachable = false;
        m_live->setEnabled(false);
        m_live->setToolTip(rows.isEmpty() ? QString()
                           : ws.isEmpty() ? tr("This agent's WebSocket address is not in its metrics (flight_agent_info)")
                                          : tr("This agent's WebSocket address (%1) is not a ws:// URL with a port")
                                                .arg(QString::fromStdString(protocol::printableText(ws.left(200).toStdString())).toHtmlEscaped()));
        return;
    }
    // Checked again at each refresh: an agent comes and goes. The button keeps
    // its state while the same address is checked again.
    if (url != m_liveUrl) {
        m_liveUrl = url;
        m_liveReachable = false;
        m_live->setEnabled(false);
        m_live->setToolTip(tr("Checking whether the agent at %1 answers…").arg(url.toString(QUrl::FullyEncoded)));
    }
    m_loader->probeAgent(url);
}

void FleetPage::onAgentProbed(const QUrl& url, const QString& problem)
{
    if (url != m_liveUrl)
        return; // another row is selected since
    m_liveReachable = problem.isEmpty();
    m_live->setEnabled(m_liveReachable);
    m_live->setToolTip(m_liveReachable ? tr("Connect to %1").arg(url.toString(QUrl::FullyEncoded)) : problem);
}

void FleetPage::showError(const QString& text)
{
    m_error->setText(text);
    m_error->show();
    m_status->setText(m_model->rowCount() > 0 ? tr("Showing the last answer") : QString());
}

} // namespace flight::ui
