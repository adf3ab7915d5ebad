package dev.linger.runbook;

import java.util.Locale;
import java.util.Optional;

/** The TCP states as the kernel names them, with the spelling {@code ss} expects in a state filter. */
public enum TcpState {
    ESTABLISHED("established"),
    SYN_SENT("syn-sent"),
    SYN_RECV("syn-recv"),
    FIN_WAIT1("fin-wait-1"),
    FIN_WAIT2("fin-wait-2"),
    TIME_WAIT("time-wait"),
    CLOSE("closed"),
    CLOSE_WAIT("close-wait"),
    LAST_ACK("last-ack"),
    LISTEN("listening"),
    CLOSING("closing");

    private final String ssName;

    TcpState(String ssName) {
        this.ssName = ssName;
    }

    public String ssName() {
        return ssName;
    }

    /** The name as the kernel and people write it ({@code CLOSE-WAIT}, {@code FIN-WAIT-1}); never translated. */
    public String kernelName() {
        return switch (this) {
            case FIN_WAIT1 -> "FIN-WAIT-1";
            case FIN_WAIT2 -> "FIN-WAIT-2";
            default -> name().replace('_', '-');
        };
    }

    /** Accepts every common spelling: FIN_WAIT1, FIN-WAIT-1, fin_wait_1, finwait1, fin-wait-1. */
    public static Optional<TcpState> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String folded = text.strip().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
        for (TcpState s : values()) {
            if (s.name().replace("_", "").equals(folded) || s.ssName.toUpperCase(Locale.ROOT).replace("-", "")
                    .equals(folded)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
