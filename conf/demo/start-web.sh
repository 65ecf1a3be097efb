#!/bin/sh
# Restart script of the demo web server: starts it in the background and returns.
# The server is a copy of sleep; the 8080 added to its sleep time puts the pfile's
# include_strings=8080 on its command line.
dir=$(dirname "$0")
"$dir/bin/demo-web" 86400 8080 </dev/null >/dev/null 2>&1 &
exit 0
