// SPDX-License-Identifier: MIT
#include "command_line.h"

#include "command_arguments.h"
#include "input_loading.h"

#include "fleet/prometheus_client.h"
#include "live/v8/v8_discovery.h"

#include <QRegularExpression>
#include <QUrl>

#include <cstring>

namespace flight::app {

void describeGuiOptions(QCommandLineParser& parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "Inspect the memory of live V6R and Flight-Core sessions and their recordings.\n\n"
        "Subcommands (each has --help):\n"
        "  (none)       open the window\n"
        "  report       report on recordings (json, html, pdf, md, csv) or draw a chart, headless\n"
        "  check        check recordings against a platform's budgets (CI gate)\n"
        "  diff         compare two recordings per session and purpose, fail on peak growth\n"
        "  capture      record a live session to a file, headless\n"
        "  convert      convert a recording between JSON Lines and format 2 (.fmr)"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("screenshot"),
                      QStringLiteral("Render the window to a PNG FILE and exit (needs no display)."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("size"), QStringLiteral("Window size for --screenshot, e.g. 1280x800."),
                      QStringLiteral("WxH"), QStringLiteral("1280x800")});
    parser.addOption({QStringLiteral("view"), QStringLiteral("The view to show first: timeline, statistics, events, allocations, budgets, compare or report."),
                      QStringLiteral("VIEW"), QStringLiteral("timeline")});
    parser.addOption({QStringLiteral("connect"), QStringLiteral("Connect to a live session on start (ws:// or wss://)."),
                      QStringLiteral("URL")});
    parser.addOption({QStringLiteral("token-file"), QStringLiteral("Bearer token for --connect, read from FILE."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("demo"), QStringLiteral("Start the live demo (a local demo agent) on start.")});
    parser.addOption({QStringLiteral("v8"),
                      QStringLiteral("Watch a V8 inspector port on start (node --inspect=127.0.0.1:9229, Chromium's "
                                     "--remote-debugging-port): loopback HOST:PORT, through a local agent."),
                      QStringLiteral("HOST:PORT")});
    parser.addOption({QStringLiteral("prometheus"),
                      QStringLiteral("Show the Fleet view of the Prometheus at URL (every VM its agents expose; "
                                     "docs/fleet.md)."),
                      QStringLiteral("URL")});
    parser.addOption({QStringLiteral("prometheus-token-file"),
                      QStringLiteral("Bearer token for --prometheus, read from FILE (one line)."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("at-preview"),
                      QStringLiteral("With --screenshot: grab the window at the first preview of a long load (still loading), not once loaded.")});
    parser.addOption({QStringLiteral("wait"), QStringLiteral("With --screenshot and a live session: gather data for MS first."),
                      QStringLiteral("MS"), QStringLiteral("4000")});
    parser.addOption({QStringLiteral("appearance"),
                      QStringLiteral("system, light or dark, for this run (Edit › Preferences keeps a choice)."),
                      QStringLiteral("LOOK")});
    parser.addOption({QStringLiteral("units"),
                      QStringLiteral("Sizes in binary (MiB), decimal (MB) or protocol (MB of 1024) units, for this run."),
                      QStringLiteral("UNITS")});
    addRulesOption(parser);
    parser.addPositionalArgument(QStringLiteral("recordings"), QStringLiteral("Recordings to open."),
                                 QStringLiteral("[FILE...]"));
}

Result<GuiOptions> readGuiOptions(const QCommandLineParser& parser)
{
    GuiOptions o;
    o.files = parser.positionalArguments();
    o.screenshotPath = parser.value(QStringLiteral("screenshot"));
    o.rulesFile = rulesFile(parser);
    o.view = parser.value(QStringLiteral("view"));
    o.connectUrl = parser.value(QStringLiteral("connect"));
    o.tokenFile = parser.value(QStringLiteral("token-file"));
    o.demo = parser.isSet(QStringLiteral("demo"));
    o.v8 = parser.value(QStringLiteral("v8"));
    if (!o.v8.isEmpty()) {
        if (const auto endpoint = live::parseV8Endpoint(o.v8, false); !endpoint || !endpoint->directUrl.isEmpty())
            return badArgument(QStringLiteral("--v8 needs a loopback HOST:PORT, e.g. 127.0.0.1:9229, got \"%1\"%2")
                                   .arg(o.v8, endpoint ? QString() : QStringLiteral(": ") + QString::fromStdString(endpoint.error().message)));
    }
    if (parser.isSet(QStringLiteral("prometheus"))) {
        const auto url = fleet::PrometheusClient::parseUrl(parser.value(QStringLiteral("prometheus")));
        if (!url)
            return badArgument(QStringLiteral("--prometheus: ") + QString::fromStdString(url.error().message));
        o.prometheus = *url;
    }
    o.prometheusTokenFile = parser.value(QStringLiteral("prometheus-token-file"));
    if (!o.prometheusTokenFile.isEmpty() && o.prometheus.isEmpty())
        return badArgument(QStringLiteral("--prometheus-token-file goes with --prometheus URL"));
    o.atPreview = parser.isSet(QStringLiteral("at-preview"));
    bool waitOk = false;
    o.settleMs = parser.value(QStringLiteral("wait")).toInt(&waitOk);
    if (!waitOk || o.settleMs < 0)
        return badArgument(QStringLiteral("--wait must be a number of milliseconds, got \"%1\"").arg(parser.value(QStringLiteral("wait"))));
    if (!QStringList{QStringLiteral("timeline"), QStringLiteral("statistics"), QStringLiteral("events"), QStringLiteral("allocations"), QStringLiteral("budgets"), QStringLiteral("compare"), QStringLiteral("report")}.contains(o.view))
        return badArgument(QStringLiteral("--view must be timeline, statistics, events, allocations, budgets, compare or report, got \"%1\"").arg(o.view));
    o.appearance = parser.value(QStringLiteral("appearance"));
    if (!o.appearance.isEmpty() && !QStringList{QStringLiteral("system"), QStringLiteral("light"), QStringLiteral("dark")}.contains(o.appearance))
        return badArgument(QStringLiteral("--appearance must be system, light or dark, got \"%1\"").arg(o.appearance));
    o.units = parser.value(QStringLiteral("units"));
    if (!o.units.isEmpty() && !QStringList{QStringLiteral("binary"), QStringLiteral("decimal"), QStringLiteral("protocol")}.contains(o.units))
        return badArgument(QStringLiteral("--units must be binary, decimal or protocol, got \"%1\"").arg(o.units));
    static const QRegularExpression sizeRe(QStringLiteral("^(\\d{2,5})x(\\d{2,5})$"));
    const auto m = sizeRe.match(parser.value(QStringLiteral("size")));
    if (!m.hasMatch())
        return badArgument(QStringLiteral("--size must look like 1280x800, got \"%1\"").arg(parser.value(QStringLiteral("size"))));
    o.size = QSize(m.captured(1).toInt(), m.captured(2).toInt());
    if (!o.connectUrl.isEmpty()) {
        const QUrl url(o.connectUrl);
        if (!url.isValid() || (url.scheme() != QStringLiteral("ws") && url.scheme() != QStringLiteral("wss")))
            return badArgument(QStringLiteral("--connect needs a ws:// or wss:// URL, got \"%1\"").arg(o.connectUrl));
    }
    return o;
}

namespace {
bool hasArg(int argc, char** argv, std::initializer_list<const char*> names)
{
    for (int i = 1; i < argc; ++i)
        for (const char* n : names)
            if (std::strcmp(argv[i], n) == 0 || (std::strncmp(argv[i], n, std::strlen(n)) == 0 && argv[i][std::strlen(n)] == '='))
                return true;
    return false;
}
} // namespace

bool wantsHelpOrVersion(int argc, char** argv)
{
    return hasArg(argc, argv, {"-h", "--help", "-?", "--help-all", "-v", "--version"});
}

bool wantsScreenshot(int argc, char** argv)
{
    return hasArg(argc, argv, {"--screenshot"});
}

} // namespace flight::app
