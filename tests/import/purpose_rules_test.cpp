// SPDX-License-Identifier: MIT
// Purpose rules (core/import/purpose_rules.h): the file format, first match
// wins, each condition, and errors that name the line.
#include "import/purpose_rules.h"

#include "scratch_files.h"

#include <gtest/gtest.h>

#include <array>

using namespace flight;
using namespace flight::import;

namespace {

PurposeRules parsed(std::string_view text)
{
    auto r = PurposeRules::parse(text, "test.rules");
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? std::move(*r) : PurposeRules{};
}

} // namespace

TEST(PurposeRules, GlobMatchesRunsAndSingleBytes)
{
    EXPECT_TRUE(globMatch("libz.so*", "libz.so.1.2.13"));
    EXPECT_FALSE(globMatch("libz.so*", "libzstd.so.1"));
    EXPECT_TRUE(globMatch("AssetCache::*", "AssetCache::load(unsigned long)"));
    EXPECT_FALSE(globMatch("AssetCache::*", "NotAssetCache::load()"));
    EXPECT_TRUE(globMatch("lib?.so", "libz.so"));
    EXPECT_TRUE(globMatch("*", ""));
    EXPECT_FALSE(globMatch("a*b*c", "aXbXd"));
    EXPECT_TRUE(globMatch("*a*a*a*a*b", std::string(40, 'a') + "b")); // no exponential backtracking
}

TEST(PurposeRules, FirstMatchWinsAndUnmatchedIsUnclassified)
{
    const PurposeRules rules = parsed("# game rules\n"
                                      "module=libz.so*  -> network-buffers\n"
                                      "function=AssetCache::* -> asset-cache\n"
                                      "function=/^Texture(Pool|Atlas)::/ size=64K.. -> textures\n"
                                      "size=..64 -> temporary\n");
    EXPECT_EQ(rules.size(), 4u);
    const std::array<StackFrame, 3> inflate{{{"/usr/lib/libc.so.6", "malloc"},
                                             {"/lib/x86_64-linux-gnu/libz.so.1", "inflateInit2_"},
                                             {"/opt/game/game", "AssetCache::load(int)"}}};
    // The allocating module is libz (malloc skipped): rule 1 wins over rule 2.
    EXPECT_EQ(rules.classify(inflate, 32).name(), "network-buffers");
    const std::array<StackFrame, 2> asset{{{"/opt/game/game", "AssetCache::load(int)"}, {"/opt/game/game", "main"}}};
    EXPECT_EQ(rules.classify(asset, 1'000'000).name(), "asset-cache");
    const std::array<StackFrame, 2> texture{{{"/opt/game/game", "TextureAtlas::grow()"}, {"/opt/game/game", "main"}}};
    EXPECT_EQ(rules.classify(texture, 65536).name(), "textures");      // 64K is inclusive
    EXPECT_EQ(rules.classify(texture, 65535).name(), "unclassified");  // below the range, and not <= 64
    EXPECT_EQ(rules.classify(texture, 64).name(), "temporary");
    EXPECT_EQ(rules.classify({}, 65).name(), "unclassified");
    EXPECT_TRUE(rules.classify({}, 65).isCustom());
}

TEST(PurposeRules, ModuleGlobWithASlashMatchesThePath)
{
    const PurposeRules rules = parsed("module=/opt/game/* -> vm-heap\nmodule=game -> jit-code-cache\n");
    const std::array<StackFrame, 1> f{{{"/opt/game/game", "main"}}};
    EXPECT_EQ(rules.classify(f, 10).name(), "vm-heap");
    const std::array<StackFrame, 1> g{{{"/usr/bin/game", "main"}}};
    EXPECT_EQ(rules.classify(g, 10).name(), "jit-code-cache"); // the file name
}

TEST(PurposeRules, OperatorNewDoesNotHideTheAllocatingModule)
{
    const PurposeRules rules = parsed("module=libstdc++.so* -> system-reserved\nmodule=libgame.so -> asset-cache\n");
    const std::array<StackFrame, 2> f{{{"/usr/lib/libstdc++.so.6", "operator new(unsigned long)"},
                                       {"/opt/libgame.so", "Level::load()"}}};
    EXPECT_EQ(rules.classify(f, 100).name(), "asset-cache");
}

TEST(PurposeRules, QuotedValuesHoldSpaces)
{
    const PurposeRules rules = parsed("function=\"f(unsigned long, int)\" size=1..1K -> temporary\n");
    const std::array<StackFrame, 1> f{{{"", "f(unsigned long, int)"}}};
    EXPECT_EQ(rules.classify(f, 1024).name(), "temporary");
    EXPECT_EQ(rules.classify(f, 1025).name(), "unclassified");
    EXPECT_EQ(rules.classify(f, 0).name(), "unclassified");
}

TEST(PurposeRules, ErrorsNameTheLineAndWhy)
{
    auto expectError = [](std::string_view text, std::string_view expected) {
        const auto r = PurposeRules::parse(text, "game.rules");
        ASSERT_FALSE(r.has_value()) << text;
        EXPECT_EQ(r.error().message, expected);
        EXPECT_EQ(r.error().code, MemoryErrorCode::MalformedInput);
    };
    expectError("# ok\nmodul=libz* -> vm-heap\n",
                "game.rules line 2: unknown condition \"modul\" (module=, function= or size=)");
    expectError("module=libz*\n", "game.rules line 1: no \"-> purpose\" at the end of the rule");
    expectError("\n\nsize=9..3 -> temporary\n",
                "game.rules line 3: size range \"9..3\" is empty (minimum above maximum)");
    expectError("size=1X.. -> temporary", "game.rules line 1: not a size: \"1X\"");
    expectError("-> temporary", "game.rules line 1: a rule needs at least one condition (module=, function= or size=)");
    const auto regex = PurposeRules::parse("function=/(unclosed/ -> temporary", "game.rules");
    ASSERT_FALSE(regex.has_value());
    EXPECT_TRUE(regex.error().message.starts_with("game.rules line 1: bad regular expression \"/(unclosed/\": "))
        << regex.error().message;
    expectError("function=\"open -> temporary", "game.rules line 1: unterminated quote in function=");
}

TEST(PurposeRules, ReadFileRefusesAMissingFileWithItsName)
{
    const auto r = PurposeRules::readFile("/nonexistent/game.rules");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, MemoryErrorCode::IoError);
    EXPECT_NE(r.error().message.find("/nonexistent/game.rules"), std::string::npos);
    test::ScratchDir dir("purpose-rules");
    ASSERT_TRUE(test::writeFile(dir / "a.rules", "size=..64 -> temporary\n"));
    const auto ok = PurposeRules::readFile((dir / "a.rules").string());
    ASSERT_TRUE(ok.has_value());
    EXPECT_EQ(ok->size(), 1u);
    EXPECT_FALSE(ok->needsStack());
}
