#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the .deb with CPack, checks its contents and control fields, validates
# the desktop entry, MIME type and AppStream metainfo, and runs the unpacked
# executables: they must find their data through the INSTALLED path
# (<root>/usr/share/flight-inspector), not through the source tree.
# Usage: package_test.sh CPACK BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail
cpack=$1 build=$2 source=$3 version=$4

fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in dpkg-deb dpkg-shlibdeps desktop-file-validate appstreamcli update-mime-database strace; do
  command -v "$tool" >/dev/null || fail "$tool is missing (see packaging/debian-build-deps.txt)"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset FLIGHT_RESOURCES_DIR

# 1. The package, from what is already built (cpack only runs the install step).
#    A separate output folder: a user's `--target package` in the tree is untouched.
"$cpack" --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1 \
  || { cat "$work/cpack.log"; fail "cpack -G DEB failed"; }
deb="$work/out/flight-inspector_${version}_$(dpkg --print-architecture).deb"
[ -f "$deb" ] || { ls -l "$work/out"; fail "no $deb"; }
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

# 2. Control fields.
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = flight-inspector ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)'"
[ "$(field Section)" = devel ] || fail "Section is '$(field Section)'"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
[ -n "$(field Description)" ] || fail "no Description"
depends=$(field Depends)
echo "Depends: $depends"
for lib in libqt6core6 libqt6gui6 libqt6widgets6 libqt6network6 libqt6websockets6 libzstd1 libc6; do
  grep -Eq "(^|, )$lib( |,|$)" <<<"$depends" || fail "Depends lacks $lib"
done

# 3. Contents: every file the package promises.
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/contents"
expected=(
  /usr/bin/flight-inspector
  /usr/bin/flight-agent
  /usr/share/applications/flight-inspector.desktop
  /usr/share/mime/packages/flight-inspector-mime.xml
  /usr/share/icons/hicolor/scalable/apps/flight-inspector.svg
  /usr/share/metainfo/io.flight.Inspector.metainfo.xml
  /usr/share/man/man1/flight-inspector.1.gz
  /usr/share/man/man1/flight-agent.1.gz
  /usr/share/flight-inspector/platforms/platforms.json
  /usr/lib/flight-inspector/libflight-preload.so
  /usr/include/flight/memory_tag.h
)
for f in "$source"/resources/recordings/*.jsonl.zst; do
  expected+=("/usr/share/flight-inspector/recordings/$(basename "$f")")
done
for f in "$source"/resources/budgets/*.json; do
  expected+=("/usr/share/flight-inspector/budgets/$(basename "$f")")
done
for f in "${expected[@]}"; do
  grep -qxF "$f" "$work/contents" || { cat "$work/contents"; fail "the package lacks $f"; }
done
echo "contents: all ${#expected[@]} expected files present"

# 4. Unpack; validate the desktop integration as installed.
root="$work/root"
dpkg-deb -x "$deb" "$root"
desktop-file-validate "$root/usr/share/applications/flight-inspector.desktop" \
  || fail "desktop-file-validate"
appstreamcli validate --no-net "$root/usr/share/metainfo/io.flight.Inspector.metainfo.xml" \
  || fail "appstreamcli validate"
mkdir -p "$work/mime/packages"
cp "$root/usr/share/mime/packages/flight-inspector-mime.xml" "$work/mime/packages/"
update-mime-database "$work/mime" >"$work/mime.log" 2>&1 || { cat "$work/mime.log"; fail "update-mime-database"; }
for glob in '*.jsonl.zst' '*.fmrec'; do
  grep -qF "application/x-flight-memory-recording:$glob" "$work/mime/globs2" \
    || { cat "$work/mime/globs2"; fail "the MIME type lacks $glob"; }
done
grep -q '^MimeType=application/x-flight-memory-recording;' "$root/usr/share/applications/flight-inspector.desktop" \
  || fail "the desktop entry does not open recordings"
for page in flight-inspector flight-agent; do
  gzip -t "$root/usr/share/man/man1/$page.1.gz" || fail "$page.1.gz is not gzip"
  zcat "$root/usr/share/man/man1/$page.1.gz" | grep -q '^\.SH EXIT STATUS' || fail "$page.1 lacks EXIT STATUS"
done

# 5. The unpacked executables (they link the system's Qt, so they run in place).
inspector="$root/usr/bin/flight-inspector"
agent="$root/usr/bin/flight-agent"
out=$("$inspector" --version) || fail "flight-inspector --version exited $?"
licence="Licensed under the MIT licence (SPDX: MIT)."
[ "$out" = "flight-inspector $version
$licence" ] || fail "flight-inspector --version printed '$out'"
for sub in report check diff capture; do
  out=$("$inspector" $sub --version) || fail "flight-inspector $sub --version exited $?"
  [ "$out" = "flight-inspector $sub $version
$licence" ] || fail "flight-inspector $sub --version printed '$out'"
done
out=$("$agent" --version) || fail "flight-agent --version exited $?"
[ "$out" = "flight-agent $version
$licence" ] || fail "flight-agent --version printed '$out'"

# The unpacked agent finds the unpacked preload library (bin/../lib/flight-inspector)
# and traces a program into a recording.
"$agent" run --listen 127.0.0.1:0 -o "$work/traced.fmr" -- /bin/true >"$work/run.txt" 2>&1 \
  || { cat "$work/run.txt"; fail "flight-agent run -- /bin/true exited $?"; }
[ -s "$work/traced.fmr" ] || fail "flight-agent run wrote no recording"

data="$root/usr/share/flight-inspector"
"$inspector" report "$data/recordings/psp.jsonl.zst" --format json >"$work/report.json" \
  || fail "report on the installed sample exited $?"
grep -q '"sessionId"' "$work/report.json" || fail "the report has no sessionId"
# The installed budget file is readable and used (the sample is over it: exit 1).
rc=0
"$inspector" check "$data/recordings/psp.jsonl.zst" --platform psp --budgets "$data/budgets/psp.json" \
  >"$work/check.txt" || rc=$?
{ [ "$rc" -le 1 ] && grep -qF "[$data/budgets/psp.json]" "$work/check.txt"; } \
  || { cat "$work/check.txt"; fail "check with the installed budget exited $rc"; }

# 6. The welcome page's examples come from the installed data: trace which
#    recordings folder the window lists, and that the source tree is never looked at.
(cd "$work" && strace -f -qq -e trace=openat,stat,newfstatat,statx -o "$work/trace" \
   "$inspector" --screenshot shot.png --size 1000x700) || fail "--screenshot exited $?"
[ -s "$work/shot.png" ] || fail "no screenshot"
grep -F "$data/recordings" "$work/trace" | grep -q 'O_DIRECTORY' \
  || { grep -F recordings "$work/trace" || true; fail "the window did not list $data/recordings"; }
if grep -F "$source/resources" "$work/trace"; then
  fail "the unpacked inspector looked in the source tree ($source/resources)"
fi
echo "the welcome page lists the installed examples: $data/recordings"
echo "PASS"
