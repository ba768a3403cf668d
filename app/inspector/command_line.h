// SPDX-License-Identifier: MIT
#pragma once
// The window's command line: one definition used for --help, parsing and tests.

#include "model/memory_error.h"

#include <QCommandLineParser>
#include <QSize>
#include <QUrl>
#include <QStringList>


namespace flight::app {

struct GuiOptions {
    QStringList files;              // recordings to open on start
    QString screenshotPath;         // --screenshot FILE: render, save, exit
    QSize size{1280, 800};          // --size WxH
    QString view;                   // --view timeline|statistics|events|allocations|budgets|compare|report
    QString connectUrl;             // --connect URL
    QString tokenFile;              // --token-file F (for --connect)
    bool demo = false;              // --demo
    QString v8;                     // --v8 HOST:PORT
    QUrl prometheus;                // --prometheus URL: the Fleet view of that Prometheus
    QString prometheusTokenFile;    // --prometheus-token-file F (bearer token for --prometheus)
    int settleMs = 4000;            // --wait MS: live data to gather before --screenshot
    QString appearance;             // --appearance system|light|dark: this run only, empty = Preferences
    QString units;                  // --units binary|decimal|protocol: this run only, empty = Preferences
    QString rulesFile;              // --rules FILE: purpose rules for heaptrack and massif files
    bool atPreview = false;         // --at-preview: with --screenshot, grab the first preview of a long load
};

void describeGuiOptions(QCommandLineParser& parser);
// Reads the parsed options; an error (MalformedInput) names the bad option.
Result<GuiOptions> readGuiOptions(const QCommandLineParser& parser);
// True when argv asks only for --help or --version: answered without a display.
bool wantsHelpOrVersion(int argc, char** argv);
// True when argv asks for --screenshot, which needs no display either.
bool wantsScreenshot(int argc, char** argv);

} // namespace flight::app
