package dev.linger.transport;

/** Quoting for POSIX sh: the only way a value Linger did not write itself reaches a shell. */
public final class Shell {

    private Shell() {
    }

    /** 'text' with every single quote closed, escaped and reopened, so sh reads it back byte for byte. */
    public static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** The command line that runs {@code script} with sh, optionally through passwordless sudo. */
    public static String runScript(String script, boolean sudo) {
        return (sudo ? "sudo -n " : "") + "sh -c " + quote(script);
    }
}
