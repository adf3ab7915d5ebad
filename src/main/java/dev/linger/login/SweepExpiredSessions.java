package dev.linger.login;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;

/** Removes sessions nobody can use any more. Any instance may run it; the delete is idempotent. */
@ApplicationScoped
public class SweepExpiredSessions {

    private final SessionStore sessions;

    SweepExpiredSessions(SessionStore sessions) {
        this.sessions = sessions;
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        sessions.deleteExpired();
    }
}
