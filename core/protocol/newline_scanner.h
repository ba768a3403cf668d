// SPDX-License-Identifier: MIT
#pragma once
// Finds the '\n's of one chunk 64 bytes at a time: one bit mask per block, so
// each line of a recording costs a bit scan instead of a memchr call (which,
// on ~170-byte lines, was 8 % of a whole load). Reads only inside the chunk.

#include <bit>
#include <cstdint>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace flight::protocol {

class NewlineScanner {
public:
    explicit NewlineScanner(std::string_view chunk)
        : m_block(chunk.data()), m_end(chunk.data() + chunk.size())
    {
        m_mask = maskAt(m_block);
    }

    // The first '\n' at or after `from` (which never moves backwards), or nullptr.
    const char* next(const char* from)
    {
        while (true) {
            while (m_mask != 0) {
                const char* at = m_block + std::countr_zero(m_mask);
                if (at >= from)
                    return at;
                m_mask &= m_mask - 1;
            }
            m_block += 64;
            if (m_block >= m_end)
                return nullptr;
            m_mask = maskAt(m_block);
        }
    }

private:
    std::uint64_t maskAt(const char* p) const
    {
        if (m_end - p < 64) {
            std::uint64_t mask = 0;
            for (int i = 0; p + i < m_end; ++i)
                if (p[i] == '\n')
                    mask |= std::uint64_t{1} << i;
            return mask;
        }
#if defined(__SSE2__)
        const __m128i nl = _mm_set1_epi8('\n');
        std::uint64_t mask = 0;
        for (int i = 0; i < 4; ++i) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
            mask |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl))))
                 << (16 * i);
        }
        return mask;
#else
        std::uint64_t mask = 0;
        for (int i = 0; i < 64; ++i)
            if (p[i] == '\n')
                mask |= std::uint64_t{1} << i;
        return mask;
#endif
    }

    const char* m_block;
    const char* m_end;
    std::uint64_t m_mask = 0;
};

} // namespace flight::protocol
