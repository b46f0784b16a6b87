#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a test program with a cache folder of its own (the default test setup's wrapper):
# test programs run in parallel, and one that trims or empties its cache must not take a file
# another one is writing or playing. $XDG_CACHE_HOME (from test_env) is the parent folder.
set -eu

name=$(basename "$1")
# A script run by its interpreter is named by the script.
case "${2-}" in
  *.py | *.sh) name="$name-$(basename "$2")" ;;
esac
XDG_CACHE_HOME="${XDG_CACHE_HOME:?}/$name"
export XDG_CACHE_HOME
mkdir -p "$XDG_CACHE_HOME"
exec "$@"
