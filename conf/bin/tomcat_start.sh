#!/bin/sh
# tomcat_start.sh: psaver restart script for the Tomcat entry of pfile_tomcat.
#
# pcheck runs it when Tomcat's java process is missing: at start-up, after a
# death, or after a failed attempt. pcheck has already put it in a new session
# with stdin from /dev/null, stdout and stderr into its log, and LANG=C, and it
# passes:
#   PSAVER_PENT_ID        the entry's position in the PENT section (1)
#   PSAVER_PNAME          the entry's pname (/usr/bin/java)
#   PSAVER_RETRY_COUNT    this attempt's retry_count (1..retry)
#   PSAVER_RESTART_COUNT  restart attempts since pcheck started
#
# Contract with pcheck:
#   - start Tomcat detached and return promptly (well inside RESTART_TIMEOUT,
#     default 60 s); do not wait for Tomcat to answer HTTP: pcheck waits up to
#     start_wait (default MONITOR_INTERVAL) for the java process to appear;
#   - exit 0 when the start was launched, non-zero when it could not be, so that
#     pcheck counts a failed attempt at once and tries again (or goes retry over).
#
# Install: /etc/psaver/bin/tomcat_start.sh (the package does), owner root, mode 0755
# (pcheck refuses a restart script that group or others can write).

set -u

# --- Placeholders: adapt to the installation -------------------------------
# CATALINA_HOME: where Tomcat is unpacked (holds bin/startup.sh).
CATALINA_HOME=/opt/apache-tomcat
# CATALINA_BASE: the instance folder (conf/, logs/, webapps/); often the same.
CATALINA_BASE=$CATALINA_HOME
# JAVA_HOME: the JDK/JRE whose bin/java is the pfile's pname.
JAVA_HOME=/usr/lib/jvm/default-java
# TOMCAT_USER: the account Tomcat runs as; never root.
TOMCAT_USER=tomcat
# CATALINA_PID: pid file, so catalina.sh refuses a second start while the first
#   java still runs and removes a stale file left by a crash.
CATALINA_PID=$CATALINA_BASE/temp/tomcat.pid
# ---------------------------------------------------------------------------

export CATALINA_HOME CATALINA_BASE JAVA_HOME CATALINA_PID

say() {
    # One line in pcheck's log (our stdout goes there).
    echo "tomcat_start.sh: $*"
}

say "starting Tomcat (pent_id=${PSAVER_PENT_ID:-?} retry_count=${PSAVER_RETRY_COUNT:-?}" \
    "restart_count=${PSAVER_RESTART_COUNT:-?})"

if [ ! -x "$CATALINA_HOME/bin/startup.sh" ]; then
    say "$CATALINA_HOME/bin/startup.sh is missing or not executable"
    exit 1
fi

# catalina.sh start runs java with nohup in the background and returns at
# once; its console output goes to $CATALINA_BASE/logs/catalina.out, not to us.
if [ "$(id -u)" -eq 0 ]; then
    # As root: switch to the service account. runuser does not ask for a
    # password and keeps our session, so pcheck's stop never reaches Tomcat.
    runuser -u "$TOMCAT_USER" -- env \
        CATALINA_HOME="$CATALINA_HOME" CATALINA_BASE="$CATALINA_BASE" \
        JAVA_HOME="$JAVA_HOME" CATALINA_PID="$CATALINA_PID" \
        "$CATALINA_HOME/bin/startup.sh"
else
    # pcheck runs as the service account itself.
    "$CATALINA_HOME/bin/startup.sh"
fi
status=$?

if [ "$status" -ne 0 ]; then
    say "startup.sh failed with status $status"
    exit 1
fi
say "startup.sh launched Tomcat"
exit 0
