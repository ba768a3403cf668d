// SPDX-License-Identifier: MIT
#pragma once
// How the session model keeps one allocation: 32 bytes, no heap of its own.
// The id text lives in the model's arena (idOffset/idLen); the id's hash is not
// stored (the id table keeps 7 bits of it per slot and recomputes it from the
// text when it grows).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <type_traits>
#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace flight {

struct AllocationRecord {
    static constexpr std::int64_t kLive = std::numeric_limits<std::int64_t>::max();

    std::uint64_t bytes = 0;
    std::int64_t allocatedAt = 0;
    std::int64_t freedAt = kLive;   // kLive while live (a known future free is stored as is)
    std::uint32_t idOffset = 0;
    std::uint16_t idLen = 0;        // ids above 65535 bytes keep their first 65535
    std::uint16_t purpose = 0;      // MemoryPurpose::id()

    bool liveAt(std::int64_t t) const { return allocatedAt <= t && freedAt > t; }
};
static_assert(sizeof(AllocationRecord) == 32);

// A contiguous array of trivially copyable T that grows by 1/8 of its size
// (so at most ~12.5 % is slack, against up to 100 % for std::vector). Large
// blocks are anonymous mappings grown with mremap on Linux, which moves pages
// instead of copying them, so the small growth step costs no copying;
// elsewhere (and for small sizes) realloc. From 4 MiB on, a block starts on
// a 2 MiB boundary, is sized in whole 2 MiB and asks for transparent huge
// pages.
template <typename T>
class GrowArray {
    static_assert(std::is_trivially_copyable_v<T>);

public:
    GrowArray() = default;
    ~GrowArray() { release(); }
    GrowArray(GrowArray&& o) noexcept { take(o); }
    GrowArray& operator=(GrowArray&& o) noexcept
    {
        if (this != &o) {
            release();
            take(o);
        }
        return *this;
    }
    // A copy holds just the elements (capacity about its size): SessionModel::clone.
    GrowArray(const GrowArray& o) { append(o.m_data, o.m_size); }
    GrowArray& operator=(const GrowArray& o)
    {
        if (this != &o)
            *this = GrowArray(o);
        return *this;
    }

    std::size_t size() const { return m_size; }
    std::size_t capacity() const { return m_capacity; }
    bool empty() const { return m_size == 0; }
    T* data() { return m_data; }
    const T* data() const { return m_data; }
    T& operator[](std::size_t i) { return m_data[i]; }
    const T& operator[](std::size_t i) const { return m_data[i]; }
    T* begin() { return m_data; }
    T* end() { return m_data + m_size; }
    const T* begin() const { return m_data; }
    const T* end() const { return m_data + m_size; }
    T& back() { return m_data[m_size - 1]; }
    const T& back() const { return m_data[m_size - 1]; }

    void push_back(const T& v)
    {
        if (m_size == m_capacity)
            grow(m_size + 1);
        std::memcpy(static_cast<void*>(m_data + m_size), &v, sizeof(T));
        ++m_size;
    }

    void append(const T* p, std::size_t n)
    {
        if (m_size + n > m_capacity)
            grow(m_size + n);
        copy(m_data + m_size, p, n * sizeof(T));
        m_size += n;
    }

    // Keeps the first n elements (n <= size()) and the capacity: compacting in place.
    void truncate(std::size_t n) { m_size = n < m_size ? n : m_size; }

    void reserve(std::size_t n)
    {
        if (n > m_capacity)
            resizeStorage(n);
    }

private:
    // memcpy, with the short copies (an id text: ~8-16 bytes, one per
    // allocation loaded) done in place as two loads and two stores that may
    // overlap, reading and writing only the n bytes: no call.
    static void copy(void* to, const void* from, std::size_t n)
    {
        auto* d = static_cast<unsigned char*>(to);
        const auto* s = static_cast<const unsigned char*>(from);
        const auto two = [&]<typename W>(W) {
            W a, b;
            std::memcpy(&a, s, sizeof(W));
            std::memcpy(&b, s + n - sizeof(W), sizeof(W));
            std::memcpy(d, &a, sizeof(W));
            std::memcpy(d + n - sizeof(W), &b, sizeof(W));
        };
        if (n >= 8 && n <= 16)
            two(std::uint64_t{});
        else if (n >= 4 && n < 8)
            two(std::uint32_t{});
        else if (n > 16)
            std::memcpy(d, s, n);
        else
            for (std::size_t i = 0; i < n; ++i)
                d[i] = s[i];
    }

    static constexpr std::size_t kMapBytes = std::size_t{1} << 20; // map blocks from 1 MiB
    static constexpr std::size_t kPage = 4096;
    static constexpr std::size_t kHugePage = std::size_t{2} << 20;
    static constexpr std::size_t kHugeFrom = std::size_t{4} << 20;

    void grow(std::size_t need)
    {
        std::size_t n = m_capacity < 64 ? 64 : m_capacity + m_capacity / 8;
        // A huge block grows by whole 2 MiB (roundBytes rounds up): the 1/8
        // rounded down to them, so the slack stays within 1/8.
        if (n * sizeof(T) >= kHugeFrom)
            n = n * sizeof(T) / kHugePage * kHugePage / sizeof(T);
        if (n < need)
            n = need;
        resizeStorage(n);
    }

