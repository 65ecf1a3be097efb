#!/bin/sh
# pg_start.sh: psaver restart script that only starts PostgreSQL 15 (pfile_servers, entry 2).
#
# pcheck has ended the dead postmaster's children (they hold its shared memory)
# and waited until it left the process table (a zombie keeps the pid that
# postmaster.pid names). pg_ctl -w returns once the server accepts connections,
# or fails after -t seconds: keep -t below RESTART_TIMEOUT. Install as root, mode 0755.
DATA=/var/lib/postgresql/15/main
exec /usr/sbin/runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl \
    -D "$DATA" -l /var/log/postgresql/postgresql-15-psaver.log -w -t 50 \
    -o "-c config_file=/etc/postgresql/15/main/postgresql.conf" start
