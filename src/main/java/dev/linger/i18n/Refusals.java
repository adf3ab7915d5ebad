package dev.linger.i18n;

import java.util.Locale;

/** Values inside refusals that are said, not shown as a constant: a job's status. */
public final class Refusals {

    private Refusals() {
    }

    /** {@code RUNNING} → the text "running" ({@code refuse.statusRunning}). */
    public static Text jobStatus(String status) {
        StringBuilder key = new StringBuilder("refuse.status");
        for (String part : status.toLowerCase(Locale.ROOT).split("_")) {
            key.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return Text.of(key.toString());
    }
}
