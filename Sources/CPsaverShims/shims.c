#define _GNU_SOURCE
#include "CPsaverShims.h"

#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <arpa/inet.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

const uint32_t PSAVER_EPOLLIN = EPOLLIN;
const uint32_t PSAVER_EPOLLOUT = EPOLLOUT;
const uint32_t PSAVER_EPOLLERR = EPOLLERR;
const uint32_t PSAVER_EPOLLHUP = EPOLLHUP;
const uint32_t PSAVER_EPOLLRDHUP = EPOLLRDHUP;

int psaver_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

int psaver_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

static int epoll_op(int epfd, int op, int fd, uint32_t events, uint64_t token) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = events;
    ev.data.u64 = token;
    return epoll_ctl(epfd, op, fd, &ev);
}

int psaver_epoll_add(int epfd, int fd, uint32_t events, uint64_t token) {
    return epoll_op(epfd, EPOLL_CTL_ADD, fd, events, token);
}

int psaver_epoll_modify(int epfd, int fd, uint32_t events, uint64_t token) {
    return epoll_op(epfd, EPOLL_CTL_MOD, fd, events, token);
}

int psaver_epoll_remove(int epfd, int fd) {
    return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
}

int psaver_epoll_wait(int epfd, psaver_ready_t *out, int max, int timeout_ms) {
    struct epoll_event evs[64];
    if (max > 64) max = 64;
    int n = epoll_wait(epfd, evs, max, timeout_ms);
    for (int i = 0; i < n; i++) {
        out[i].token = evs[i].data.u64;
        out[i].events = evs[i].events;
    }
    return n;
}

static void handled_signals(sigset_t *set) {
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGHUP);
    sigaddset(set, SIGCHLD);
    sigaddset(set, SIGUSR1);
}

int psaver_signalfd_open(void) {
    sigset_t set;
    handled_signals(&set);
    // An ignored signal is discarded, never queued for the signalfd; and an ignored
    // SIGCHLD makes the kernel reap children itself, so a restart script's exit
    // status would be lost. A parent (nohup, a cluster agent) may have set either.
    int handled[] = { SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGUSR1 };
    for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++) signal(handled[i], SIG_DFL);
    if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0) return -1;
    return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int psaver_signalfd_read(int fd) {
    struct signalfd_siginfo info;
    ssize_t n = read(fd, &info, sizeof info);
    if (n == (ssize_t)sizeof info) return (int)info.ssi_signo;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
    return -1;
}

#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

int psaver_spawn(const char *path, char *const argv[], char *const envp[],
                 int out_fd, pid_t *pid_out) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    int rc = posix_spawn_file_actions_init(&actions);
    if (rc != 0) return rc;
    rc = posix_spawnattr_init(&attr);
    if (rc != 0) { posix_spawn_file_actions_destroy(&actions); return rc; }

    sigset_t empty, defaults;
    sigemptyset(&empty);
    handled_signals(&defaults);
    sigaddset(&defaults, SIGPIPE);

    if (rc == 0) rc = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions, out_fd, 2);
    // Descriptors above 2 never reach the script. Marked close-on-exec here, in the
    // parent, in one call (Linux 5.11+), they are dropped by the child's exec after
    // the parent has gone on (as for the floor's posix_spawn). Closed by the child
    // before its exec (closefrom), the parent waited while it closed one pidfd per
    // entry: at 10,000 entries 1.65 ms a spawn, against 0.57 ms marked.
    int marked = syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0;
#if defined(__GLIBC_PREREQ) && __GLIBC_PREREQ(2, 34)
    // glibc 2.34+; older glibc (RHEL 8's 2.28) relies on the marking alone.
    if (rc == 0 && !marked) rc = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
#else
    (void)marked;
#endif
    if (rc == 0) rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK
                                                   | POSIX_SPAWN_SETSIGDEF);
    if (rc == 0) rc = posix_spawnattr_setsigmask(&attr, &empty);
    if (rc == 0) rc = posix_spawnattr_setsigdefault(&attr, &defaults);
    if (rc == 0) rc = posix_spawn(pid_out, path, &actions, &attr, argv, envp);

    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    return rc;
}


