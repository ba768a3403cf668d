// SPDX-License-Identifier: MIT
#include "session_list_model.h"

#include "style/app_style.h"

#include "style/display_settings.h"
#include "style/size_format.h"
#include "model/memory_analytics.h"

#include <QDateTime>
#include <QFileInfo>
#include <QTimer>

#include <algorithm>

namespace flight::ui {

SessionListModel::SessionListModel(QObject* parent)
    : ColumnTableModel({tr("Source"), tr("Session"), tr("Platform"), tr("State"), tr("Used"), tr("Total"),
                        tr("Peak"), tr("Pressure"), tr("Allocations")}, parent)
    , m_countsTimer(new QTimer(this))
{
    refreshOnDisplayChange(this);
    m_countsTimer->setSingleShot(true);
    m_countsTimer->setInterval(kLiveCountsIntervalMs);
    connect(m_countsTimer, &QTimer::timeout, this, [this]() {
        if (!m_rows.empty())
            Q_EMIT dataChanged(index(0, Allocations), index(rowCount() - 1, Allocations));
    });
}

namespace {

void fillFromModel(SessionRow& r, const SessionModel& s)
{
    const MemoryStats stats = MemoryAnalytics(s).calculateMemoryStats();
    r.sessionId = QString::fromStdString(s.info().sessionId);
    r.platform = QString::fromStdString(s.info().platform);
    r.usedBytes = s.usedBytes();
    r.totalBytes = s.info().totalBytes;
    r.peakBytes = s.peakBytes();
    r.pressure = static_cast<int>(s.pressure());
    r.reportedPressure = s.reportedPressure() ? static_cast<int>(*s.reportedPressure()) : -1;
    r.activeAllocations = stats.activeAllocations;
    r.totalAllocations = stats.totalAllocations;
}

QString recordingState(const LoadedRecording& recording, const SessionModel& s)
{
    if (recording.stage == LoadStage::Preview && recording.fromSummary)
        return SessionListModel::tr("loading (summary shown)");
    if (recording.stage == LoadStage::Preview)
        return SessionListModel::tr("loading %1 %").arg(static_cast<int>(recording.loadedFraction * 100));
    return s.endedAt() ? SessionListModel::tr("ended") : SessionListModel::tr("recorded");
}

} // namespace

void SessionListModel::appendRow(SessionRow row)
{
    const int at = rowCount();
    beginInsertRows({}, at, at);
    m_rows.push_back(std::move(row));
    endInsertRows();
}

void SessionListModel::addRecording(const LoadedRecordingPtr& recording)
{
    const auto& store = *recording->store;
    for (std::size_t i = 0; i < store.sessionCount(); ++i) {
        const SessionModel& s = store.session(i);
        SessionRow r;
        fillFromModel(r, s);
        r.source = QFileInfo(recording->path).fileName();
        r.state = recordingState(*recording, s);
        r.recording = recording;
        r.sessionIndex = i;
        appendRow(std::move(r));
    }
}

QList<int> SessionListModel::updateRecording(const LoadedRecordingPtr& recording)
{
    QList<int> changed;
    if (recording->loadId == 0)
        return changed;
    const auto& store = *recording->store;
    std::vector<bool> shown(store.sessionCount(), false);
    for (std::size_t row = 0; row < m_rows.size(); ++row) {
        SessionRow& r = m_rows[row];
        if (!r.recording || r.recording->loadId != recording->loadId || r.sessionIndex >= store.sessionCount())
            continue;
        // A later stage of the same store changes no figure: only the row's data pointer moves.
        if (r.recording->store != recording->store)
            fillFromModel(r, store.session(r.sessionIndex));
        r.state = recordingState(*recording, store.session(r.sessionIndex));
        r.recording = recording;
        shown[r.sessionIndex] = true;
        changed << static_cast<int>(row);
        Q_EMIT dataChanged(index(static_cast<int>(row), 0), index(static_cast<int>(row), ColumnCount - 1));
    }
    // Sessions the file started after the preview was taken (not those the user closed).
    for (std::size_t i = 0; i < store.sessionCount(); ++i) {
        if (shown[i] || m_closedLoads.contains({recording->loadId, i}))
            continue;
        SessionRow r;
        fillFromModel(r, store.session(i));
        r.source = QFileInfo(recording->path).fileName();
        r.state = recordingState(*recording, store.session(i));
        r.recording = recording;
        r.sessionIndex = i;
        appendRow(std::move(r));
        changed << rowCount() - 1;
    }
    return changed;
}

int SessionListModel::findLive(int liveId, const QString& sessionId) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].liveId == liveId && m_rows[i].sessionId == sessionId)
            return static_cast<int>(i);
    return -1;
}

