package dev.linger.transport;

/** Quoting for POSIX sh: the only way a value Linger did not write itself reaches a shell. */
public final class Shell {

    private Shell() {
    }

    /** 'text' with every single quote closed, escaped and reopened, so sh reads it back byte for byte. */
    public static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static final java.util.regex.Pattern PLAIN = java.util.regex.Pattern.compile("[A-Za-z0-9_./:=,@%+-]+");

    /**
     * One word for sh: left bare when it holds only characters sh gives no meaning to, quoted
     * otherwise. Commands shown to people read like the ones they would type.
     */
    public static String word(String text) {
        return PLAIN.matcher(text).matches() ? text : quote(text);
    }

    /** The command line that runs {@code script} with sh, optionally through passwordless sudo. */
    public static String runScript(String script, boolean sudo) {
        return (sudo ? "sudo -n " : "") + "sh -c " + quote(script);
    }
}
