// SPDX-License-Identifier: MIT
#pragma once
// One file loaded the way the window loads it: the real RecordingLoader on its
// worker thread, waited for with QSignalSpy::wait.

#include "loading/loaded_recording.h"

#include <QString>

namespace flight::uitest {

// What the window would get for `path` (null, with a test failure, when the
// load does not finish in `timeoutMs` or reports no recording).
ui::LoadedRecordingPtr loadForTest(const QString& path, int timeoutMs = 20000);

// resources/recordings/NAME and tests/data/conformance/NAME.
QString sampleRecording(const char* name);
QString conformanceVector(const char* name);

} // namespace flight::uitest
