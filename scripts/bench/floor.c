// The floor for psaver's peer benchmark: the least a supervisor can do on Linux.
//
// It watches each service with a pidfd in one epoll set, and when one ends it
// posix_spawns that entry's restart script (in a new session) and watches the
// script; when the script ends it reaps it, reads the service's new pid from the
// entry's pid file and watches that. Nothing else: no /proc, no logging, no
// state file. psaver-bench builds it (cc -O2) and runs it beside pcheck and monit.
//
// usage: floor LIST READY
//   LIST   one entry per line: "PIDFILE SCRIPT"
//   READY  a file created once every service is watched (start-up is done)
// SIGTERM ends it; the services it restarted keep running.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

extern char **environ;

struct entry {
    char *pidfile;
    char *script;
    int fd;        // pidfd of what is watched now: the service, or its script
    pid_t child;   // the running script, 0 when the service is watched
};

static struct entry *entries;
static size_t count;

static pid_t read_pid(const char *path) {
    char text[32] = {0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    return n > 0 ? (pid_t)atol(text) : -1;
}

static void watch(int epfd, size_t index, pid_t pid) {
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (fd < 0) {
        fprintf(stderr, "floor: pidfd_open %d (%s): %s\n", pid, entries[index].pidfile, strerror(errno));
        return;
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = index};
    epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
    entries[index].fd = fd;
}

static void load(const char *list) {
    FILE *file = fopen(list, "r");
    if (!file) { perror(list); exit(2); }
    size_t capacity = 1024;
    entries = calloc(capacity, sizeof *entries);
    char pidfile[4096], script[4096];
    while (fscanf(file, "%4095s %4095s", pidfile, script) == 2) {
        if (count == capacity) {
            capacity *= 2;
            entries = realloc(entries, capacity * sizeof *entries);
        }
        entries[count++] = (struct entry){strdup(pidfile), strdup(script), -1, 0};
    }
    fclose(file);
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: floor LIST READY\n"); return 2; }
    load(argv[1]);
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    for (size_t i = 0; i < count; i++) watch(epfd, i, read_pid(entries[i].pidfile));
    int ready = open(argv[2], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (ready >= 0) close(ready);

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
    struct epoll_event events[64];
    for (;;) {
        int n = epoll_wait(epfd, events, 64, -1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) { perror("epoll_wait"); return 1; }
        for (int k = 0; k < n; k++) {
            size_t i = (size_t)events[k].data.u64;
            struct entry *e = &entries[i];
            epoll_ctl(epfd, EPOLL_CTL_DEL, e->fd, NULL);
            close(e->fd);
            e->fd = -1;
            if (e->child == 0) {
                // The service ended: start its script at once, then watch the script.
                char *args[] = {e->script, NULL};
                pid_t child;
                if (posix_spawn(&child, e->script, NULL, &attr, args, environ) != 0) continue;
                e->child = child;
                watch(epfd, i, child);
            } else {
                // The script ended: reap it and watch the service it started.
                waitpid(e->child, NULL, 0);
                e->child = 0;
                watch(epfd, i, read_pid(e->pidfile));
            }
        }
    }
}
