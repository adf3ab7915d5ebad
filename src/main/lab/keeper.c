/*
 * Linger rehearsal lab: the parent of one lab's processes (see linger-lab).
 *
 *   llab-keeper [--init] CMD [ARG...] [-- CMD [ARG...]]...
 *
 * Starts each command as a child, then waits for and reaps every child until none is left, and exits.
 * With --init (PID 1 of a lab's PID namespace) it never exits on its own: processes started in the
 * namespace later (nsenter) are reparented to it when their parent dies, and it reaps them too. It then
 * starts at most one command, its arguments taken verbatim ("--" included, so the command may be another
 * keeper), or none. Killing it ends every process of the namespace.
 * It is a child subreaper, so processes its children leave behind (sshd's per-connection processes) are
 * reaped here too. Without it they would be handed to PID 1, and a PID 1 that does not reap (some container
 * and sandbox inits) would keep every killed lab process as <defunct> forever: on the defunct-leader lab
 * that would look exactly like the fault the team is practising on.
 *
 * Prints "started PID PROGRAM" and "ended PID ..." lines on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static sigset_t original_mask;

static void start(char **argv) {
    pid_t pid = fork();
    if (pid < 0) {
        perror("llab-keeper: fork");
        return;
    }
    if (pid == 0) {
        sigprocmask(SIG_SETMASK, &original_mask, NULL); /* a blocked SIGCHLD would be inherited across exec */
        execv(argv[0], argv);
        fprintf(stderr, "llab-keeper: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    fprintf(stderr, "llab-keeper: started %d %s\n", (int) pid, argv[0]);
}

static void on_child(int signal) { (void) signal; }

int main(int argc, char **argv) {
    int stay = argc >= 2 && strcmp(argv[1], "--init") == 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s [--init] CMD [ARG...] [-- CMD [ARG...]]...\n", argv[0]);
        return 2;
    }
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
        perror("llab-keeper: prctl(PR_SET_CHILD_SUBREAPER)");
    }
    /* SIGCHLD blocked except inside sigsuspend: a child that ends between wait() and sigsuspend() wakes it. */
    sigset_t blocked, waiting;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGCHLD);
    sigprocmask(SIG_BLOCK, &blocked, &original_mask);
    waiting = original_mask;
    sigdelset(&waiting, SIGCHLD);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_child;
    sigaction(SIGCHLD, &action, NULL);
    int first = stay ? 2 : 1;
    if (stay && argc > 2) {
        start(&argv[2]);
        first = argc + 1; /* nothing left to split */
    }
    for (int i = first; i <= argc; i++) {
        if (i == argc || strcmp(argv[i], "--") == 0) {
            argv[i] = NULL; /* ends this command's argv; argv[argc] is NULL already */
            if (i > first) {
                start(&argv[first]);
            }
            first = i + 1;
        }
    }
    for (;;) {
        int status;
        pid_t pid = wait(&status);
        if (pid < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (!stay) {
                break; /* ECHILD: nothing left to keep */
            }
            sigsuspend(&waiting); /* until an adopted process ends */
            continue;
        }
        if (WIFSIGNALED(status)) {
            fprintf(stderr, "llab-keeper: ended %d by signal %d\n", (int) pid, WTERMSIG(status));
        } else {
            fprintf(stderr, "llab-keeper: ended %d with exit code %d\n", (int) pid, WEXITSTATUS(status));
        }
    }
    return 0;
}
