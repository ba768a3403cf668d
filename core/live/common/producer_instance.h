// SPDX-License-Identifier: MIT
#pragma once
// The producer instance id (protocol.md section 1, extension `instance`): a
// random string a server makes when it starts and sends in its `hello`. A
// client that sees a different one after reconnecting knows the producer
// restarted, so the `seq` numbers it holds belong to a stream that is gone
// (a restarted agent numbers every session from 1 again). Clients and servers
// that do not know the field ignore it.

#include <optional>
#include <string>
#include <string_view>

namespace flight::live {

// 16 lower-case hex digits from the system's random source.
std::string newProducerInstance();

// `helloJson` (a canonical hello object) with "instance":"<instance>" added
// before its closing brace; unchanged when `instance` is empty.
std::string helloWithInstance(std::string helloJson, std::string_view instance);

// The "instance" string of a hello frame; nullopt when it has none (or the
// frame is not a JSON object).
std::optional<std::string> helloInstance(std::string_view helloFrame);

} // namespace flight::live
