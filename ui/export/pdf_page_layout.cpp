// SPDX-License-Identifier: MIT
#include "pdf_page_layout.h"

#include "report_painter.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPdfWriter>

#include <algorithm>

namespace flight::ui {
namespace {
const QColor kInk(0x1f, 0x2a, 0x44);
const QColor kMuted(0x5b, 0x62, 0x75);
const QColor kLine(0xd9, 0xdc, 0xe3);
const QColor kOver(0x9b, 0x1c, 0x13);
} // namespace

PdfPageLayout::PdfPageLayout(QPdfWriter& writer, QPainter& painter) : m_writer(writer), m_painter(painter)
{
    // Work in CSS pixels whatever the writer's resolution.
    const double scale = writer.resolution() / 96.0;
    painter.scale(scale, scale);
    m_width = writer.width() / scale;
    m_height = writer.height() / scale;
}

QFont PdfPageLayout::font(double pixelSize, bool bold) const
{
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPixelSize(std::max(1, static_cast<int>(pixelSize + 0.5)));
    f.setBold(bold);
    return f;
}

void PdfPageLayout::newPage()
{
    m_writer.newPage();
    m_y = 0;
    ++m_page;
}

void PdfPageLayout::ensure(double height)
{
    if (m_y > 0 && m_y + height > m_height)
        newPage();
}

void PdfPageLayout::heading(const QString& text, int level)
{
    const double size = level == 1 ? 22 : level == 2 ? 17 : 13.5;
    const QFont f = font(size, true);
    const double h = QFontMetricsF(f).height();
    ensure(h + 8 + (level == 3 ? 220 : 160)); // keep a heading with what follows
    m_y += level == 1 ? 0 : level == 2 ? 14 : 8;
    m_painter.setFont(f);
    m_painter.setPen(kInk);
    m_painter.drawText(QRectF(0, m_y, m_width, h), Qt::AlignLeft | Qt::AlignVCenter, text);
    m_y += h + 2;
    if (level <= 2) {
        m_painter.setPen(QPen(kInk, level == 1 ? 2.0 : 1.2));
        m_painter.drawLine(QPointF(0, m_y), QPointF(m_width, m_y));
        m_y += 6;
    }
}

void PdfPageLayout::paragraph(const QString& text, bool muted)
{
    const QFont f = font(11.5);
    m_painter.setFont(f);
    const QRectF bounds = QFontMetricsF(f).boundingRect(QRectF(0, 0, m_width, 1e6), Qt::TextWordWrap, text);
    ensure(bounds.height() + 4);
    m_painter.setPen(muted ? kMuted : kInk);
    m_painter.drawText(QRectF(0, m_y, m_width, bounds.height() + 2), Qt::TextWordWrap, text);
    m_y += bounds.height() + 6;
}

void PdfPageLayout::table(const PdfTable& t)
{
    const QFont body = font(10.5);
    const QFont head = font(10.5, true);
    const QFontMetricsF fm(body);
    const QFontMetricsF hm(head);
    const int cols = static_cast<int>(t.headers.size());
    std::vector<double> widths(static_cast<std::size_t>(cols), 0);
    for (int c = 0; c < cols; ++c) {
        double& w = widths[static_cast<std::size_t>(c)];
        w = hm.horizontalAdvance(t.headers[c]);
        for (int r = 0; r < static_cast<int>(t.rows.size()); ++r) {
            const QStringList& row = t.rows[static_cast<std::size_t>(r)];
            if (c < row.size())
                w = std::max(w, (t.highlightRows.contains(r) ? hm : fm).horizontalAdvance(row[c]));
        }
    }
    constexpr double kPad = 12;
    double total = 0;
    for (double& w : widths)
        total += (w += kPad);
    if (total > m_width) {
        // Narrow columns keep their width; the wide ones share what is left (their cells are elided).
        std::vector<bool> fixed(widths.size(), false);
        double room = m_width;
        std::size_t open = widths.size();
        for (bool changed = true; changed && open > 0;) {
            changed = false;
            const double fair = room / static_cast<double>(open);
            for (std::size_t c = 0; c < widths.size(); ++c)
                if (!fixed[c] && widths[c] <= fair) {
                    fixed[c] = true;
                    room -= widths[c];
                    --open;
                    changed = true;
                }
        }
        for (std::size_t c = 0; c < widths.size(); ++c)
            if (!fixed[c])
                widths[c] = std::max(36.0, room / static_cast<double>(open));
    }
    const double rowH = fm.height() + 5;
    auto drawRow = [&](const QStringList& cells, const QFont& f, const QColor& colour) {
        m_painter.setFont(f);
        m_painter.setPen(colour);
        double x = 0;
        for (int c = 0; c < cols; ++c) {
            const double w = widths[static_cast<std::size_t>(c)];
            const QString text = QFontMetricsF(f).elidedText(c < cells.size() ? cells[c] : QString(), Qt::ElideMiddle, w - kPad);
            const bool num = t.numeric.contains(c);
            m_painter.drawText(QRectF(num ? x : x, m_y, w - kPad, rowH),
                               (num ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter, text);
            x += w;
        }
        m_y += rowH;
        m_painter.setPen(QPen(kLine, 0.8));
        m_painter.drawLine(QPointF(0, m_y), QPointF(std::min(x, m_width), m_y));
    };
    ensure(rowH * std::min<double>(3, 1 + static_cast<double>(t.rows.size())));
    drawRow(t.headers, head, kMuted);
    for (int r = 0; r < static_cast<int>(t.rows.size()); ++r) {
        if (m_y + rowH > m_height) {
            newPage();
            drawRow(t.headers, head, kMuted);
        }
        drawRow(t.rows[static_cast<std::size_t>(r)], t.highlightRows.contains(r) ? head : body,
                t.alertRows.contains(r) ? kOver : kInk);
    }
    m_y += 8;
}

void PdfPageLayout::chart(const reports::ChartScene& scene)
{
    const double s = std::min(1.0, m_width / scene.width);
    const double h = scene.height * s;
    ensure(h + 6);
    paintChart(m_painter, scene, QRectF(0, m_y, scene.width * s, h));
    m_y += h + 8;
}

} // namespace flight::ui
