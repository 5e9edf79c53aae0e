#!/bin/sh
# The `tend` command: starts Node on tend.js beside this file (copied to dist/bin/tend by the
# build; npm links it, so the link is resolved first).
#
# `tend ping` and `tend jlist`, the verbs scripts and monitoring run in loops, start Node
# without NODE_EXTRA_CA_CERTS. Node reads and parses that certificate file before any code
# runs: with the system bundle, ~40 ms of a ~60 ms start on this project's build machine, so
# these verbs take ~37 ms instead of ~74. They make no TLS connection, evaluate no user code and
# send no environment anywhere (a daemon they start drops the variable for itself anyway).
# Every other verb keeps the environment as it is: it may load a JavaScript ecosystem file,
# and `start` hands its environment to the apps. They also run tend-fast.cjs, their code alone
# as CommonJS, instead of tend.js (see src/bin/tend-fast.ts).
#
# Where the build had a C compiler, they first run tend-fast, the native client of these two
# verbs (src/bin/tend-fast.c): when the daemon answers, no Node starts at all (~17 ms instead
# of ~90 for a jlist of 1,000 apps); in every other case it runs tend-fast.cjs in its place.
self=$0
if [ -L "$self" ]; then self=$(readlink -f "$self"); fi
if [ "$#" = 1 ] && { [ "$1" = ping ] || [ "$1" = jlist ]; }; then
  unset NODE_EXTRA_CA_CERTS
  dir=${self%/*}
  if [ -x "$dir/tend-fast" ]; then exec "$dir/tend-fast" "${TEND_NODE:-node}" "$dir/tend-fast.cjs" "$1"; fi
  exec "${TEND_NODE:-node}" "$dir/tend-fast.cjs" "$1"
fi
exec "${TEND_NODE:-node}" "${self%/*}/tend.js" "$@"
