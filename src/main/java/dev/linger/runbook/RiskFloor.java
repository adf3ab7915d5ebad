package dev.linger.runbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.linger.InvalidInput;
import dev.linger.i18n.Text;

/**
 * The lowest risk a runbook can have, read from what its steps do: nobody saves a runbook under it, so
 * nobody cuts the approvals a machine-wide change needs by calling it LOW. Also the runbook's blast
 * radius (one process, one port, one network namespace, the whole machine), which orders the offers
 * on an incident.
 */
public final class RiskFloor {

    /** How far a runbook's changes reach, narrowest first. */
    public enum Scope {
        /** Reads, waits, checks and manual notes only. */
        NONE,
        /** One process. */
        PROCESS,
        /** The sockets of one port. */
        PORT,
        /** A setting of the host's network namespace: every socket in it. */
        NAMESPACE,
        /** The whole machine, every container and service on it. */
        MACHINE
    }

    /** Why a step raises the floor above LOW. */
    public enum Why {
        SHELL, MACHINE_WIDE_KEY, UNKNOWN_NET_KEY, OUTSIDE_NETWORK_KEY, PERSISTS, KILLS_HELD_SOCKETS, ENDS_PROCESS
    }

    /**
     * One fact that holds the floor up: step {@code step} (from 1) needs at least {@code floor} because of
     * {@code why}; {@code subject} is the key, the TCP state or the signal it is about.
     */
    public record Reason(int step, Risk floor, Why why, String subject) {
        /** The reason as a fact ({@code runbook.floor…}, the risk a {@code step.risk} word). */
        public dev.linger.i18n.Text text() {
            dev.linger.i18n.Text risk = dev.linger.i18n.Text.of("step.risk", floor);
            return switch (why) {
                case SHELL -> dev.linger.i18n.Text.of("runbook.floorShell", step, risk);
                case MACHINE_WIDE_KEY -> dev.linger.i18n.Text.of("runbook.floorMachineWideKey", step, subject, risk);
                case UNKNOWN_NET_KEY -> dev.linger.i18n.Text.of("runbook.floorUnknownNetKey", step, subject, risk);
                case OUTSIDE_NETWORK_KEY -> dev.linger.i18n.Text.of("runbook.floorOutsideNetworkKey", step, subject,
                        risk);
                case PERSISTS -> dev.linger.i18n.Text.of("runbook.floorPersists", step, subject, risk);
                case KILLS_HELD_SOCKETS -> dev.linger.i18n.Text.of("runbook.floorKillsHeldSockets", step, subject, risk);
                case ENDS_PROCESS -> dev.linger.i18n.Text.of("runbook.floorEndsProcess", step, subject, risk);
            };
        }

        public String english() {
            return "step " + step + " " + switch (why) {
                case SHELL -> "runs a free shell command, which can change anything";
                case MACHINE_WIDE_KEY -> "sets " + subject + ", one value for the whole machine";
                case UNKNOWN_NET_KEY -> "sets " + subject + ", a key Linger does not know, so it may be machine-wide";
                case OUTSIDE_NETWORK_KEY -> "sets " + subject + ", a machine-wide kernel, memory or file setting"
                        + " outside TCP";
                case PERSISTS -> "writes " + subject + " to /etc/sysctl.d, so it outlives a reboot";
                case KILLS_HELD_SOCKETS -> "destroys every " + subject + " socket of a port, which their program"
                        + " still holds";
                case ENDS_PROCESS -> "sends SIG" + subject + " to a process, which may end it";
            } + " (" + floor + ")";
        }
    }

    /** The floor, the widest scope of the steps, and every reason above LOW. */
    public record Result(Risk floor, Scope scope, List<Reason> reasons) {
        public Result {
            reasons = List.copyOf(reasons);
        }

