// SPDX-License-Identifier: MIT
// The timeline's frame cost and the time to a first timeline, offscreen, with
// the real widgets (docs/performance.md, "Timeline"):
//   TimelinePan/N      N-event session (10,000 and 10,000,000), a 1920 px wide
//                      view zoomed to an eighth of the session, panned across
//                      from start to end in 240 frames; each frame = the range
//                      change, the rebuild of every series and a full repaint
//                      into an image. Counters: mean and max ms per frame; the
//                      10 M case also reports its mean and max as a ratio to the
//                      10,000-event case of the same run.
//   TimelineZoomedPan/N  zoomed to 100 s, panned by a quarter of that: where the
//                      view reads its columns from the events, not the pyramid.
//   TimelineRepaint/N  the whole session in view, one rebuild + repaint per frame.
//   OpenFormat2ToFirstTimeline/summary:0|1  a format-2 file ($FLIGHT_BENCH_FMR, else the
//                      churn workload): load() until the whole range is painted, from
//                      the footer's summary or (0, the baseline) the whole file.
//   OpenToFirstTimeline/zstd:0|1/previews:0|1  the 2,000,000-event generated recording
//                      (v6r-large, seed 2026, ~10,000 live, as flight_benchmarks
//                      uses): RecordingLoader.load() until the TimelineView has
//                      painted a first timeline (the loader's preview, or the
//                      whole file's timeline if it comes first), and until the
//                      whole file's timeline and everything else have arrived;
//                      previews:0 is the same load with the preview switched
//                      off (the baseline for what previews cost).
// Not a ctest test: run bin/timeline_benchmark by hand, in Release.

#include "loading/recording_loader.h"
#include "sessions/session_detail.h"
#include "sessions/sessions_page.h"
#include "timeline/timeline_view.h"

#include "benchmark_inputs.h"
#include "benchmark_main.h"

#include "analytics/usage_pyramid.h"
#include "generator/workload_recording.h"
#include "model/session_model.h"

#include <benchmark/benchmark.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdlib>
#include <cmath>
#include <map>
#include <memory>
#include <random>

#include <sys/resource.h>
#include <time.h>

namespace {

using namespace flight;

constexpr std::int64_t kT0 = 1764000000000;
constexpr int kWidth = 1920;
constexpr int kFrames = 240;
#ifndef FLIGHT_BENCH_ITERATIONS
#define FLIGHT_BENCH_ITERATIONS 3
#endif

struct BenchSession {
    std::unique_ptr<SessionModel> model;
    std::unique_ptr<UsagePyramid> pyramid;
};

// `events` allocations and frees over eight purposes, ~2,000 live, a usage
// curve with slow waves and bursts; one event per ms.
const BenchSession& session(std::int64_t events)
{
    static std::map<std::int64_t, BenchSession> sessions;
    auto it = sessions.find(events);
    if (it != sessions.end())
        return it->second;
    SessionInfo info;
    info.sessionId = "bench-" + std::to_string(events);
    info.platform = "v6r-large";
    info.totalBytes = 2ull << 30;
    auto model = std::make_unique<SessionModel>(info);
    std::mt19937_64 rng(2026);
    std::vector<std::string> live;
    live.reserve(4096);
    std::uint64_t next = 0;
    std::int64_t produced = 0;
    std::int64_t t = kT0;
    while (produced < events) {
        const double phase = static_cast<double>(produced) / static_cast<double>(events);
        const auto target = static_cast<std::size_t>(2000 + 1500 * std::sin(phase * 40.0) + (rng() % 64 == 0 ? 400 : 0));
        if (live.size() < target || live.empty()) {
            std::string id = "a-" + std::to_string(next++);
            const auto purpose = MemoryPurpose::fromId(static_cast<std::uint16_t>(rng() % 8));
            (void)model->recordAllocation(id, 4096 + rng() % (256 * 1024), purpose, t);
            live.push_back(std::move(id));
        } else {
            const std::size_t victim = rng() % live.size();
            (void)model->recordFree(live[victim], t);
            live[victim] = std::move(live.back());
            live.pop_back();
        }
        ++produced;
        ++t;
    }
    auto pyramid = std::make_unique<UsagePyramid>(*model);
    return sessions.emplace(events, BenchSession{std::move(model), std::move(pyramid)}).first->second;
}

// Wall and this thread's CPU time of one frame. On a shared machine the wall
// time includes waiting for a core; the CPU time is what the frame cost.
struct FrameCost {
    double wallMs = 0;
    double cpuMs = 0;
};

struct FrameStats {
    double meanMs = 0;
    double maxMs = 0;
    double meanCpuMs = 0;
    double maxCpuMs = 0;
};

double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}
std::map<std::int64_t, FrameStats> g_pan;     // by event count, for the ratio
std::map<std::int64_t, FrameStats> g_repaint;
std::map<std::int64_t, FrameStats> g_zoomed;

