// SPDX-License-Identifier: MIT
#include "protocol/decoded_texts.h"

namespace flight::protocol {

void DecodedTexts::clear()
{
    m_messages.clear();
    m_where.clear();
    m_text.clear();
    m_purposes.clear();
}

std::uint32_t DecodedTexts::add(const Message& m)
{
    const auto& u = *m.as<MemoryUpdateMsg>();
    Where w;
    w.session = static_cast<std::uint32_t>(m_text.size());
    m_text.append(u.sessionId);
    w.platform = static_cast<std::uint32_t>(m_text.size());
    m_text.append(u.platform);
    w.purposes = static_cast<std::uint32_t>(m_purposes.size());
    m_purposes.insert(m_purposes.end(), u.byPurpose.begin(), u.byPurpose.end());
    m_messages.push_back(m);
    m_where.push_back(w);
    return static_cast<std::uint32_t>(m_messages.size() - 1);
}

void DecodedTexts::finish()
{
    for (std::size_t i = 0; i < m_messages.size(); ++i) {
        auto& u = std::get<MemoryUpdateMsg>(m_messages[i].payload);
        const Where& w = m_where[i];
        u.sessionId = std::string_view(m_text).substr(w.session, u.sessionId.size());
        u.platform = std::string_view(m_text).substr(w.platform, u.platform.size());
        u.byPurpose = std::span<const PurposeBytes>(m_purposes).subspan(w.purposes, u.byPurpose.size());
    }
}

} // namespace flight::protocol