        /** The refusal of a save at {@code risk}, naming the floor and why it holds. */
        public Text refusal(Risk risk) {
            // each reason is a sentence of its own, one after the other as the language writes sentences
            List<Text> why = reasons.stream().filter(r -> r.floor().compareTo(risk) > 0).map(Reason::text).toList();
            return Text.of("refuse.riskBelowFloor", Text.of("step.risk", risk.name()), Text.of("step.risk", floor.name()),
                    dev.linger.incident.Explanations.text(why));
        }
    }

    /** States whose sockets a program still holds: destroying them breaks live connections or a listener. */
    private static final Set<TcpState> HELD = Set.of(TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, TcpState.SYN_SENT,
            TcpState.SYN_RECV, TcpState.LISTEN);

    private RiskFloor() {
    }

    public static Result of(RunbookDefinition d) {
        return of(d.steps().stream().map(RunbookStep::step).toList());
    }

    public static Result of(List<Step> steps) {
        Risk floor = Risk.LOW;
        Scope scope = Scope.NONE;
        List<Reason> reasons = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            int n = i + 1;
            Step step = steps.get(i);
            List<Reason> found = new ArrayList<>();
            Scope s = Scope.NONE;
            if (step instanceof Step.FreeShell) {
                found.add(new Reason(n, Risk.CRITICAL, Why.SHELL, ""));
                s = Scope.MACHINE;
            } else if (step instanceof Step.SetSysctl set) {
                s = key(n, set.key(), found);
            } else if (step instanceof Step.PersistSysctl p) {
                for (String k : p.entries().keySet()) {
                    List<Reason> own = new ArrayList<>();
                    Scope ks = key(n, k, own);
                    Risk runtime = own.stream().map(Reason::floor).max(Risk::compareTo).orElse(Risk.LOW);
                    found.addAll(own);
                    found.add(new Reason(n, raise(runtime), Why.PERSISTS, k));
                    s = wider(s, ks);
                }
            } else if (step instanceof Step.KillSockets k) {
                if (HELD.contains(k.state())) {
                    found.add(new Reason(n, Risk.HIGH, Why.KILLS_HELD_SOCKETS, k.state().kernelName()));
                }
                s = Scope.PORT;
            } else if (step instanceof Step.SignalProcess sig) {
                if (!"CONT".equals(sig.signal())) {
                    found.add(new Reason(n, Risk.HIGH, Why.ENDS_PROCESS, sig.signal()));
                }
                s = Scope.PROCESS;
            }
            for (Reason r : found) {
                floor = r.floor().compareTo(floor) > 0 ? r.floor() : floor;
                if (r.floor() != Risk.LOW && !reasons.contains(r)) {
                    reasons.add(r);
                }
            }
            scope = wider(scope, s);
        }
        return new Result(floor, scope, reasons);
    }

    /** Refuses a definition whose risk is under its floor, on field "risk". */
    public static void require(RunbookDefinition d) {
        Result r = of(d);
        if (d.risk().compareTo(r.floor()) < 0) {
            throw InvalidInput.of("risk", r.refusal(d.risk()));
        }
    }

    /**
     * A known per-namespace key is LOW; a known machine-wide one HIGH; an unknown network key HIGH (it may be
     * machine-wide); anything under kernel, vm, fs and the other trees is the machine's own and CRITICAL.
     */
    private static Scope key(int n, String key, List<Reason> out) {
        var known = SysctlRules.known(key);
        if (known.isPresent()) {
            if (known.get().global()) {
                out.add(new Reason(n, Risk.HIGH, Why.MACHINE_WIDE_KEY, key));
                return Scope.MACHINE;
            }
            return Scope.NAMESPACE;
        }
        if (key.startsWith("net.")) {
            out.add(new Reason(n, Risk.HIGH, Why.UNKNOWN_NET_KEY, key));
        } else {
            out.add(new Reason(n, Risk.CRITICAL, Why.OUTSIDE_NETWORK_KEY, key));
        }
        return Scope.MACHINE;
    }

    private static Risk raise(Risk r) {
        return r == Risk.LOW ? Risk.HIGH : Risk.CRITICAL;
    }

    private static Scope wider(Scope a, Scope b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
