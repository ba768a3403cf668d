# SPDX-License-Identifier: MIT
file(READ "${IN}" content HEX)
string(LENGTH "${content}" hexlen)
math(EXPR len "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE "${OUT}" "// Generated from ${IN}; edit that file instead.\n#include <string_view>\nnamespace flight::embedded {\nstatic const unsigned char data[] = {${bytes} 0};\nextern const std::string_view ${SYMBOL};\nconst std::string_view ${SYMBOL}{reinterpret_cast<const char*>(data), ${len}};\n}\n")
