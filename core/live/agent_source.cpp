// SPDX-License-Identifier: MIT
#include "live/agent_source.h"

namespace flight::live {

AgentSource::~AgentSource() = default;

} // namespace flight::live
