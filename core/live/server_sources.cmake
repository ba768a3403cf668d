# SPDX-License-Identifier: MIT
# The agent's server side of live sessions (flight-agent serve): AgentServer and its sources.
target_sources(flightcore PRIVATE
  live/agent_source.h live/agent_source.cpp
  live/message_rewrite.h live/message_rewrite.cpp
  live/http_request_head.h live/http_request_head.cpp
  live/bearer_token.h live/bearer_token.cpp
  live/origin_policy.h live/origin_policy.cpp
  live/token_strength.h live/token_strength.cpp
  live/handshake_throttle.h live/handshake_throttle.cpp
  live/agent_listener.h live/agent_listener.cpp live/tcp_listen.h
  live/token_bucket.h live/token_bucket.cpp
  live/agent_server.h live/agent_server_impl.h live/agent_server.cpp
  live/agent_server_subscription.cpp live/agent_server_fanout.cpp
  live/memory_sample.h live/memory_sample.cpp
  live/psi_pressure.h live/psi_pressure.cpp
  live/proc_file.h live/proc_file.cpp
  live/process_memory_sampler.h live/process_memory_sampler.cpp
  live/cgroup_memory_sampler.h live/cgroup_memory_sampler.cpp
  live/demo_source.h live/demo_source.cpp
  live/replay_source.h live/replay_source.cpp
  live/sampling_source.h live/sampling_source.cpp
  live/process_source.h live/process_source.cpp
  live/cgroup_source.h live/cgroup_source.cpp
  live/cdp_client.h live/cdp_client.cpp
  live/v8_discovery.h live/v8_discovery.cpp
  live/v8_heap_mapping.h live/v8_heap_mapping.cpp
  live/v8_allocation_sampler.h live/v8_allocation_sampler.cpp
  live/v8_target_session.h live/v8_target_session.cpp
  live/v8_target_session_impl.h live/v8_target_sampling.cpp
  live/v8_source.h live/v8_source.cpp
  live/source_spec.h live/source_spec.cpp
  live/tracer_wire.h live/trace_ledger.h live/trace_ledger.cpp live/address_ranges.h live/address_ranges.cpp
  live/tracer_source.h live/tracer_source.cpp
  live/metrics_exposition.h live/metrics_exposition.cpp
  live/metrics_collector.h live/metrics_collector.cpp
  live/metrics_listener.h live/metrics_listener.cpp
)
target_link_libraries(flightcore PUBLIC Qt6::Network Qt6::WebSockets)
