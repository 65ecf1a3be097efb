#!/bin/sh
# Restart script of the demo batch job, which ends by itself after 15-25 seconds,
# so the engine restarts it again and again and its restart_count climbs.
dir=$(dirname "$0")
"$dir/bin/demo-batch" $((15 + $$ % 11)) </dev/null >/dev/null 2>&1 &
exit 0