// One frame: the range change, its rebuild (posted by the view) and a full repaint.
FrameCost frame(ui::TimelineView& view, QImage& image, std::int64_t from, std::int64_t to)
{
    QElapsedTimer timer;
    const double cpu0 = threadCpuMs();
    timer.start();
    view.setVisibleRange(from, to);
    QCoreApplication::processEvents(); // runs the rebuild the range change posted
    QPainter painter(&image);
    view.render(&painter);
    painter.end();
    return {static_cast<double>(timer.nsecsElapsed()) / 1e6, threadCpuMs() - cpu0};
}

// FLIGHT_TIMELINE_FRAMES=DIR keeps the last frame of each case as DIR/<case>-<events>.png, to look at.
void keepFrame(const QImage& image, const char* name, std::int64_t events)
{
    const QString dir = qEnvironmentVariable("FLIGHT_TIMELINE_FRAMES");
    if (!dir.isEmpty())
        image.save(QStringLiteral("%1/%2-%3.png").arg(dir, QLatin1String(name)).arg(events));
}

void report(benchmark::State& state, const std::vector<FrameCost>& frames, std::map<std::int64_t, FrameStats>& store)
{
    FrameStats s;
    for (const FrameCost& f : frames) {
        s.meanMs += f.wallMs;
        s.maxMs = std::max(s.maxMs, f.wallMs);
        s.meanCpuMs += f.cpuMs;
        s.maxCpuMs = std::max(s.maxCpuMs, f.cpuMs);
    }
    s.meanMs /= static_cast<double>(frames.size());
    s.meanCpuMs /= static_cast<double>(frames.size());
    const std::int64_t events = state.range(0);
    store[events] = s;
    state.counters["frames"] = static_cast<double>(frames.size());
    state.counters["mean_ms"] = s.meanMs;
    state.counters["max_ms"] = s.maxMs;
    state.counters["cpu_mean_ms"] = s.meanCpuMs;
    state.counters["cpu_max_ms"] = s.maxCpuMs;
    if (events != 10'000 && store.count(10'000)) {
        state.counters["mean_x_10k"] = s.meanMs / store[10'000].meanMs;
        state.counters["cpu_mean_x_10k"] = s.meanCpuMs / store[10'000].meanCpuMs;
        state.counters["cpu_max_x_10k"] = s.maxCpuMs / store[10'000].maxCpuMs;
    }
}

// A 1920 px view showing the session, and the image its frames are rendered into.
struct BenchView {
    explicit BenchView(const BenchSession& s)
    {
        view.resize(kWidth, 600);
        view.show();
        view.setSession(s.model.get(), s.pyramid.get());
        QCoreApplication::processEvents();
        image = QImage(view.size(), QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white); // the frame's border is not painted over
    }
    ui::TimelineView view;
    QImage image;
};

// kFrames + 1 frames of a view `window` ms wide whose start moves from `start` over `travel` ms.
void pan(benchmark::State& state, std::int64_t window, std::int64_t start, std::int64_t travel, const char* name,
         std::map<std::int64_t, FrameStats>& store)
{
    BenchView bench(session(state.range(0)));
    std::vector<FrameCost> frames;
    for (auto _ : state) {
        frames.clear();
        for (int i = 0; i <= kFrames; ++i) {
            const std::int64_t from = start + travel * i / kFrames;
            frames.push_back(frame(bench.view, bench.image, from, from + window));
        }
    }
    keepFrame(bench.image, name, state.range(0));
    report(state, frames, store);
}

void TimelinePan(benchmark::State& state)
{
    const BenchSession& s = session(state.range(0));
    const std::int64_t span = s.model->lastMs() - s.model->firstMs();
    pan(state, span / 8, s.model->firstMs(), span - span / 8, "pan", g_pan);
}

// Zoomed in to 100 s (about 52 events per pixel column at one event per ms, just
// under the 64 at which the view reads the events instead of the pyramid) and
// panned by a quarter of that: the dearest pan of the exact path (10 M events
// only: 10,000 fit in 100 s whole).
void TimelineZoomedPan(benchmark::State& state)
{
    const BenchSession& s = session(state.range(0));
    const std::int64_t span = s.model->lastMs() - s.model->firstMs();
    const std::int64_t window = std::min<std::int64_t>(span, 100'000);
    pan(state, window, s.model->firstMs() + (span - window) / 2, window / 4, "zoomed", g_zoomed);
}

void TimelineRepaint(benchmark::State& state)
{
    const BenchSession& s = session(state.range(0));
    BenchView bench(s);
    ui::TimelineView& view = bench.view;
    QImage& image = bench.image;
    const std::int64_t first = s.model->firstMs();
    const std::int64_t last = s.model->lastMs();
    std::vector<FrameCost> frames;
    for (auto _ : state) {
        frames.clear();
        // Alternate between two full-width ranges so every frame really rebuilds.
        for (int i = 0; i < 60; ++i)
            frames.push_back(frame(view, image, first + (i % 2), last));
    }
    keepFrame(image, "repaint", state.range(0));
    report(state, frames, g_repaint);
}

// CPU time of every thread of the process (loader worker, zstd reader, UI).
double processCpuMs()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    const auto ms = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3; };
    return ms(u.ru_utime) + ms(u.ru_stime);
}

// The window's way of showing a load: whichever timeline comes first (a
// preview, the summary or the whole file's) is painted at once into a 1920 px
// view. Keeps when the first one was on screen, the UI thread's CPU for that
// frame and how many events it drew.
class FirstTimelinePainter {
public:
    FirstTimelinePainter()
    {
        view.resize(kWidth, 600);
        view.show();
        QCoreApplication::processEvents();
    }
    void startClock() { m_clock.start(); }
    double elapsedMs() const { return static_cast<double>(m_clock.nsecsElapsed()) / 1e6; }
    void paint(const ui::LoadedRecordingPtr& r)
    {
        m_shown = r; // keeps the session alive while the view shows it
        const double frame0 = threadCpuMs();
        view.setSession(&r->store->session(0), r->analytics[0].pyramid.get());
        view.repaint();
        if (firstMs == 0) {
            firstMs = elapsedMs();
            firstFrameCpuMs = threadCpuMs() - frame0;
            firstEvents = static_cast<double>(r->store->session(0).timelineEventCount());
        }
    }

    ui::TimelineView view;
    double firstMs = 0;         // 0 until a first timeline is painted
    double firstFrameCpuMs = 0; // setSession + repaint of that first one
    double firstEvents = 0;     // changes of used in it

private:
    QElapsedTimer m_clock;
    ui::LoadedRecordingPtr m_shown;
};

const std::string& generatedRecording(bool zstd)
{
    static QTemporaryDir dir;
    static std::map<bool, std::string> paths;
    auto it = paths.find(zstd);
    if (it != paths.end())
        return it->second;
    const generator::WorkloadOptions o = bench::churnWorkload();
    generator::WorkloadRecordingOptions ro;
    ro.compress = zstd;
    ro.compressionLevel = 3;
    const std::string path = dir.filePath(zstd ? QStringLiteral("churn.jsonl.zst") : QStringLiteral("churn.jsonl")).toStdString();
    if (!generator::writeWorkloadRecording(o, path, ro))
        std::abort();
    return paths.emplace(zstd, path).first->second;
}

void OpenToFirstTimeline(benchmark::State& state)
{
    const QString path = QString::fromStdString(generatedRecording(state.range(0) != 0));
    double worst = 0, sum = 0, cpu = 0, timelineSum = 0, fullSum = 0, fullWorst = 0, previews = 0, previewCost = 0;
    double previewEvents = 0, firstFrameMs = 0, timelineCost = 0, detailsCost = 0;
    std::int64_t runs = 0;
    for (auto _ : state) {
        ui::RecordingLoader loader;
        if (state.range(1) == 0)
            loader.setPreviewPolicy({.maxPreviews = 0}); // the baseline: no preview
        FirstTimelinePainter painter;
        ui::LoadedRecordingPtr loaded;
        QEventLoop wait;
        double timelineMs = 0;
        QObject::connect(&loader, &ui::RecordingLoader::previewReady, &painter.view, [&](const ui::LoadedRecordingPtr& r) {
            ++previews;
            previewCost += r->buildMs;
            previewEvents += static_cast<double>(r->store->session(0).timelineEventCount());
            painter.paint(r);
        });
        QObject::connect(&loader, &ui::RecordingLoader::timelineReady, &painter.view, [&](const ui::LoadedRecordingPtr& r) {
            timelineCost += r->buildMs;
            painter.paint(r);
            timelineMs = painter.elapsedMs();
        });
        QObject::connect(&loader, &ui::RecordingLoader::recordingLoaded, &painter.view, [&](const ui::LoadedRecordingPtr& r) {
            loaded = r;
            detailsCost += r->buildMs;
            wait.quit();
        });
        const double cpu0 = processCpuMs();
        painter.startClock();
        loader.load({path});
        wait.exec();
        const double fullMs = painter.elapsedMs();
        cpu += processCpuMs() - cpu0;
        const double firstMs = painter.firstMs;
        firstFrameMs += painter.firstFrameCpuMs;
        state.SetIterationTime(firstMs / 1000.0);
        worst = std::max(worst, firstMs);
        sum += firstMs;
        timelineSum += timelineMs;
        fullSum += fullMs;
        fullWorst = std::max(fullWorst, fullMs);
        ++runs;
        if (!loaded || loaded->store->session(0).timelineEventCount() == 0 || firstMs == 0)
            state.SkipWithError("nothing loaded");
    }
    const auto n = static_cast<double>(runs);
    state.counters["first_ms"] = sum / n;          // load() until a first timeline is painted (preview or whole)
    state.counters["first_max_ms"] = worst;
    state.counters["first_frame_cpu_ms"] = firstFrameMs / n; // UI thread CPU: setSession + repaint of that first one
    state.counters["timeline_ms"] = timelineSum / n; // until the whole file's timeline is painted
    state.counters["full_ms"] = fullSum / n;       // until everything (rows, events) has arrived
    state.counters["full_max_ms"] = fullWorst;
    // Before the loader's stages, the first timeline waited for everything: full_ms is that baseline, same run.
    state.counters["first_x_full"] = sum / fullSum;
    state.counters["cpu_ms"] = cpu / n;            // all threads, load() to everything
    state.counters["previews"] = previews / n;
    state.counters["preview_cpu_ms"] = previews > 0 ? previewCost / previews : 0; // worker CPU per preview
    state.counters["pyramids_cpu_ms"] = timelineCost / n; // worker CPU: the whole file's pyramids, once read
    state.counters["details_cpu_ms"] = detailsCost / n;   // worker CPU: allocation rows and events
    state.counters["preview_events"] = previews > 0 ? previewEvents / previews : 0;
}

// A format-2 file opened summary-first (docs/recordings.md, "Summary"): load()
// until the view has painted a first timeline of the whole range (summary:1,
// the footer's summary; summary:0, the same load without it or previews, the
// baseline: the whole file's timeline), and until the whole file's timeline.
// The file: $FLIGHT_BENCH_FMR, else the churn workload written as format 2.
void OpenFormat2ToFirstTimeline(benchmark::State& state)
{
    static QTemporaryDir dir;
    static std::string path;
    if (path.empty()) {
        if (const char* given = std::getenv("FLIGHT_BENCH_FMR"))
            path = given;
        else {
            generator::WorkloadRecordingOptions ro;
            ro.compact = true;
            path = dir.filePath(QStringLiteral("churn.fmr")).toStdString();
            if (!generator::writeWorkloadRecording(bench::churnWorkload(), path, ro))
                std::abort();
        }
    }
    double firstSum = 0, firstWorst = 0, timelineSum = 0, fullSum = 0, firstFrameMs = 0, summaryCost = 0;
    double shownEvents = 0, wholeEvents = 0;
    std::int64_t runs = 0;
    for (auto _ : state) {
        ui::RecordingLoader loader;
        if (state.range(0) == 0)
            loader.setPreviewPolicy({.maxPreviews = 0});
        FirstTimelinePainter painter;
        QEventLoop wait;
        double timelineMs = 0;
        QObject::connect(&loader, &ui::RecordingLoader::summaryReady, &painter.view, [&](const ui::LoadedRecordingPtr& r) {
            summaryCost += r->buildMs;
            painter.paint(r);
        });
        QObject::connect(&loader, &ui::RecordingLoader::timelineReady, &painter.view, [&](const ui::LoadedRecordingPtr& r) {
            painter.paint(r);
            timelineMs = painter.elapsedMs();
            wholeEvents += static_cast<double>(r->store->session(0).timelineEventCount());
        });
        QObject::connect(&loader, &ui::RecordingLoader::recordingLoaded, &painter.view, [&] { wait.quit(); });
        QObject::connect(&loader, &ui::RecordingLoader::loadFailed, &painter.view, [&] { wait.quit(); });
        painter.startClock();
        loader.load({QString::fromStdString(path)});
        wait.exec();
        const double fullMs = painter.elapsedMs();
        const double firstMs = painter.firstMs;
        firstFrameMs += painter.firstFrameCpuMs;
        shownEvents += painter.firstEvents;
        state.SetIterationTime(firstMs / 1000.0);
        firstSum += firstMs;
        firstWorst = std::max(firstWorst, firstMs);
        timelineSum += timelineMs;
        fullSum += fullMs;
        ++runs;
        if (firstMs == 0 || timelineMs == 0)
            state.SkipWithError("nothing loaded");
    }
    const auto n = static_cast<double>(runs);
    state.counters["first_ms"] = firstSum / n;     // load() until the whole range is painted (summary, or whole file)
    state.counters["first_max_ms"] = firstWorst;
    state.counters["first_frame_cpu_ms"] = firstFrameMs / n;
    state.counters["timeline_ms"] = timelineSum / n; // until the whole file's timeline is painted
    state.counters["full_ms"] = fullSum / n;
    state.counters["first_x_timeline"] = firstSum / timelineSum;
    state.counters["summary_cpu_ms"] = summaryCost / n; // worker CPU: read the summary, build its sessions and pyramid
    state.counters["first_events"] = shownEvents / n;   // changes of used in the first timeline drawn
    state.counters["whole_events"] = wholeEvents / n;
}

// The window's side of the same load: the UI thread's CPU time for each stage
// the SessionsPage takes in (a preview, the timeline, everything: the table
// row, timeline, gauge, replay range, budgets, report, tables), the longest of
// them, and the time to the first timeline on screen.
void OpenInSessionsPage(benchmark::State& state)
{
    const QString path = QString::fromStdString(generatedRecording(state.range(0) != 0));
    double firstSum = 0, previewCpu = 0, timelineCpu = 0, completeCpu = 0, worst = 0, previews = 0;
    std::int64_t runs = 0;
    for (auto _ : state) {
        ui::RecordingLoader loader;
        ui::SessionsPage page;
        page.resize(kWidth, 1000);
        page.show();
        QCoreApplication::processEvents();
        QEventLoop wait;
        QElapsedTimer timer;
        double firstMs = 0;
        const auto take = [&](const ui::LoadedRecordingPtr& r, double& into) {
            const double cpu0 = threadCpuMs();
            page.addRecording(r);
            page.detail()->timeline()->repaint();
            const double cpu = threadCpuMs() - cpu0;
            into += cpu;
            worst = std::max(worst, cpu);
            if (firstMs == 0)
                firstMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        };
        QObject::connect(&loader, &ui::RecordingLoader::previewReady, &page, [&](const ui::LoadedRecordingPtr& r) {
            ++previews;
            take(r, previewCpu);
        });
        QObject::connect(&loader, &ui::RecordingLoader::timelineReady, &page, [&](const ui::LoadedRecordingPtr& r) { take(r, timelineCpu); });
        QObject::connect(&loader, &ui::RecordingLoader::recordingLoaded, &page, [&](const ui::LoadedRecordingPtr& r) {
            take(r, completeCpu);
            wait.quit();
        });
        timer.start();
        loader.load({path});
        wait.exec();
        state.SetIterationTime(firstMs / 1000.0);
        firstSum += firstMs;
        ++runs;
        if (page.sessionCount() != 1)
            state.SkipWithError("nothing loaded");
    }
    const auto n = static_cast<double>(runs);
    state.counters["first_ms"] = firstSum / n;
    state.counters["preview_ui_cpu_ms"] = previews > 0 ? previewCpu / previews : 0; // per preview
    state.counters["timeline_ui_cpu_ms"] = timelineCpu / n;
    state.counters["complete_ui_cpu_ms"] = completeCpu / n;
    state.counters["max_ui_cpu_ms"] = worst; // the longest stage of every run
}

} // namespace

BENCHMARK(TimelinePan)->Arg(10'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(FLIGHT_BENCH_ITERATIONS);
BENCHMARK(TimelineZoomedPan)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(FLIGHT_BENCH_ITERATIONS);
BENCHMARK(TimelineRepaint)->Arg(10'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(FLIGHT_BENCH_ITERATIONS);
BENCHMARK(OpenInSessionsPage)->ArgName("zstd")->Arg(0)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(FLIGHT_BENCH_ITERATIONS);
BENCHMARK(OpenFormat2ToFirstTimeline)->ArgName("summary")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(FLIGHT_BENCH_ITERATIONS);
BENCHMARK(OpenToFirstTimeline)->ArgNames({"zstd", "previews"})->Args({0, 0})->Args({0, 1})->Args({1, 0})->Args({1, 1})->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(FLIGHT_BENCH_ITERATIONS);

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    return bench::runBenchmarks(argc, argv);
}
