// SPDX-License-Identifier: MIT
#include "chart_image_export.h"

#include <QAction>
#include <QChartView>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QImageWriter>
#include <QMessageBox>
#include <QPainter>
#include <QPixmap>
#include <QSvgGenerator>

namespace flight::ui {
namespace {

std::unexpected<MemoryError> writeError(const QString& message)
{
    return makeError(MemoryErrorCode::IoError, message.toStdString());
}

Result<void> saveSvg(QChartView* view, const QString& path)
{
    // Open the file ourselves: QSvgGenerator says nothing when it cannot write.
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        return writeError(QObject::tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    }
    const QSize size = view->size();
    QSvgGenerator svg;
    svg.setOutputDevice(&file);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle(QFileInfo(path).completeBaseName());
    svg.setDescription(QObject::tr("Chart exported by Flight Memory Inspector"));
    {
        QPainter painter;
        if (!painter.begin(&svg)) {
            return writeError(QObject::tr("Cannot write %1: the SVG could not be started").arg(QDir::toNativeSeparators(path)));
        }
        painter.setRenderHint(QPainter::Antialiasing);
        // The scene drawn through the painter: series, axes and text stay vectors.
        static_cast<QWidget*>(view)->render(&painter, QPoint(), QRegion(), QWidget::DrawChildren);
    }
    if (file.error() != QFileDevice::NoError) {
        return writeError(QObject::tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    }
    return {};
}

Result<void> savePng(QChartView* view, const QString& path)
{
    const QPixmap pixmap = view->grab();
    QImageWriter writer(path, "png");
    if (!writer.write(pixmap.toImage())) {
        return writeError(QObject::tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), writer.errorString()));
    }
    return {};
}

} // namespace

Result<void> saveChartImage(QChartView* view, const QString& path)
{
    if (path.endsWith(QStringLiteral(".svg"), Qt::CaseInsensitive))
        return saveSvg(view, path);
    return savePng(view, path);
}

void addSaveImageAction(QChartView* view, const QString& defaultName)
{
    auto* action = new QAction(QObject::tr("Save Image…"), view);
    action->setToolTip(QObject::tr("Save this chart as a PNG or SVG image"));
    view->setContextMenuPolicy(Qt::ActionsContextMenu);
    view->addAction(action);
    QObject::connect(action, &QAction::triggered, view, [view, defaultName] {
        const QString png = QObject::tr("PNG image (*.png)");
        const QString svg = QObject::tr("SVG image (*.svg)");
        QString filter = defaultName.endsWith(QStringLiteral(".svg"), Qt::CaseInsensitive) ? svg : png;
        QString path = QFileDialog::getSaveFileName(view, QObject::tr("Save Image"), defaultName,
                                                    png + QStringLiteral(";;") + svg, &filter);
        if (path.isEmpty())
            return;
        if (QFileInfo(path).suffix().isEmpty())
            path += filter == svg ? QStringLiteral(".svg") : QStringLiteral(".png");
        const auto saved = saveChartImage(view, path);
        if (!saved)
            QMessageBox::warning(view, QObject::tr("Save Image"),
                                 QString::fromStdString(saved.error().message) + QStringLiteral("\n\n") +
                                     QObject::tr("Choose a folder you can write to, or another file name."));
    });
}

} // namespace flight::ui