QString SessionListModel::liveMemoryText(const live::LiveStats& stats, const live::LiveSessionFigures& f)
{
    QString text = tr("In memory: %1.").arg(QString::fromStdString(stats.retention));
    if (f.fullDetailFromMs > f.lastMs)
        text += tr(" This session is all history now (resolution %1 s).").arg(static_cast<double>(f.historyResolutionMs) / 1000.0);
    else if (f.fullDetailFromMs > 0)
        text += tr(" History before the last %1 s at %2 s resolution.")
                    .arg((f.lastMs - f.fullDetailFromMs) / 1000)
                    .arg(static_cast<double>(f.historyResolutionMs) / 1000.0);
    if (f.allocationsDropped > 0)
        text += tr(" %L1 allocations freed before then are counted but no longer listed.").arg(f.allocationsDropped);
    return text + tr(" The recording keeps everything.");
}

QString SessionListModel::sessionTitle(const SessionRow& row)
{
    if (row.run <= 1 || row.continues.isEmpty())
        return row.sessionId;
    const int n = row.run;
    const int tens = n % 100;
    const char* suffix = (tens >= 11 && tens <= 13) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
    return tr("%1 (%2%3 run)").arg(row.continues).arg(n).arg(QLatin1String(suffix));
}

namespace {
QString clockText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toLocalTime().toString(QStringLiteral("HH:mm:ss"));
}
} // namespace

QString SessionListModel::disconnectedText(qint64 sinceMs)
{
    return tr("disconnected since %1").arg(clockText(sinceMs));
}

QString SessionListModel::disconnectedCaption(qint64 sinceMs)
{
    return tr("Disconnected since %1").arg(clockText(sinceMs));
}

void SessionListModel::applyLiveSnapshot(int liveId, const live::LiveSnapshot& snapshot)
{
    if (m_closedConnections.contains(liveId))
        return; // a snapshot that was on its way when the connection was closed
    const bool connected = snapshot.stats.state == live::ConnectionState::Connected;
    for (const auto& f : snapshot.sessions) {
        const QString id = QString::fromStdString(f.sessionId);
        if (m_closedLive.contains({liveId, id}))
            continue;
        int row = findLive(liveId, id);
        if (row < 0) {
            SessionRow r;
            r.liveId = liveId;
            r.sessionId = id;
            r.source = snapshot.stats.url;
            appendRow(std::move(r));
            row = rowCount() - 1;
        }
        SessionRow& r = m_rows[static_cast<std::size_t>(row)];
        const SessionRow before = r;
        r.platform = QString::fromStdString(f.platform);
        // Not "live" once its producer is gone: the connection dropped (it may come
        // back), or the producer restarted and left this session unended for good.
        r.disconnectedSinceMs = f.ended ? 0 : f.producerGoneSinceMs != 0 ? f.producerGoneSinceMs
                                            : connected                   ? 0
                                                                          : snapshot.stats.disconnectedSinceMs;
        r.continues = QString::fromStdString(f.continues);
        r.run = static_cast<int>(f.run);
        if (f.ended)
            r.state = tr("ended");
        else if (r.disconnectedSinceMs != 0)
            r.state = disconnectedText(r.disconnectedSinceMs);
        else
            r.state = connected ? tr("live") : snapshot.stats.stateText;
        r.liveEnded = f.ended;
        r.usedBytes = f.usedBytes;
        r.totalBytes = f.totalBytes;
        r.peakBytes = f.peakBytes;
        r.pressure = static_cast<int>(f.pressure);
        r.reportedPressure = f.reportedPressure ? static_cast<int>(*f.reportedPressure) : -1;
        r.activeAllocations = f.activeAllocations;
        r.totalAllocations = f.totalAllocations;
        r.memoryPolicy = liveMemoryText(snapshot.stats, f);
        if (f.producerGoneSinceMs != 0 && !f.ended)
            r.memoryPolicy.prepend(tr("Its producer restarted without ending it: nothing more will come for it.\n"));
        else if (r.disconnectedSinceMs != 0)
            r.memoryPolicy.prepend(snapshot.stats.stateText + QLatin1Char('\n'));
        emitChangedCells(row, before);
    }
}