int psaver_cloexec_from(int lowfd) {
    // Linux 5.11+: one call. Older kernels: every descriptor /proc/self/fd lists.
    if (syscall(SYS_close_range, (unsigned)lowfd, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return 0;
    DIR *dir = opendir("/proc/self/fd");
    if (dir == NULL) return -1;
    int own = dirfd(dir);
    struct dirent *item;
    while ((item = readdir(dir)) != NULL) {
        char *end;
        long fd = strtol(item->d_name, &end, 10);
        if (*end != '\0' || fd < lowfd || fd == own) continue;
        int flags = fcntl((int)fd, F_GETFD);
        if (flags >= 0) fcntl((int)fd, F_SETFD, flags | FD_CLOEXEC);
    }
    closedir(dir);
    return 0;
}

int psaver_accept(int fd) { return accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); }

int psaver_peercred(int fd, pid_t *pid, uid_t *uid, gid_t *gid) {
    struct ucred cred;
    socklen_t len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return -1;
    *pid = cred.pid;
    *uid = cred.uid;
    *gid = cred.gid;
    return 0;
}

/// The address of an abstract name (a leading NUL, no file); its length, or -1 and errno.
static int abstract_address(const char *name, struct sockaddr_un *addr) {
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    size_t len = strlen(name);
    if (len + 1 > sizeof addr->sun_path) { errno = ENAMETOOLONG; return -1; }
    memcpy(addr->sun_path + 1, name, len);
    return (int)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
}

int psaver_bind_abstract(int fd, const char *name) {
    struct sockaddr_un addr;
    int len = abstract_address(name, &addr);
    return len < 0 ? -1 : bind(fd, (struct sockaddr *)&addr, (socklen_t)len);
}

static int path_address(const char *path, struct sockaddr_un *addr) {
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    size_t len = strlen(path);
    if (len + 1 > sizeof addr->sun_path) { errno = ENAMETOOLONG; return -1; }
    memcpy(addr->sun_path, path, len);
    return 0;
}

int psaver_bind_path(int fd, const char *path) {
    struct sockaddr_un addr;
    if (path_address(path, &addr) != 0) return -1;
    return bind(fd, (struct sockaddr *)&addr, sizeof addr);
}

int psaver_connect_path(int fd, const char *path) {
    struct sockaddr_un addr;
    if (path_address(path, &addr) != 0) return -1;
    return connect(fd, (struct sockaddr *)&addr, sizeof addr);
}

void psaver_syslog_open(const char *ident) { openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON); }

void psaver_syslog(int priority, const char *message) { syslog(priority, "%s", message); }

int psaver_wifexited(int status) { return WIFEXITED(status); }
int psaver_wexitstatus(int status) { return WEXITSTATUS(status); }
int psaver_wifsignaled(int status) { return WIFSIGNALED(status); }
int psaver_wtermsig(int status) { return WTERMSIG(status); }

int psaver_become_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

const uint32_t PSAVER_PROC_EVENT_NONE = PROC_EVENT_NONE;
const uint32_t PSAVER_PROC_EVENT_FORK = PROC_EVENT_FORK;
const uint32_t PSAVER_PROC_EVENT_EXEC = PROC_EVENT_EXEC;
const uint32_t PSAVER_PROC_EVENT_EXIT = PROC_EVENT_EXIT;

/// Sends PROC_CN_MCAST_LISTEN or _IGNORE to the connector.
static int proc_events_subscribe(int fd, enum proc_cn_mcast_op op) {
    struct {
        struct nlmsghdr header;
        struct cn_msg message;
        enum proc_cn_mcast_op op;
    } __attribute__((packed)) request;
    memset(&request, 0, sizeof request);
    request.header.nlmsg_len = sizeof request;
    request.header.nlmsg_type = NLMSG_DONE;
    request.header.nlmsg_pid = 0;
    request.message.id.idx = CN_IDX_PROC;
    request.message.id.val = CN_VAL_PROC;
    request.message.len = sizeof request.op;
    request.op = op;
    ssize_t sent;
    do { sent = send(fd, &request, sizeof request, 0); } while (sent < 0 && errno == EINTR);
    return sent < 0 ? -1 : 0;
}

