// SPDX-License-Identifier: MIT
#pragma once
// The rows of a seek while a format-2 recording still loads: the records
// read around one time (RecordSeeker), as written, in time order. Shared and
// never mutated once handed over.

#include "models/column_table_model.h"

#include "loading/record_seeker.h"

namespace flight::ui {

class RecordsAroundModel : public ColumnTableModel {
    Q_OBJECT
public:
    enum Column { Time, Line, Record, Id, Size, Detail, ColumnCount };
    enum Role { TimeRole = Qt::UserRole + 1 };

    explicit RecordsAroundModel(QObject* parent = nullptr);

    // originMs: the session's first instant (times show as seconds from it). Null: empty.
    void setResult(SeekResultPtr result, std::int64_t originMs);
    const SeekResultPtr& result() const { return m_result; }
    // The first row at or after the seek's time (rowCount() when none).
    int rowAtSeekTime() const;

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    int rows() const override;

    SeekResultPtr m_result;
    std::int64_t m_originMs = 0;
};

} // namespace flight::ui
