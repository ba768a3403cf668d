// SPDX-License-Identifier: MIT
// Report speed against load speed (docs/performance.md): the LoadPlain input,
// loaded once outside the timing, then every figure collected and written as
// HTML (the format with the most work: tables and SVG charts). The issue's
// target: a report finishes within 3x the time to load the same recording;
// compare ReportHtml's time per iteration with LoadPlain's in the same run.

#include "benchmark_inputs.h"

#include "protocol/session_store.h"
#include "reports/html_report.h"
#include "reports/report_data.h"

#include <benchmark/benchmark.h>

#include <memory>

using namespace flight;
using namespace flight::bench;

namespace {

void ReportHtml(benchmark::State& state)
{
    const BenchInput& in = benchInput(InputKind::Churn);
    protocol::SessionStore store;
    protocol::loadRecording(in.path, store);
    const std::vector<protocol::SummarySource> sources{{"churn", &store}};
    std::size_t bytes = 0;
    for (auto _ : state) {
        const reports::ReportData data = reports::collectReport(sources, {});
        const std::string html = reports::htmlReport(data);
        bytes = html.size();
        benchmark::DoNotOptimize(html.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * in.messages));
    state.counters["html_KiB"] = benchmark::Counter(static_cast<double>(bytes) / 1024.0);
}

} // namespace

BENCHMARK(ReportHtml)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
