// SPDX-License-Identifier: MIT
#include "live/sources/agent_source.h"

namespace flight::live {

AgentSource::~AgentSource() = default;

} // namespace flight::live
