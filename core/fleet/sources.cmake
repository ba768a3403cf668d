# SPDX-License-Identifier: MIT
# Reading a fleet's history from Prometheus' HTTP API (docs/fleet.md).
target_sources(flightcore PRIVATE
  fleet/prometheus_response.h fleet/prometheus_response.cpp
  fleet/prometheus_client.h fleet/prometheus_client.cpp
  fleet/prometheus_history.h fleet/prometheus_history.cpp
  fleet/fleet_query.h fleet/fleet_query.cpp
  fleet/agent_reachability.h fleet/agent_reachability.cpp
)
