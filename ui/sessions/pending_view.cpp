// SPDX-License-Identifier: MIT
#include "pending_view.h"

#include <QLabel>

namespace flight::ui {

PendingView::PendingView(QWidget* view, QWidget* parent)
    : QStackedWidget(parent)
    , m_view(view)
    , m_note(new QLabel(this))
{
    m_note->setAlignment(Qt::AlignCenter);
    m_note->setWordWrap(true);
    m_note->setEnabled(false); // the palette's disabled text: a placeholder, not content
    addWidget(m_view);
    addWidget(m_note);
}

void PendingView::setPending(const QString& note)
{
    m_note->setText(note);
    setCurrentWidget(m_note);
}

void PendingView::showView()
{
    setCurrentWidget(m_view);
}

void PendingView::showStandIn(QWidget* page)
{
    if (indexOf(page) < 0)
        addWidget(page);
    setCurrentWidget(page);
}

bool PendingView::isPending() const
{
    return currentWidget() == m_note;
}

QString PendingView::note() const
{
    return isPending() ? m_note->text() : QString();
}

} // namespace flight::ui
