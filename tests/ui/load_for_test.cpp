// SPDX-License-Identifier: MIT
#include "load_for_test.h"

#include "loading/recording_loader.h"

#include <gtest/gtest.h>

#include <QSignalSpy>

namespace flight::uitest {

ui::LoadedRecordingPtr loadForTest(const QString& path, int timeoutMs)
{
    ui::RecordingLoader loader;
    QSignalSpy loaded(&loader, &ui::RecordingLoader::recordingLoaded);
    QSignalSpy finished(&loader, &ui::RecordingLoader::finished);
    loader.load({path});
    EXPECT_TRUE(finished.wait(timeoutMs)) << path.toStdString();
    EXPECT_EQ(loaded.count(), 1) << path.toStdString();
    return loaded.isEmpty() ? nullptr : loaded.at(0).at(0).value<ui::LoadedRecordingPtr>();
}

QString sampleRecording(const char* name)
{
    return QStringLiteral(FLIGHT_SOURCE_DIR "/resources/recordings/") + QLatin1String(name);
}

QString conformanceVector(const char* name)
{
    return QStringLiteral(FLIGHT_TEST_DATA "/conformance/") + QLatin1String(name);
}

} // namespace flight::uitest
