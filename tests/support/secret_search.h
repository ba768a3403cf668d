// SPDX-License-Identifier: MIT
#pragma once
// For the token-secrecy tests: an environment that sends every file a child
// GUI writes (settings, caches, recordings) under one temporary home, and a
// search of that home for secrets afterwards.

#include <QByteArray>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace flight::livetest {

// The system environment without a display, offscreen, with HOME and the XDG
// config, data and cache folders inside `home`.
QProcessEnvironment isolatedGuiEnvironment(const QString& home);

// Every file under `dir` (recursively, hidden ones too) whose bytes hold one of
// `secrets`, as "PATH holds SECRET"; paths in `skip` are left out (the token
// file itself). `filesSearched`, when given, receives how many were searched.
QStringList filesHoldingSecrets(const QString& dir, const QList<QByteArray>& secrets, const QStringList& skip = {},
                                int* filesSearched = nullptr);

} // namespace flight::livetest
