// SPDX-License-Identifier: MIT
#pragma once
// A top-to-bottom layout cursor over the pages of a QPdfWriter: headings,
// wrapped paragraphs, tables and charts, with page breaks where they do not
// fit. Units are CSS pixels (96 per inch).

#include "reports/chart_scene.h"

#include <QFont>
#include <QString>
#include <QStringList>

#include <set>
#include <vector>

class QPainter;
class QPdfWriter;

namespace flight::ui {

struct PdfTable {
    QStringList headers;
    std::vector<QStringList> rows;
    std::set<int> numeric;        // right-aligned columns
    std::set<int> highlightRows;  // bold
    std::set<int> alertRows;      // red text
};

class PdfPageLayout {
public:
    PdfPageLayout(QPdfWriter& writer, QPainter& painter);

    double width() const { return m_width; }
    void newPage();
    void heading(const QString& text, int level); // 1, 2, 3
    void paragraph(const QString& text, bool muted = false);
    void table(const PdfTable& table);
    // The scene drawn at the page width (scaled down if wider).
    void chart(const reports::ChartScene& scene);
    void space(double px) { m_y += px; }

private:
    void ensure(double height);
    QFont font(double pixelSize, bool bold = false) const;

    QPdfWriter& m_writer;
    QPainter& m_painter;
    double m_width = 0;
    double m_height = 0;
    double m_y = 0;
    int m_page = 1;
};

} // namespace flight::ui
