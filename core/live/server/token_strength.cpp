// SPDX-License-Identifier: MIT
#include "live/server/token_strength.h"

#include <QRandomGenerator>

#include <bitset>
#include <cmath>

namespace flight::live {

namespace {

bool printable(char c)
{
    return c > 0x20 && c < 0x7f;
}

} // namespace

double estimatedTokenBits(QByteArrayView token)
{
    bool digit = false, lower = false, upper = false, other = false;
    for (const char c : token) {
        if (c >= '0' && c <= '9')
            digit = true;
        else if (c >= 'a' && c <= 'z')
            lower = true;
        else if (c >= 'A' && c <= 'Z')
            upper = true;
        else
            other = true;
    }
    const int alphabet = (digit ? 10 : 0) + (lower ? 26 : 0) + (upper ? 26 : 0) + (other ? 32 : 0);
    return alphabet > 1 ? static_cast<double>(token.size()) * std::log2(alphabet) : 0.0;
}

Result<void> checkTokenStrength(QByteArrayView token)
{
    std::bitset<256> seen;
    for (const char c : token) {
        if (!printable(c))
            return makeError(MemoryErrorCode::MalformedInput,
                             "the token holds a space, control or non-ASCII character (it travels in an HTTP "
                             "header); make one with: flight-agent token FILE");
        seen.set(static_cast<unsigned char>(c));
    }
    const double bits = estimatedTokenBits(token);
    std::string why;
    if (token.size() < kMinTokenLength)
        why = "length " + std::to_string(token.size()) + ", at least " + std::to_string(kMinTokenLength)
            + " characters needed";
    else if (static_cast<int>(seen.count()) < kMinTokenDistinct)
        why = "only " + std::to_string(seen.count()) + " different characters, at least "
            + std::to_string(kMinTokenDistinct) + " needed";
    else if (bits < kMinTokenBits)
        why = "about " + std::to_string(static_cast<int>(bits)) + " bits, at least " + std::to_string(kMinTokenBits)
            + " needed";
    if (why.empty())
        return {};
    return makeError(MemoryErrorCode::MalformedInput,
                     "the token is too weak (" + why
                         + "): anyone who can reach the agent could guess it; make a strong one with: flight-agent "
                           "token FILE (or e.g. openssl rand -hex 16)");
}

QByteArray newBearerToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32*>(bytes.data()),
                                         reinterpret_cast<quint32*>(bytes.data() + bytes.size()));
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace flight::live
