#!/bin/sh
# Check (and, as root, install) the Debian packages newsform needs.
# usage: mk/deps.sh build|test|cluster|fuzz
# "build": compiler, pkg-config, Lua 5.4, libxml2, zlib, libdeflate (a build cannot go on without them).
# "test":  tools the test suite checks outputs with; missing ones are installed as root,
#          otherwise their tests skip.
# "cluster": the engines `make check-cluster` runs the examples/cluster recipes under.
# "fuzz":  clang and its libFuzzer runtime for `make fuzz` (cannot go on without them).
set -u
kind=${1:-build}
case "$kind" in
  build) pkgs="gcc make pkg-config liblua5.4-dev libxml2-dev zlib1g-dev libdeflate-dev" ;;
  test)  pkgs="lua5.4 python3 cmark unzip epubcheck libxml2-utils mandoc bash-completion cmark-gfm luarocks wget libcmark-dev" ;;
  cluster) pkgs="slurm-wlm munge parallel" ;;
  fuzz)  pkgs="clang libclang-rt-dev libcmark-dev" ;;
  *) echo "usage: mk/deps.sh build|test|cluster|fuzz" >&2; exit 2 ;;
esac
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "newsform: installing missing Debian packages:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing; } >&2 && exit 0
  echo "newsform: apt-get could not install:$missing" >&2
  [ "$kind" = test ] && exit 0
  exit 1
fi
if [ "$kind" != test ]; then
  echo "newsform: missing Debian packages; run: sudo apt-get install$missing" >&2
  exit 1
fi
echo "newsform: optional test tools missing (their tests will skip); to install: sudo apt-get install$missing" >&2
exit 0