/// Lets only forks and execs through to the socket, and exits when `exits` is
/// set: a busy host's other reports (uid, comm, sid changes, and exits while every
/// watched process has a pidfd) would wake the engine for nothing. A classic BPF
/// filter, so every kernel with the connector takes it; its loads read network
/// order, hence htonl. Attaching again replaces the filter.
int psaver_proc_events_filter(int fd, int exits) {
    const uint32_t what = NLMSG_HDRLEN + sizeof(struct cn_msg) + offsetof(struct proc_event, what);
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, what),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htonl(PROC_EVENT_FORK), 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htonl(PROC_EVENT_EXEC), 1, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, exits ? htonl(PROC_EVENT_EXIT) : htonl(PROC_EVENT_FORK), 0, 1),
        BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
        BPF_STMT(BPF_RET | BPF_K, 0),
    };
    struct sock_fprog program = { .len = sizeof code / sizeof code[0], .filter = code };
    return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program);
}

int psaver_proc_events_open(void) {
    int fd = socket(PF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);
    if (fd < 0) return -1;
    struct sockaddr_nl address;
    memset(&address, 0, sizeof address);
    address.nl_family = AF_NETLINK;
    address.nl_groups = CN_IDX_PROC;
    // Room for a busy host's reports while the reader pauses between batches (about
    // 1 KB each in the socket's accounting): 4 MB as root, else what the system allows.
    int room = 4 << 20;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &room, sizeof room) != 0) {
        (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &room, sizeof room);
    }
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0 || psaver_proc_events_filter(fd, 0) != 0 ||
        proc_events_subscribe(fd, PROC_CN_MCAST_LISTEN) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int psaver_proc_events_read(int fd, psaver_proc_event_t *out, int max) {
    // Aligned for nlmsghdr; one datagram carries one or a few messages.
    uint64_t buffer[1024];
    ssize_t length;
    do { length = recv(fd, buffer, sizeof buffer, 0); } while (length < 0 && errno == EINTR);
    if (length < 0) return -1;
    int count = 0;
    struct nlmsghdr *header = (struct nlmsghdr *)buffer;
    for (size_t left = (size_t)length; NLMSG_OK(header, left) && count < max; header = NLMSG_NEXT(header, left)) {
        if (header->nlmsg_type == NLMSG_ERROR || header->nlmsg_type == NLMSG_NOOP) continue;
        struct cn_msg *message = NLMSG_DATA(header);
        if (message->id.idx != CN_IDX_PROC || message->id.val != CN_VAL_PROC) continue;
        if (message->len < sizeof(struct proc_event)) continue;
        const struct proc_event *event = (const struct proc_event *)message->data;
        psaver_proc_event_t *decoded = &out[count];
        memset(decoded, 0, sizeof *decoded);
        decoded->kind = event->what;
        decoded->timestamp_ns = event->timestamp_ns;
        switch (event->what) {
        case PROC_EVENT_FORK:
            decoded->pid = event->event_data.fork.parent_pid;
            decoded->tgid = event->event_data.fork.parent_tgid;
            decoded->child_pid = event->event_data.fork.child_pid;
            decoded->child_tgid = event->event_data.fork.child_tgid;
            break;
        case PROC_EVENT_EXEC:
            decoded->pid = event->event_data.exec.process_pid;
            decoded->tgid = event->event_data.exec.process_tgid;
            break;
        case PROC_EVENT_EXIT:
            decoded->pid = event->event_data.exit.process_pid;
            decoded->tgid = event->event_data.exit.process_tgid;
            break;
        default:
            continue;
        }
        count++;
    }
    return count;
}

int psaver_flock(int fd, int operation) {
    return flock(fd, operation);
}

int psaver_connect_abstract(int fd, const char *name) {
    struct sockaddr_un addr;
    int len = abstract_address(name, &addr);
    return len < 0 ? -1 : connect(fd, (struct sockaddr *)&addr, (socklen_t)len);
}

int psaver_malloc_trim(void) { return malloc_trim(0); }

int psaver_malloc_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }

long psaver_copy_file_range(int in_fd, int64_t in_offset, int out_fd, size_t length) {
    off64_t offset = in_offset;
    return (long)copy_file_range(in_fd, &offset, out_fd, NULL, length, 0);
}
