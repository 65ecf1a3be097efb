#!/bin/sh
# nginx_start.sh: psaver restart script that only starts nginx (pfile_servers, entry 1).
#
# pcheck runs it in a new session, stdin /dev/null, output into its log, LANG=C,
# after it has ended what the dead master left running (its workers hold the
# port) and the dead master is gone from the process table. nginx daemonizes:
# `nginx -c` returns once the master runs, and its status says whether it could
# bind. Install as root, mode 0755.
exec /usr/sbin/nginx -c /etc/nginx/nginx.conf
