/* SPDX-License-Identifier: MIT */
#ifndef FLIGHT_MEMORY_TAG_H
#define FLIGHT_MEMORY_TAG_H
/*
 * Tags from code for `flight-agent run` (docs/native-programs.md, "Tags from
 * code"): allocations made between flight_memory_push_purpose("asset-cache")
 * and the matching flight_memory_pop_purpose() on the same thread count under
 * that purpose (a standard one, or any custom name up to 63 bytes);
 * flight_memory_marker("level 1 loaded") puts a marker on the session.
 *
 * Header only, no dependency, C89 (GNU C) and C++. The calls go to hooks that
 * libflight-preload.so defines; the references are weak, so without the
 * library each call is a load and a branch on a null pointer, nothing else.
 */

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define FLIGHT_MEMORY_WEAK __attribute__((weak))
#define FLIGHT_MEMORY_HAVE_HOOKS 1
#else
#define FLIGHT_MEMORY_WEAK
#define FLIGHT_MEMORY_HAVE_HOOKS 0
#endif

#if defined(__cplusplus) || (defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L)
#define FLIGHT_MEMORY_INLINE static inline
#elif defined(__GNUC__) || defined(__clang__)
#define FLIGHT_MEMORY_INLINE static __inline__
#else
#define FLIGHT_MEMORY_INLINE static
#endif

#if FLIGHT_MEMORY_HAVE_HOOKS
extern void flight_memory_push_purpose_hook(const char* purpose) FLIGHT_MEMORY_WEAK;
extern void flight_memory_pop_purpose_hook(void) FLIGHT_MEMORY_WEAK;
extern void flight_memory_marker_hook(const char* label) FLIGHT_MEMORY_WEAK;
#endif

/* Allocations on this thread count under `purpose` until the matching pop. */
FLIGHT_MEMORY_INLINE void flight_memory_push_purpose(const char* purpose)
{
#if FLIGHT_MEMORY_HAVE_HOOKS
    if (flight_memory_push_purpose_hook)
        flight_memory_push_purpose_hook(purpose);
#else
    (void)purpose;
#endif
}

/* Back to the purpose before the last push on this thread. */
FLIGHT_MEMORY_INLINE void flight_memory_pop_purpose(void)
{
#if FLIGHT_MEMORY_HAVE_HOOKS
    if (flight_memory_pop_purpose_hook)
        flight_memory_pop_purpose_hook();
#endif
}

/* A marker on the session's timeline ("level 1 loaded"; up to 256 bytes). */
FLIGHT_MEMORY_INLINE void flight_memory_marker(const char* label)
{
#if FLIGHT_MEMORY_HAVE_HOOKS
    if (flight_memory_marker_hook)
        flight_memory_marker_hook(label);
#else
    (void)label;
#endif
}

#ifdef __cplusplus
} /* extern "C" */

namespace flight {
/* Tags the allocations of this thread while the scope lives. */
class MemoryPurposeScope {
public:
    explicit MemoryPurposeScope(const char* purpose) { flight_memory_push_purpose(purpose); }
    ~MemoryPurposeScope() { flight_memory_pop_purpose(); }
    MemoryPurposeScope(const MemoryPurposeScope&) = delete;
    MemoryPurposeScope& operator=(const MemoryPurposeScope&) = delete;
};
} /* namespace flight */

#define FLIGHT_MEMORY_CONCAT2(a, b) a##b
#define FLIGHT_MEMORY_CONCAT(a, b) FLIGHT_MEMORY_CONCAT2(a, b)
/* FLIGHT_MEMORY_PURPOSE(asset_cache): the rest of the scope is tagged
 * "asset_cache", which names the standard purpose asset-cache; any other name
 * is a custom purpose as written. */
#define FLIGHT_MEMORY_PURPOSE(name) \
    ::flight::MemoryPurposeScope FLIGHT_MEMORY_CONCAT(flight_memory_purpose_scope_, __LINE__)(#name)
#endif

#endif /* FLIGHT_MEMORY_TAG_H */
