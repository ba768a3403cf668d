// SPDX-License-Identifier: MIT
#pragma once
// File › Open Recent: the last recordings opened, newest first, remembered in
// QSettings (paths only). A small helper the window wires to its menu; a file
// that fails to open is taken off the list (remove()).

#include <QObject>
#include <QStringList>

class QMenu;

namespace flight::ui {

class RecentFiles : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxFiles = 10;

    explicit RecentFiles(QMenu* menu, QObject* parent = nullptr);

    void add(const QStringList& paths);
    void remove(const QString& path);
    QStringList files() const;
    void clear();

Q_SIGNALS:
    void fileChosen(const QString& path);

private:
    void rebuildMenu();

    QMenu* m_menu;
};

} // namespace flight::ui
