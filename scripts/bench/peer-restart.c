// The restart script of psaver's peer benchmark, in C: what a supervisor runs
// when entry N's service dies. psaver-bench builds it (cc -O2 -static) and links
// it into the host folder as HOST/scripts/peer-restart-N for every entry.
//
// Its first act is to stamp "N NANOSECONDS" (CLOCK_REALTIME) onto HOST/stamps, so
// a stamp is the supervisor's latency plus one exec of a small static program
// (plus /bin/sh in the shared shape): the figure the benchmark compares. Then it
// starts HOST/svc/ppTAG-N 86400 (shared shape: HOST/svc/ppTAG 20000000+N) in a
// session of its own (output to /dev/null), writes that pid to HOST/pids/N.pid
// (a temporary file renamed over it) and exits 0.
//
// The same work as psaver-bench's own PeerScript, which a 24 MB Swift binary
// does in about 1.5 ms; this is for measuring the supervisor, not the script.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char prefix[] = "peer-restart-";

int main(void) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    char self[4096];
    ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
    if (length <= 0) return 2;
    self[length] = 0;
    char *name = strrchr(self, '/') + 1;
    if (strncmp(name, prefix, sizeof prefix - 1) != 0) return 2;
    long index = strtol(name + sizeof prefix - 1, NULL, 10);
    name[-1] = 0;                        // self: HOST/scripts
    *strrchr(self, '/') = 0;             // self: HOST
    const char *host = self;
    const char *tag = strrchr(host, '-') + 1;

    char path[4200], line[64];
    snprintf(path, sizeof path, "%s/stamps", host);
    int stamps = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
    if (stamps < 0) return 1;
    int count = snprintf(line, sizeof line, "%ld %lld\n", index,
                         (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
    if (write(stamps, line, (size_t)count) != count) return 1;
    close(stamps);

    // The shared shape (one program, one argument per service) is told by its
    // one program being there; then this binary is HOST/bin/peer-restart-N,
    // exec'd by HOST/scripts/start-N.sh.
    char service[4200], argument[32] = "86400";
    snprintf(service, sizeof service, "%s/svc/pp%s", host, tag);
    if (access(service, F_OK) == 0)
        snprintf(argument, sizeof argument, "%ld", 20000000L + index);
    else
        snprintf(service, sizeof service, "%s/svc/pp%s-%ld", host, tag, index);
    pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid == 0) {
        setsid();
        int sink = open("/dev/null", O_RDWR);
        dup2(sink, 0);
        dup2(sink, 1);
        dup2(sink, 2);
        char *argv[] = {service, argument, NULL};
        char *envp[] = {"LANG=C", NULL};
        execve(service, argv, envp);
        _exit(127);
    }
    char temporary[4300];
    snprintf(path, sizeof path, "%s/pids/%ld.pid", host, index);
    snprintf(temporary, sizeof temporary, "%s.%d.tmp", path, (int)getpid());
    int file = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (file < 0) return 1;
    count = snprintf(line, sizeof line, "%d\n", (int)pid);
    int ok = write(file, line, (size_t)count) == count && fsync(file) == 0;
    close(file);
    return ok && rename(temporary, path) == 0 ? 0 : 1;
}
