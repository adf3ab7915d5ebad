/*
 * Linger lab: makes real kernels hold the socket states Linger is about.
 *
 *   faults close-wait ADDR PORT N   server accepts N connections and never reads nor closes; each client
 *                                   sends 7 bytes and closes: N server sockets in CLOSE-WAIT, Recv-Q 8 (the FIN counts as one).
 *   faults fin-wait1  ADDR PORT N   server writes to each accepted connection until it would block, then
 *                                   closes it; clients have a tiny receive buffer and never read: N orphaned
 *                                   server sockets in FIN-WAIT-1 with Send-Q > 0 and a persist timer.
 *   faults defunct    ADDR PORT N   like close-wait, but the main thread calls pthread_exit while a second
 *                                   thread holds the sockets: ps shows the leader as Z <defunct>, and
 *                                   /proc/PID/fd is empty; the descriptors sit under /proc/PID/task/TID/fd.
 *   faults estab      ADDR PORT N   N idle established connections (2N sockets) in this process.
 *   faults half-closed ADDR PORT N  N connections whose client writes 7 bytes and shuts down its write side
 *                                   (shutdown SHUT_WR) but keeps its descriptor; the server accepts and never
 *                                   reads: N server sockets in CLOSE-WAIT with Recv-Q 8 and N client sockets in
 *                                   FIN-WAIT-2, all owned by this process. Owned FIN-WAIT-2 sockets have no
 *                                   timer (tcp_fin_timeout is for orphans): they stay until killed.
 *   faults mixed      ADDR PORT N   N connections in this process, half of them (rounded up) half-closed as
 *                                   above, the rest idle established: 2N sockets on one server port.
 *
 * Prints "ready PID" once the state is in place, then waits until killed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct sockaddr_in target;
static int listener;
static int count;

static void die(const char *what) { perror(what); exit(1); }

static int listen_on(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (s < 0) die("socket");
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(s, (struct sockaddr *) &target, sizeof target) < 0) die("bind");
    if (listen(s, 4096) < 0) die("listen");
    return s;
}

static int connect_one(int rcvbuf) {
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (c < 0) die("socket");
    if (rcvbuf > 0) setsockopt(c, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    if (connect(c, (struct sockaddr *) &target, sizeof target) < 0) die("connect");
    return c;
}

static int accept_one(void) {
    int a = accept(listener, NULL, NULL);
    if (a < 0) die("accept");
    return a;
}

/* Clients send a few bytes and close; the accepted side is never read nor closed. */
static void make_close_wait(void) {
    for (int i = 0; i < count; i++) {
        int c = connect_one(0);
        if (write(c, "linger\n", 7) != 7) die("write");
        close(c);
        accept_one();
    }
}

/* The client half-closes and stays open (FIN-WAIT-2, owned); the accepted side is never read (CLOSE-WAIT). */
static void make_half_closed(int n) {
    for (int i = 0; i < n; i++) {
        int c = connect_one(0);
        if (write(c, "linger\n", 7) != 7) die("write");
        if (shutdown(c, SHUT_WR) < 0) die("shutdown");
        accept_one();
    }
}

static void make_established(int n) {
    for (int i = 0; i < n; i++) {
        connect_one(0);
        accept_one();
    }
}

static void *defunct_holder(void *unused) {
    (void) unused;
    make_close_wait();
    printf("ready %d\n", getpid());
    fflush(stdout);
    for (;;) pause();
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s close-wait|fin-wait1|defunct|estab|half-closed|mixed ADDR PORT N\n", argv[0]);
        return 2;
    }
    memset(&target, 0, sizeof target);
    target.sin_family = AF_INET;
    target.sin_port = htons((unsigned short) atoi(argv[3]));
    if (inet_pton(AF_INET, argv[2], &target.sin_addr) != 1) die("address");
    count = atoi(argv[4]);
    signal(SIGPIPE, SIG_IGN);
    listener = listen_on();

    if (strcmp(argv[1], "close-wait") == 0) {
        make_close_wait();
    } else if (strcmp(argv[1], "fin-wait1") == 0) {
        static char chunk[65536];
        memset(chunk, 'x', sizeof chunk);
        for (int i = 0; i < count; i++) {
            connect_one(1024); /* kept open, never read */
            int a = accept_one();
            fcntl(a, F_SETFL, O_NONBLOCK);
            while (write(a, chunk, sizeof chunk) > 0) {
            }
            if (errno != EAGAIN && errno != EWOULDBLOCK) die("fill");
            close(a); /* the FIN waits behind unsent data: FIN-WAIT-1, orphaned */
        }
    } else if (strcmp(argv[1], "estab") == 0) {
        make_established(count);
    } else if (strcmp(argv[1], "half-closed") == 0) {
        make_half_closed(count);
    } else if (strcmp(argv[1], "mixed") == 0) {
        make_half_closed(count - count / 2);
        make_established(count / 2);
    } else if (strcmp(argv[1], "defunct") == 0) {
        pthread_t t;
        if (pthread_create(&t, NULL, defunct_holder, NULL) != 0) die("pthread_create");
        pthread_exit(NULL); /* the leader becomes a zombie; the holder thread lives on */
    } else {
        fprintf(stderr, "unknown fault %s\n", argv[1]);
        return 2;
    }
    printf("ready %d\n", getpid());
    fflush(stdout);
    for (;;) pause();
}
