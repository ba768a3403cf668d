// SPDX-License-Identifier: MIT
#pragma once
// The JSON a Prometheus HTTP API query answers (/api/v1/query and
// /api/v1/query_range, any engine speaking it), read defensively: anything
// missing, mistyped or beyond the caps below is an error naming what, never
// an exception. Label strings are capped; values are doubles (NaN kept).

#include "model/memory_error.h"

#include <QByteArrayView>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace flight::fleet {

struct PromSample {
    std::int64_t timeMs = 0;
    double value = 0;
};

struct PromSeries {
    std::map<std::string, std::string> labels; // __name__ included when Prometheus gives it
    std::vector<PromSample> samples;           // one for an instant vector, in time order for a matrix
    std::string label(const std::string& name) const;
};

struct PromResponseLimits {
    std::size_t maxSeries = 200'000;
    std::size_t maxSamplesPerSeries = 20'000; // Prometheus itself answers at most 11,000 points
    std::size_t maxLabels = 64;
    std::size_t maxLabelBytes = 1024;         // longer names or values are cut
};

// `body` as the data of a successful query: a vector, a matrix or a scalar
// (a one-sample series without labels). An answer with "status":"error"
// fails with its errorType and error text.
Result<std::vector<PromSeries>> parsePrometheusResponse(QByteArrayView body, const PromResponseLimits& limits = {});

} // namespace flight::fleet
