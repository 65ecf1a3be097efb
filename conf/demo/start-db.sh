#!/bin/sh
# Restart script of the demo database (a copy of sleep, in a folder with a Japanese name).
dir=$(dirname "$0")
"$dir/データベース/demo-db" 86400 5432 </dev/null >/dev/null 2>&1 &
exit 0
