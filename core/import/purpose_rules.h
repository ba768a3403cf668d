// SPDX-License-Identifier: MIT
#pragma once
// Purpose rules: which purpose an imported allocation gets from its stack and
// size (docs/native-programs.md, "Purpose rules"). One rule a line, first
// match wins, no match is the custom purpose `unclassified`:
//
//   # comment
//   module=libz.so*                      -> network-buffers
//   function=AssetCache::*               -> asset-cache
//   function=/^Texture(Pool|Atlas)::/ size=64K.. -> asset-cache
//   size=..64                            -> temporary
//
// A rule holds one to three conditions, all of which must hold: `module`, a
// glob on the allocating module (its file name, or its path when the glob has
// a '/'); `function`, a glob or a /regex/ matching any frame's function;
// `size`, an inclusive byte range MIN..MAX (either side may be empty; K, M, G
// are binary multiples). Values may be double-quoted (spaces inside).

#include "model/memory_error.h"
#include "model/memory_purpose.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace flight::import {

// One frame of an imported stack, innermost first. Either part may be empty
// (a frame with no symbol, a massif frame with source position but no object).
struct StackFrame {
    std::string_view module;   // path or file name of the object
    std::string_view function;
};

// The purpose of bytes no rule classified: shown as its own custom purpose.
MemoryPurpose unclassifiedPurpose();

// Whether `function` is an allocator entry point (malloc, operator new, ...),
// skipped when looking for the allocating module.
bool isAllocatorFunction(std::string_view function);

// The shell glob match used by the rules: '*' any run, '?' one byte, no classes.
bool globMatch(std::string_view pattern, std::string_view text);

class PurposeRules {
public:
    PurposeRules();
    ~PurposeRules();
    PurposeRules(PurposeRules&&) noexcept;
    PurposeRules& operator=(PurposeRules&&) noexcept;

    // Parses the rules text; `source` names it in errors ("rules.txt line 3:
    // unknown condition \"modul\""). An empty text is valid: no rule.
    static Result<PurposeRules> parse(std::string_view text, std::string_view source = "rules");
    // Reads and parses a file (at most 1 MiB).
    static Result<PurposeRules> readFile(const std::string& path);

    std::size_t size() const;
    bool empty() const { return size() == 0; }
    // Whether any rule looks at the stack (else classify ignores `stack`).
    bool needsStack() const;
    // The first matching rule's purpose, or unclassifiedPurpose().
    MemoryPurpose classify(std::span<const StackFrame> stack, std::uint64_t bytes) const;
    // The file the rules came from ("" when parsed from text).
    const std::string& path() const;

private:
    struct Rule;
    std::vector<Rule> m_rules;
    std::string m_path;
};

} // namespace flight::import
