package dev.linger.transport;

/** Why a host could not be reached or did not answer; the message is meant for the on-call engineer. */
public class TransportFailure extends Exception {

    public enum Kind {
        /** The host presented a key nobody has trusted yet; nothing was sent to it. */
        HOST_KEY_PENDING,
        /** The host presented a different key than the trusted one; nothing was sent to it. */
        HOST_KEY_CHANGED,
        /** No connection: refused, unreachable, or the connect timed out. */
        UNREACHABLE,
        /** Connected, but the key was not accepted. */
        AUTH,
        /** The command did not finish in time. */
        TIMEOUT,
        /** The command printed more than Linger accepts. */
        OUTPUT_TOO_LARGE,
        /** Linger's side is not set up (e.g. no private key file). */
        SETUP
    }

    private final Kind kind;
    private final String presentedFingerprint;

    public TransportFailure(Kind kind, String message, String presentedFingerprint, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.presentedFingerprint = presentedFingerprint;
    }

    public TransportFailure(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The fingerprint the host presented, for the host-key kinds. */
    public String presentedFingerprint() {
        return presentedFingerprint;
    }
}
