/*
 * Linger rehearsal lab: the parent of one lab's processes (see linger-lab).
 *
 *   llab-keeper CMD [ARG...] [-- CMD [ARG...]]...
 *
 * Starts each command as a child, then waits for and reaps every child until none is left, and exits.
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
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void start(char **argv) {
    pid_t pid = fork();
    if (pid < 0) {
        perror("llab-keeper: fork");
        return;
    }
    if (pid == 0) {
        execv(argv[0], argv);
        fprintf(stderr, "llab-keeper: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    fprintf(stderr, "llab-keeper: started %d %s\n", (int) pid, argv[0]);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s CMD [ARG...] [-- CMD [ARG...]]...\n", argv[0]);
        return 2;
    }
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
        perror("llab-keeper: prctl(PR_SET_CHILD_SUBREAPER)");
    }
    int first = 1;
    for (int i = 1; i <= argc; i++) {
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
            break; /* ECHILD: nothing left to keep */
        }
        if (WIFSIGNALED(status)) {
            fprintf(stderr, "llab-keeper: ended %d by signal %d\n", (int) pid, WTERMSIG(status));
        } else {
            fprintf(stderr, "llab-keeper: ended %d with exit code %d\n", (int) pid, WEXITSTATUS(status));
        }
    }
    return 0;
}
