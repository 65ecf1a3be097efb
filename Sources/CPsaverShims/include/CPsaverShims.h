// The one C door for psaver: syscalls and macros Swift cannot call directly
// (variadic functions, macros, _GNU_SOURCE-only flags, packed structs).
#ifndef CPSAVER_SHIMS_H
#define CPSAVER_SHIMS_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/inotify.h>

/// One ready descriptor from `psaver_epoll_wait` (epoll_event is packed on x86_64).
typedef struct {
    uint64_t token;
    uint32_t events;
} psaver_ready_t;

/// Readiness bits, as plain constants (the EPOLL* names are enum members in glibc).
extern const uint32_t PSAVER_EPOLLIN;
extern const uint32_t PSAVER_EPOLLOUT;
extern const uint32_t PSAVER_EPOLLERR;
extern const uint32_t PSAVER_EPOLLHUP;
extern const uint32_t PSAVER_EPOLLRDHUP;

/// pidfd_open(2); -1 and errno on failure (ENOSYS where the kernel lacks it).
int psaver_pidfd_open(pid_t pid);

int psaver_epoll_create(void);
int psaver_epoll_add(int epfd, int fd, uint32_t events, uint64_t token);
int psaver_epoll_modify(int epfd, int fd, uint32_t events, uint64_t token);
int psaver_epoll_remove(int epfd, int fd);
/// epoll_wait(2) into `out`; returns the count, or -1 and errno (EINTR included).
int psaver_epoll_wait(int epfd, psaver_ready_t *out, int max, int timeout_ms);

/// Restores the default disposition of SIGTERM, SIGINT, SIGHUP, SIGCHLD and SIGUSR1 (a parent
/// may have ignored them), blocks them in the calling thread and returns a
/// non-blocking, close-on-exec signalfd that reports them; -1 and errno on failure.
int psaver_signalfd_open(void);
/// Reads one pending signal from a signalfd: its number, 0 if none, -1 on error.
int psaver_signalfd_read(int fd);

/// posix_spawn(3) of `path` in a new session (setsid), stdin from /dev/null,
/// stdout and stderr onto `out_fd`, every descriptor above 2 closed, signal mask
/// emptied and SIGPIPE/SIGTERM/SIGINT/SIGHUP/SIGCHLD reset to default.
/// Returns 0 and the child's pid, or an errno value.
int psaver_spawn(const char *path, char *const argv[], char *const envp[],
                 int out_fd, pid_t *pid_out);

/// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC; -1 and errno on failure.
/// Marks every descriptor from lowfd up close-on-exec (close_range, else /proc/self/fd),
/// so that children never inherit them on a glibc without posix_spawn closefrom.
int psaver_cloexec_from(int lowfd);
/// Hands memory the allocator keeps after free back to the system (glibc's malloc_trim).
int psaver_malloc_trim(void);
/// Fixes glibc's mmap threshold at `bytes` (mallopt M_MMAP_THRESHOLD); 1 on success.
int psaver_malloc_mmap_threshold(int bytes);
/// copy_file_range(2) of up to `length` bytes from `in_fd` at `in_offset` to `out_fd`
/// at its file offset, within the kernel; the count copied, or -1 and errno (ENOSYS,
/// EXDEV, EINVAL or EOPNOTSUPP where the kernel or file system can't).
long psaver_copy_file_range(int in_fd, int64_t in_offset, int out_fd, size_t length);
int psaver_accept(int fd);

/// SO_PEERCRED of a connected Unix socket; 0 or -1 and errno.
int psaver_peercred(int fd, pid_t *pid, uid_t *uid, gid_t *gid);

/// Binds `fd` to the abstract Unix socket name `name` (no leading NUL); 0 or -1 and errno.
int psaver_bind_abstract(int fd, const char *name);
/// Binds or connects a Unix stream socket to a filesystem path; 0 or -1 and errno
/// (ENAMETOOLONG when the path does not fit sockaddr_un).
int psaver_bind_path(int fd, const char *path);
int psaver_connect_path(int fd, const char *path);

/// openlog(3) with LOG_PID under LOG_DAEMON; the ident string must outlive the process.
void psaver_syslog_open(const char *ident);
/// syslog(3) of one preformatted message (never used as a format string).
void psaver_syslog(int priority, const char *message);

/// The wait(2) status macros.
int psaver_wifexited(int status);
int psaver_wexitstatus(int status);
int psaver_wifsignaled(int status);
int psaver_wtermsig(int status);

/// prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants are re-parented to the
/// caller instead of PID 1 (the benchmark reaps the services it makes); 0 or -1 and errno.
int psaver_become_subreaper(void);

/// One event of the kernel's process-events connector (CN_IDX_PROC).
typedef struct {
    /// One of the PSAVER_PROC_EVENT_* kinds.
    uint32_t kind;
    /// The thread that did it, and its thread group (the process); equal for a process.
    int32_t pid;
    int32_t tgid;
    /// For a fork: the child's pid and tgid.
    int32_t child_pid;
    int32_t child_tgid;
    /// CLOCK_MONOTONIC nanoseconds at which the kernel reported it.
    uint64_t timestamp_ns;
} psaver_proc_event_t;

extern const uint32_t PSAVER_PROC_EVENT_NONE;
extern const uint32_t PSAVER_PROC_EVENT_FORK;
extern const uint32_t PSAVER_PROC_EVENT_EXEC;
extern const uint32_t PSAVER_PROC_EVENT_EXIT;

/// Opens a non-blocking, close-on-exec NETLINK_CONNECTOR socket bound to the
/// process-events group and subscribes to it (PROC_CN_MCAST_LISTEN). -1 and errno
/// on failure: EPERM without CAP_NET_ADMIN, EPROTONOSUPPORT where the kernel lacks it.
int psaver_proc_events_open(void);
/// Lets forks and execs through to the socket, and exits too when `exits` is set; 0 or -1 and errno.
int psaver_proc_events_filter(int fd, int exits);
/// Receives one datagram and decodes up to `max` events from it into `out`.
/// Returns the count (0 when the datagram held none we decode), or -1 and errno:
/// EAGAIN when nothing waits, ENOBUFS when the socket overflowed and events were lost.
int psaver_proc_events_read(int fd, psaver_proc_event_t *out, int max);
/// Connects a Unix stream socket to the abstract name `name`; 0 or -1 and errno.
int psaver_connect_abstract(int fd, const char *name);

/// flock(2): in Swift `flock` names the struct of fcntl locks; 0 or -1 and errno.
int psaver_flock(int fd, int operation);

#endif
