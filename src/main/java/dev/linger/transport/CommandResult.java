package dev.linger.transport;

import java.time.Duration;

/** What a script printed, how it ended, and how long the round trip took. */
public record CommandResult(int exitCode, String stdout, String stderr, Duration elapsed) {
}
