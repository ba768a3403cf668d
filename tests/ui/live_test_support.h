// SPDX-License-Identifier: MIT
#pragma once
// What the window tests on live sessions share: waiting on the event loop for
// a condition, and a real agent on loopback serving demo sessions.

#include "live/agent_server.h"
#include "live/source_spec.h"

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>

#include <functional>
#include <initializer_list>
#include <memory>

namespace flight::test {

// Runs the event loop until `done` or `ms` pass; returns `done()`.
inline bool waitFor(const std::function<bool()>& done, int ms)
{
    QDeadlineTimer deadline(ms);
    while (!done() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return done();
}

// An agent listening on loopback with one demo session per spec ("demo:psp"), each at
// `rate` messages a second; null (and a test failure) when it cannot start.
inline std::unique_ptr<live::AgentServer> startDemoAgent(std::initializer_list<const char*> specs, double rate)
{
    auto server = std::make_unique<live::AgentServer>(live::AgentServerOptions{});
    for (const char* spec : specs) {
        auto sources = live::makeSources(QString::fromLatin1(spec), live::SourceSettings{rate});
        if (!sources) {
            ADD_FAILURE() << sources.error().message;
            return nullptr;
        }
        for (auto& s : *sources)
            server->addSource(std::move(s));
    }
    if (const auto port = server->listen(); !port) {
        ADD_FAILURE() << port.error().message;
        return nullptr;
    }
    return server;
}

} // namespace flight::test