void SessionListModel::emitChangedCells(int row, const SessionRow& before)
{
    // Only the cells whose text moved: the view, the proxy and the column fitter
    // then touch a cell or two per snapshot, not the whole row 25 times a second.
    // A byte figure counts as moved when what it shows does ("12.3 MiB": the exact
    // bytes change at every message, the text far less often), and the State cell
    // not for its tooltip alone (it names the seconds of history, which tick every
    // second): tooltips and the sort read the row when they are asked.
    const SessionRow& r = m_rows[static_cast<std::size_t>(row)];
    const auto shownMoved = [](quint64 now, quint64 was) { return now != was && formatSize(now) != formatSize(was); };
    const bool changed[ColumnCount] = {
        r.source != before.source,
        r.sessionId != before.sessionId,
        r.platform != before.platform,
        r.state != before.state,
        shownMoved(r.usedBytes, before.usedBytes),
        r.totalBytes != before.totalBytes,
        shownMoved(r.peakBytes, before.peakBytes),
        r.pressure != before.pressure || r.reportedPressure != before.reportedPressure,
        r.activeAllocations != before.activeAllocations || r.totalAllocations != before.totalAllocations,
    };
    // The allocation counts tick at every message: alone, they are shown with the next
    // refresh of the views (kLiveCountsIntervalMs), not 25 times a second.
    bool others = false;
    for (int c = 0; c < ColumnCount; ++c)
        others = others || (changed[c] && c != Allocations);
    for (int c = 0; c < ColumnCount; ++c) {
        if (!changed[c])
            continue;
        if (c == Allocations && !others) {
            if (!m_countsTimer->isActive())
                m_countsTimer->start();
            continue;
        }
        Q_EMIT dataChanged(index(row, c), index(row, c));
    }
}

QList<int> SessionListModel::setLiveRecording(int liveId, const LoadedRecordingPtr& recording)
{
    QList<int> changed;
    const auto& store = *recording->store;
    for (std::size_t r = 0; r < m_rows.size(); ++r) {
        SessionRow& row = m_rows[r];
        if (row.liveId != liveId || !row.recording || row.recording == recording
            || store.find(row.sessionId.toStdString()))
            continue;
        row.recording.reset();
        row.sessionIndex = 0;
        row.droppedFromMemory = true;
        row.state = tr("ended · not in memory");
        row.memoryPolicy = tr("The live client keeps the newest ended sessions in memory; this one was dropped. "
                              "The recording file has all of it.");
        changed << static_cast<int>(r);
        Q_EMIT dataChanged(index(static_cast<int>(r), 0), index(static_cast<int>(r), ColumnCount - 1));
    }
    for (std::size_t i = 0; i < store.sessionCount(); ++i) {
        const QString id = QString::fromStdString(store.session(i).info().sessionId);
        const int row = findLive(liveId, id);
        if (row < 0)
            continue; // its snapshot adds the row; the next refresh attaches the data
        SessionRow& r = m_rows[static_cast<std::size_t>(row)];
        r.recording = recording;
        r.sessionIndex = i;
        changed << row;
    }
    return changed;
}

void SessionListModel::setRowState(int row, const QString& state)
{
    if (row < 0 || row >= rowCount())
        return;
    SessionRow& r = m_rows[static_cast<std::size_t>(row)];
    if (state.isEmpty() && r.recording) {
        r.state = recordingState(*r.recording, r.recording->store->session(r.sessionIndex));
    } else if (state.isEmpty()) {
        r.state = tr("recorded");
    } else {
        r.state = state;
    }
    Q_EMIT dataChanged(index(row, State), index(row, State));
}

