// SPDX-License-Identifier: MIT
#pragma once
// The messages of protocol.md section 3 (and the recording header of section 5)
// as plain C++ values. Strings are std::string_view: in a decoded message they
// point into the decoder's buffers and stay valid until the next decode call on
// the same MessageDecoder (copy what you keep). Timestamps are always Unix
// milliseconds (the decoder converts s/us/ns). No message owns heap memory.

#include "model/memory_error.h"
#include "model/memory_pressure.h"
#include "model/memory_purpose.h"
#include "model/memory_records.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <variant>

namespace flight::protocol {

struct HelloMsg {
    std::string_view protocol;
    std::string_view server;
    friend bool operator==(const HelloMsg&, const HelloMsg&) = default;
};

struct RecordingHeaderMsg {
    std::string_view format;       // "flight-memory-recording/1"
    std::int64_t createdAt = 0;    // ms
    std::string_view source;
    std::string_view application;
    friend bool operator==(const RecordingHeaderMsg&, const RecordingHeaderMsg&) = default;
};

struct SessionStartedMsg {
    std::string_view sessionId;
    std::string_view platform;
    std::string_view label;
    std::optional<std::uint64_t> totalBytes;
    std::optional<MemoryLimits> limits;
    std::int64_t timestamp = 0;
    friend bool operator==(const SessionStartedMsg&, const SessionStartedMsg&) = default;
};

struct SessionEndedMsg {
    std::string_view sessionId;
    std::int64_t timestamp = 0;
    friend bool operator==(const SessionEndedMsg&, const SessionEndedMsg&) = default;
};

struct AllocationMsg {
    std::string_view id;
    std::string_view sessionId;    // from the record, or the top level
    std::uint64_t bytes = 0;
    MemoryPurpose purpose;
    std::int64_t allocatedAt = 0;
    std::optional<std::int64_t> freedAt;
    friend bool operator==(const AllocationMsg&, const AllocationMsg&) = default;
};

struct FreeMsg {
    std::string_view sessionId;
    std::string_view allocationId;
    std::int64_t freedAt = 0;
    friend bool operator==(const FreeMsg&, const FreeMsg&) = default;
};

struct PurposeBytes {
    MemoryPurpose purpose;
    std::uint64_t bytes = 0;
    friend bool operator==(const PurposeBytes&, const PurposeBytes&) = default;
};

struct MemoryUpdateMsg {
    enum class Form : std::uint8_t { Flat, Snapshot };
    Form form = Form::Flat;
    std::string_view sessionId;
    std::int64_t timestamp = 0;
    std::optional<std::uint64_t> usedBytes;      // flat "usage" / snapshot "used"
    std::optional<std::uint64_t> totalBytes;
    std::optional<std::uint64_t> availableBytes; // snapshot form only
    std::optional<double> fragmentationRatio;    // snapshot form only
    std::string_view platform;                   // snapshot form only
    std::optional<MemoryPressure> pressure;      // the producer's own
    bool hasByPurpose = false;
    std::span<const PurposeBytes> byPurpose;     // valid like the strings

    friend bool operator==(const MemoryUpdateMsg& a, const MemoryUpdateMsg& b)
    {
        return a.form == b.form && a.sessionId == b.sessionId && a.timestamp == b.timestamp
            && a.usedBytes == b.usedBytes && a.totalBytes == b.totalBytes
            && a.availableBytes == b.availableBytes && a.fragmentationRatio == b.fragmentationRatio
            && a.platform == b.platform && a.pressure == b.pressure && a.hasByPurpose == b.hasByPurpose
            && std::ranges::equal(a.byPurpose, b.byPurpose);
    }
};

struct LimitsMsg {
    std::string_view sessionId;
    MemoryLimits limits;
    std::int64_t timestamp = 0;    // 0 when the message had none
    friend bool operator==(const LimitsMsg&, const LimitsMsg&) = default;
};

// A memory-error the producer reported: an "error" message or an err envelope.
struct ErrorMsg {
    std::string_view sessionId;
    MemoryErrorCode code = MemoryErrorCode::AllocationFailed;
    std::string_view message;
    std::string_view details;
    std::int64_t timestamp = 0;
    friend bool operator==(const ErrorMsg&, const ErrorMsg&) = default;
};

struct MarkerMsg {
    std::string_view sessionId;
    std::int64_t timestamp = 0;
    std::string_view label;
    friend bool operator==(const MarkerMsg&, const MarkerMsg&) = default;
};

using Payload = std::variant<HelloMsg, RecordingHeaderMsg, SessionStartedMsg, SessionEndedMsg, AllocationMsg,
                             FreeMsg, MemoryUpdateMsg, LimitsMsg, ErrorMsg, MarkerMsg>;

struct Message {
    Payload payload;
    std::optional<std::uint64_t> seq;
    std::optional<std::int64_t> receivedAt;   // ms, added by the recorder

    // The session the message names (empty when none).
    std::string_view sessionId() const
    {
        return std::visit([](const auto& m) -> std::string_view {
            if constexpr (requires { m.sessionId; })
                return m.sessionId;
            else
                return {};
        }, payload);
    }
    template <typename T> const T* as() const { return std::get_if<T>(&payload); }

    friend bool operator==(const Message&, const Message&) = default;
};

// The wire name of a message kind ("allocation", "memory_update", "recording", ...).
std::string_view typeName(const Payload& payload);

} // namespace flight::protocol
