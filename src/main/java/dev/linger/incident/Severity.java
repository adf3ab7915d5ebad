package dev.linger.incident;

/** How urgent an incident is; declared in rising order, so {@code compareTo} ranks them. */
public enum Severity {
    WARNING,
    CRITICAL
}