void SessionListModel::clear()
{
    beginResetModel();
    // Clearing closes the live connections too; ids are never reused, so they stay closed.
    for (const SessionRow& r : m_rows)
        if (r.liveId >= 0)
            m_closedConnections.insert(r.liveId);
    m_rows.clear();
    m_closedLive.clear();
    endResetModel();
}

void SessionListModel::removeSession(int row)
{
    if (row < 0 || row >= rowCount())
        return;
    const int liveId = m_rows[static_cast<std::size_t>(row)].liveId;
    if (liveId >= 0)
        m_closedLive.emplace(liveId, m_rows[static_cast<std::size_t>(row)].sessionId);
    if (const auto& rec = m_rows[static_cast<std::size_t>(row)].recording; rec && rec->loadId != 0)
        m_closedLoads.emplace(rec->loadId, m_rows[static_cast<std::size_t>(row)].sessionIndex);
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    endRemoveRows();
    if (liveId >= 0 && liveRowCount(liveId) == 0)
        m_closedConnections.insert(liveId);
}

int SessionListModel::liveRowCount(int liveId) const
{
    return static_cast<int>(std::count_if(m_rows.begin(), m_rows.end(), [liveId](const SessionRow& r) { return r.liveId == liveId; }));
}

int SessionListModel::rows() const
{
    return static_cast<int>(m_rows.size());
}

namespace {
QString bytes(quint64 b)
{
    return formatSize(b);
}
const char* const kPressureNames[] = {QT_TRANSLATE_NOOP("SessionListModel", "low"),
                                      QT_TRANSLATE_NOOP("SessionListModel", "medium"),
                                      QT_TRANSLATE_NOOP("SessionListModel", "high"),
                                      QT_TRANSLATE_NOOP("SessionListModel", "critical")};
} // namespace

QVariant SessionListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SessionRow& r = m_rows[static_cast<std::size_t>(index.row())];
    const auto col = static_cast<Column>(index.column());
    if (role == Qt::DisplayRole) {
        switch (col) {
        case Source: return r.source;
        case Session: return sessionTitle(r);
        case Platform: return r.platform;
        case State: return r.state;
        case Used: return bytes(r.usedBytes);
        case Total: return r.totalBytes ? bytes(r.totalBytes) : tr("unknown");
        case Peak: return bytes(r.peakBytes);
        case Pressure: {
            QString text = tr(kPressureNames[r.pressure]);
            if (r.reportedPressure >= 0 && r.reportedPressure != r.pressure)
                text += tr(" (reported %1)").arg(tr(kPressureNames[r.reportedPressure]));
            return text;
        }
        case Allocations:
            if (r.recording && r.recording->fromSummary) // a summary counts used, not allocations
                return tr("…");
            return tr("%L1 live / %L2").arg(r.activeAllocations).arg(r.totalAllocations);
        case ColumnCount: break;
        }
    } else if (role == SortRole) {
        switch (col) {
        case Used: return r.usedBytes;
        case Total: return r.totalBytes;
        case Peak: return r.peakBytes;
        case Pressure: return r.pressure;
        case Allocations: return r.activeAllocations;
        default: return data(index, Qt::DisplayRole);
        }
    } else if (role == Qt::DecorationRole && col == Pressure) {
        return pressureColor(r.pressure);
    } else if (role == Qt::TextAlignmentRole) {
        if (col == Used || col == Total || col == Peak || col == Allocations)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    } else if (role == Qt::ToolTipRole && col == Session && r.run > 1 && !r.continues.isEmpty()) {
        return tr("Continues %1: its producer restarted and began it again. Kept apart as %2 (its id in the recording).")
            .arg(r.continues, r.sessionId);
    } else if (role == Qt::ToolTipRole && col == State && !r.memoryPolicy.isEmpty()) {
        return tr("%1\n%2").arg(r.state, r.memoryPolicy); // the state whole: the column may elide it
    } else if (role == Qt::ToolTipRole && col == State) {
        return r.state;
    } else if (role == Qt::ToolTipRole && col == Used && r.totalBytes) {
        return tr("%1 of %2 (%3 %)").arg(bytes(r.usedBytes), bytes(r.totalBytes))
            .arg(100.0 * static_cast<double>(r.usedBytes) / static_cast<double>(r.totalBytes), 0, 'f', 1);
    }
    return {};
}

} // namespace flight::ui