    static std::size_t roundBytes(std::size_t bytes)
    {
        if (bytes >= kHugeFrom)
            return (bytes + kHugePage - 1) / kHugePage * kHugePage;
        return bytes >= kMapBytes ? (bytes + kPage - 1) / kPage * kPage : bytes;
    }

    void resizeStorage(std::size_t n)
    {
        std::size_t bytes = roundBytes(n * sizeof(T));
#if defined(__linux__)
        if (bytes >= kHugeFrom && bytes > m_bytes) {
            resizeHuge(bytes);
            return;
        }
        if (bytes >= kMapBytes) {
            void* p = nullptr;
            if (m_mapped) {
                p = ::mremap(m_data, m_bytes, bytes, MREMAP_MAYMOVE);
                if (p != MAP_FAILED && bytes > m_bytes)
                    populate(static_cast<char*>(p) + m_bytes, bytes - m_bytes);
            } else {
                p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
                if (p != MAP_FAILED)
                    populate(p, bytes);
                if (p != MAP_FAILED && m_size > 0)
                    std::memcpy(p, m_data, m_size * sizeof(T));
                if (p != MAP_FAILED)
                    std::free(m_data);
            }
            if (p == MAP_FAILED)
                throw std::bad_alloc();
            m_data = static_cast<T*>(p);
            m_mapped = true;
            m_bytes = bytes;
            m_capacity = bytes / sizeof(T);
            return;
        }
#endif
        void* p = std::realloc(static_cast<void*>(m_data), bytes);
        if (!p)
            throw std::bad_alloc();
        m_data = static_cast<T*>(p);
        m_bytes = bytes;
        m_capacity = bytes / sizeof(T);
    }

#if defined(__linux__)
    // Growing a block of 4 MiB or more: a new 2 MiB-aligned place asking for
    // huge pages, the pages held so far moved there (mremap), the rest made
    // present. Why: a 4 KiB page costs its first access a fault or, under
    // shadow paging, a hypervisor exit (measured 8 us a page on the
    // benchmark VM: a quarter of a format-2 load); a huge page costs one for
    // 512 and takes one TLB entry. Sizes in whole 2 MiB keep every stretch
    // huge across growth (a partial end would stay 4 KiB pages); mremap would
    // not keep the alignment, so the place is made explicitly. All hints:
    // without THP, 4 KiB pages as before.
    void resizeHuge(std::size_t bytes)
    {
        void* raw = ::mmap(nullptr, bytes + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (raw == MAP_FAILED)
            throw std::bad_alloc();
        const auto start = reinterpret_cast<std::uintptr_t>(raw);
        const std::uintptr_t aligned = (start + kHugePage - 1) / kHugePage * kHugePage;
        if (aligned > start)
            ::munmap(raw, aligned - start);
        if (const std::uintptr_t end = start + bytes + kHugePage; end > aligned + bytes)
            ::munmap(reinterpret_cast<void*>(aligned + bytes), end - aligned - bytes);
        auto* p = reinterpret_cast<char*>(aligned);
#if defined(MADV_HUGEPAGE)
        (void)::madvise(p, bytes, MADV_HUGEPAGE);
#endif
        std::size_t held = 0; // bytes already present at p
        if (m_mapped) {
            if (::mremap(m_data, m_bytes, m_bytes, MREMAP_MAYMOVE | MREMAP_FIXED, p) == MAP_FAILED) {
                ::munmap(p, bytes);
                throw std::bad_alloc();
            }
            held = m_bytes;
        } else {
            populate(p, bytes);
            if (m_size > 0)
                std::memcpy(p, m_data, m_size * sizeof(T));
            std::free(m_data);
            held = bytes;
        }
        if (bytes > held)
            populate(p + held, bytes - held);
        m_data = reinterpret_cast<T*>(p);
        m_mapped = true;
        m_bytes = bytes;
        m_capacity = bytes / sizeof(T);
    }

    // The pages of a new stretch, made present in one call: filling it would
    // otherwise take a page fault per 4 KiB (a model of 50 MiB: ~13,000, a
    // fifth of a format-2 load's applying). The stretch is capacity the
    // model counts already (memoryFootprint). A hint: refusal (kernels before
    // 5.14) is harmless, the pages then fault in as they are written.
    static void populate(void* p, std::size_t bytes)
    {
#if defined(MADV_POPULATE_WRITE)
        (void)::madvise(p, bytes, MADV_POPULATE_WRITE);
#else
        (void)p;
        (void)bytes;
#endif
    }
#endif

    void release()
    {
#if defined(__linux__)
        if (m_mapped) {
            ::munmap(m_data, m_bytes);
            m_data = nullptr;
            return;
        }
#endif
        std::free(m_data);
        m_data = nullptr;
    }

    void take(GrowArray& o)
    {
        m_data = std::exchange(o.m_data, nullptr);
        m_size = std::exchange(o.m_size, 0);
        m_capacity = std::exchange(o.m_capacity, 0);
        m_bytes = std::exchange(o.m_bytes, 0);
        m_mapped = std::exchange(o.m_mapped, false);
    }

    T* m_data = nullptr;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;
    std::size_t m_bytes = 0;
    bool m_mapped = false;
};

} // namespace flight
