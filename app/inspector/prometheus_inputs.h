// SPDX-License-Identifier: MIT
#pragma once
// `check --prometheus URL` and `report --prometheus URL`: the sessions a
// Prometheus holds over the last --since, loaded as if from recordings (one
// input per agent, named after its scrape target), so the commands go on
// exactly as with files. docs/fleet.md, "The inspector side".

#include "input_loading.h"

#include <QCommandLineParser>
#include <QString>

namespace flight::app {

// --prometheus URL, --since DURATION, --instance TARGET, --prometheus-token-file FILE.
void addPrometheusOptions(QCommandLineParser& parser);

// Recordings or --prometheus URL, one of the two: whether the sessions come from
// Prometheus, or why not ("not both"; `none` when neither is given).
Result<bool> readsPrometheus(const QCommandLineParser& parser, const QStringList& files, const QString& none);

struct PrometheusInputRequest {
    QString session;  // empty: every session
    QString platform; // empty: every platform
    int maxPoints = 1000;
};

// Fails when the URL, --since or the token file is wrong, Prometheus cannot be
// asked, or it holds nothing that matches (the error says which and what to do).
Result<LoadedInputs> loadPrometheusInputs(const QCommandLineParser& parser, const PrometheusInputRequest& request);

} // namespace flight::app
