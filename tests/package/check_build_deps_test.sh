#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/check-build-deps on this build tree: it passes with the list as it is,
# and fails naming the package (and a file it provides) when a needed line is
# removed from a copy of packaging/debian-build-deps.txt: the configure step's
# Qt6OpenGL config (libqt6opengl6-dev), the compiler's zstd.h (libzstd-dev) and
# cpack's `file`; and when a library the installed inspector loads
# (libsimdjson14) is removed from a copy of the .deb's Depends.
# Usage: check_build_deps_test.sh CHECK_SCRIPT BUILD_DIR DEPS_LIST CPACK
set -euo pipefail
check=$1 build=$2 list=$3 cpack=$4

fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The .deb once, for every run below (cpack only runs the install step).
"$cpack" --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1 \
  || { cat "$work/cpack.log"; fail "cpack -G DEB failed"; }
deb=$(ls "$work"/out/*.deb)

# 1. The list as it is: build, tools and runtime all pass.
"$check" --deps "$list" --build-dir "$build" --deb "$deb" >"$work/full.log" 2>&1 \
  || { cat "$work/full.log"; fail "check-build-deps failed with the full list"; }
grep -E '^(build|tools|runtime): .*: OK$' "$work/full.log" | tee "$work/ok"
[ "$(wc -l <"$work/ok")" -eq 3 ] || { cat "$work/full.log"; fail "not all of build, tools and runtime passed"; }

# 2. One needed line removed: exit 1, naming the package and a file it provides.
without() { # PACKAGE PART FILE
  local pkg=$1 part=$2 file=$3 rc=0
  grep -vx "$pkg" "$list" >"$work/list-$pkg"
  [ "$(wc -l <"$work/list-$pkg")" -eq $(( $(wc -l <"$list") - 1 )) ] || fail "$pkg is not one line of $list"
  "$check" --no-runtime --deps "$work/list-$pkg" --build-dir "$build" >"$work/without-$pkg.log" 2>&1 || rc=$?
  [ "$rc" -eq 1 ] || { cat "$work/without-$pkg.log"; fail "without $pkg: exit $rc, expected 1"; }
  grep -q "^FAIL ($part): package $pkg is not in the closure of" "$work/without-$pkg.log" \
    || { cat "$work/without-$pkg.log"; fail "without $pkg: the $part part does not name $pkg"; }
  grep -q "^    [^ ]*$file  \[" "$work/without-$pkg.log" \
    || { cat "$work/without-$pkg.log"; fail "without $pkg: no file $file named"; }
  echo "without $pkg: fails, naming $pkg and $(grep -m1 -o "^    [^ ]*$file" "$work/without-$pkg.log" | tr -d ' ')"
}
without libqt6opengl6-dev build /Qt6OpenGLConfig.cmake
without libzstd-dev build /usr/include/zstd.h
without file tools /usr/bin/file

# 3. The .deb without libsimdjson14 in its Depends: the runtime part fails.
#    (Not a Qt library: those are also reached through Qt's -abi virtual packages.)
dpkg-deb -R "$deb" "$work/pkg"
grep -q '^Depends:.*libsimdjson14' "$work/pkg/DEBIAN/control" || fail "the .deb does not depend on libsimdjson14"
sed -i -E '/^Depends:/ s/, libsimdjson14( \([^)]*\))?//' "$work/pkg/DEBIAN/control"
grep -q '^Depends:.*libsimdjson14' "$work/pkg/DEBIAN/control" && fail "could not remove libsimdjson14"
dpkg-deb --root-owner-group -b "$work/pkg" "$work/cut.deb" >/dev/null
rc=0
"$check" --deps "$list" --build-dir "$build" --deb "$work/cut.deb" >"$work/cut.log" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat "$work/cut.log"; fail "a .deb without libsimdjson14: exit $rc, expected 1"; }
grep -q '^FAIL (runtime): package libsimdjson14 is not in the closure of' "$work/cut.log" \
  && grep -q '^    [^ ]*/libsimdjson\.so\.14' "$work/cut.log" \
  || { cat "$work/cut.log"; fail "the runtime part does not name libsimdjson14 and libsimdjson.so.14"; }
echo "a .deb without libsimdjson14: fails, naming it and $(grep -m1 -o '^    [^ ]*/libsimdjson\.so\.14[^ ]*' "$work/cut.log" | tr -d ' ')"
echo "PASS"
