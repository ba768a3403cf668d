#include "compare_page.h"

#include <gtest/gtest.h>

#include <QTableWidget>

using namespace flight;
using namespace flight::ui;

namespace {
LoadedRecordingPtr recordingWith(std::uint64_t heapBytes, const char* id)
{
    auto rec = std::make_shared<LoadedRecording>();
    rec->path = QString::fromLatin1(id);
    rec->store = std::make_unique<protocol::SessionStore>();
    const std::string line = std::string(R"({"type":"allocation","allocation":{"id":"a","sessionId":")") + id +
                             R"(","size":{"bytes":)" + std::to_string(heapBytes) +
                             R"(},"purpose":"vm-heap","allocatedAt":1764000000000}})";
    rec->store->ingest(line, 1);
    for (std::size_t i = 0; i < rec->store->sessionCount(); ++i) {
        const SessionModel& s = rec->store->session(i);
        rec->analytics.push_back({std::make_shared<const UsagePyramid>(s), computePressureDurations(s), nullptr, nullptr, nullptr});
    }
    return rec;
}
} // namespace

TEST(ComparePage, PerPurposeChangeBetweenTwoSessions)
{
    ComparePage page;
    std::vector<SessionRef> refs;
    refs.push_back({QStringLiteral("a"), recordingWith(100ull << 20, "vm-a"), 0});
    refs.push_back({QStringLiteral("b"), recordingWith(150ull << 20, "vm-b"), 0});
    page.setSessions(refs);
    page.setCurrent(0);
    EXPECT_EQ(page.otherIndex(), 1);
    QTableWidget* t = page.table();
    ASSERT_EQ(t->rowCount(), 2); // total + vm-heap
    EXPECT_EQ(t->item(1, 0)->text(), QStringLiteral("VM heap"));
    EXPECT_EQ(t->item(1, 1)->text(), QStringLiteral("100.0MB"));
    EXPECT_EQ(t->item(1, 2)->text(), QStringLiteral("150.0MB"));
    EXPECT_EQ(t->item(1, 3)->text(), QStringLiteral("+50.0MB (+50.0 %)"));
    EXPECT_EQ(t->item(0, 8)->text(), QStringLiteral("+50.0MB (+50.0 %)"));
}
