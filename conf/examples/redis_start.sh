#!/bin/sh
# redis_start.sh: psaver restart script that only starts Redis (pfile_servers, entry 3).
#
# The configuration must say `daemonize yes`: redis-server then returns at once,
# and its main process renames itself `/usr/bin/redis-server 127.0.0.1:6379`,
# which the entry's include string matches. Install as root, mode 0755.
exec /usr/bin/redis-server /etc/redis/redis.conf --daemonize yes
