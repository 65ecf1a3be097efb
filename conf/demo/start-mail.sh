#!/bin/sh
# Restart script of the demo mail relay: it always fails, so the entry reaches
# retry over and, with the `stop` action, goes FATAL while the others keep running.
echo "start-mail.sh: cannot reach the mail relay (this demo script always fails)" >&2
exit 1
