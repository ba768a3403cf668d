// SPDX-License-Identifier: MIT
#pragma once
// One file loaded the way the window loads it: the real RecordingLoader on its
// worker thread, waited for with QSignalSpy::wait.

#include "loading/loaded_recording.h"

#include <QString>
#include <QSize>
#include <QStringList>

namespace flight::ui {
class MainWindow;
}

namespace flight::uitest {

// What the window would get for `path` (null, with a test failure, when the
// load does not finish in `timeoutMs` or reports no recording).
ui::LoadedRecordingPtr loadForTest(const QString& path, int timeoutMs = 20000);

// resources/recordings/NAME and tests/data/conformance/NAME.
QString sampleRecording(const char* name);
QString conformanceVector(const char* name);

// Opens resources/recordings/NAME.jsonl.zst for each name in the real window, waits for the
// load, selects the first row and shows the window at `size` (active, exposed). False, with a
// test failure, when any of it does not happen.
bool openSamplesInWindow(ui::MainWindow& window, const QStringList& names, const QSize& size = {1280, 800});

// Clicks the view tab (or any tab of the window) named `text`, mnemonic '&' ignored; fails the test when there is none.
void clickTab(ui::MainWindow& window, const QString& text);

} // namespace flight::uitest
