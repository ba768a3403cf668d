# SPDX-License-Identifier: MIT
# Live sessions over WebSocket (protocol.md section 1), one folder a part:
#   client/   the inspector's side: LiveConnection, LiveWorker, LiveSession and the store copies they feed
#   server/   flight-agent serve's WebSocket server: AgentServer, its listener and handshake checks
#   sources/  what the agent serves: AgentSource (the base AgentServer takes), demo, replay, process, cgroup,
#             and the KIND:ARGUMENT spec that makes them
#   sampling/ reading the OS for the process and cgroup sources (/proc, cgroup files, PSI)
#   v8/       the V8 source: Node and Chromium over the DevTools protocol
#   tracer/   the tracer source (flight-agent run): what libflight-preload.so sends (tracer_wire.h, header
#             only: app/preload includes it without linking core) and the traced process's ledger
#   metrics/  the agent's /metrics endpoint for Prometheus
#   common/   what both sides use: message rewriting (the sources and the client's store copies), the
#             producer instance id (made by the server, read by the client), --token-file (the agent
#             and the inspector's commands)
target_sources(flightcore PRIVATE
  # client/
  live/client/connection_state.h live/client/connection_state.cpp
  live/client/backoff_policy.h live/client/backoff_policy.cpp
  live/client/redact_url.h live/client/redact_url.cpp
  live/client/live_connection.h live/client/live_connection.cpp
  live/client/live_snapshot.h
  live/client/snapshot_mailbox.h live/client/snapshot_mailbox.cpp
  live/client/live_session_options.h
  live/client/store_mirror.h live/client/store_mirror.cpp
  live/client/wakeup_pacer.h live/client/wakeup_pacer.cpp
  live/client/live_worker.h live/client/live_worker.cpp
  live/client/live_session.h live/client/live_session.cpp
  # server/
  live/server/http_request_head.h live/server/http_request_head.cpp
  live/server/bearer_token.h live/server/bearer_token.cpp
  live/server/origin_policy.h live/server/origin_policy.cpp
  live/server/token_strength.h live/server/token_strength.cpp
  live/server/handshake_throttle.h live/server/handshake_throttle.cpp
  live/server/agent_listener.h live/server/agent_listener.cpp live/server/tcp_listen.h
  live/server/token_bucket.h live/server/token_bucket.cpp
  live/server/agent_server.h live/server/agent_server_impl.h live/server/agent_fanout_state.h live/server/agent_server.cpp
  live/server/agent_server_subscription.cpp live/server/agent_server_fanout.cpp
  # sources/
  live/sources/agent_source.h live/sources/agent_source.cpp
  live/sources/demo_source.h live/sources/demo_source.cpp
  live/sources/replay_source.h live/sources/replay_source.cpp
  live/sources/sampling_source.h live/sources/sampling_source.cpp
  live/sources/process_source.h live/sources/process_source.cpp
  live/sources/cgroup_source.h live/sources/cgroup_source.cpp
  live/sources/source_spec.h live/sources/source_spec.cpp
  # sampling/
  live/sampling/memory_sample.h live/sampling/memory_sample.cpp
  live/sampling/psi_pressure.h live/sampling/psi_pressure.cpp
  live/sampling/proc_file.h live/sampling/proc_file.cpp
  live/sampling/process_memory_sampler.h live/sampling/process_memory_sampler.cpp
  live/sampling/cgroup_memory_sampler.h live/sampling/cgroup_memory_sampler.cpp
  # v8/
  live/v8/cdp_client.h live/v8/cdp_client.cpp
  live/v8/v8_discovery.h live/v8/v8_discovery.cpp
  live/v8/v8_heap_mapping.h live/v8/v8_heap_mapping.cpp
  live/v8/v8_allocation_sampler.h live/v8/v8_allocation_sampler.cpp
  live/v8/v8_target_session.h live/v8/v8_target_session.cpp
  live/v8/v8_target_session_impl.h live/v8/v8_target_sampling.cpp
  live/v8/v8_source.h live/v8/v8_source.cpp
  # tracer/
  live/tracer/tracer_wire.h
  live/tracer/trace_ledger.h live/tracer/trace_ledger.cpp
  live/tracer/address_ranges.h live/tracer/address_ranges.cpp
  live/tracer/tracer_source.h live/tracer/tracer_source.cpp
  # metrics/
  live/metrics/metrics_exposition.h live/metrics/metrics_exposition.cpp
  live/metrics/metrics_collector.h live/metrics/metrics_collector.cpp
  live/metrics/metrics_listener.h live/metrics/metrics_listener.cpp
  # common/
  live/common/message_rewrite.h live/common/message_rewrite.cpp
  live/common/producer_instance.h live/common/producer_instance.cpp
  live/common/token_file.h live/common/token_file.cpp
)
target_link_libraries(flightcore PUBLIC Qt6::Network Qt6::WebSockets)
