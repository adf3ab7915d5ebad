package dev.linger.incident;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.linger.i18n.Text;

/**
 * An incident's evidence as the page shows it: tables for the owners, the sample sockets (queues and timers),
 * the timers and the states, one row per plain fact, and the JSON itself ({@code json}: a field named
 * {@code raw} would be read by Qute as its raw-output extension). Every value is
 * text from a monitored host or derived from it, so the page prints it escaped, never raw.
 */
public record EvidenceView(List<Fact> facts, List<Owner> owners, long ownersOmitted, List<Sample> samples,
        List<Count> timers, List<Count> states, List<Owner> otherDefunct, String json) {

    /**
     * A scalar of the evidence (or a short list or map of scalars, written on one line), by its field name;
     * {@code word} the value in the reader's words where it is a word (yes/no, incoming/outgoing), else null: the
     * value is the host's (a command, an address, a number) and shown as it is.
     */
    public record Fact(String field, String value, Text word) {
    }

    public record Owner(String pid, String tid, String command, String processState, String ppid, String sockets) {
    }

    public record Sample(String local, String peer, String recvQ, String sendQ, String timer) {
    }

    public record Count(String name, String count) {
    }

    /** Fields with a table of their own. */
    private static final List<String> TABLES = List.of("owners", "ownersOmitted", "samples", "timers", "states",
            "otherDefunct");

    public boolean empty() {
        return facts.isEmpty() && owners.isEmpty() && samples.isEmpty() && timers.isEmpty() && states.isEmpty()
                && otherDefunct.isEmpty();
    }

    static EvidenceView of(Evidence evidence) {
        if (evidence == null) {
            return of((JsonNode) null);
        }
        JsonNode tree = evidence.toTree();
        if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            o.remove("kind"); // the page says the kind in its title
        }
        return of(tree);
    }

    static EvidenceView of(JsonNode evidence) {
        if (evidence == null || !evidence.isObject()) {
            return new EvidenceView(List.of(), List.of(), 0, List.of(), List.of(), List.of(), List.of(),
                    evidence == null ? "{}" : evidence.toPrettyString());
        }
        List<Fact> facts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = evidence.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!TABLES.contains(e.getKey())) {
                facts.add(new Fact(e.getKey(), oneLine(e.getValue()), word(e.getKey(), e.getValue())));
            }
        }
        return new EvidenceView(facts, owners(evidence.get("owners")), evidence.path("ownersOmitted").asLong(0),
                samples(evidence.get("samples")), counts(evidence.get("timers")), counts(evidence.get("states")),
                owners(evidence.get("otherDefunct")), evidence.toPrettyString());
    }

    /** The words for values that are words: booleans, the direction, what triggered the incident. */
    private static Text word(String field, JsonNode v) {
        if (v.isBoolean()) {
            return Text.of("fact.yesNo", v.asBoolean());
        }
        if (field.equals("direction") && v.isTextual()) {
            return Text.of("fact.directionWord", Evidence.OUTGOING.equals(v.asText()));
        }
        if (field.equals("trigger") && v.isTextual()) {
            return Text.of("fact.triggerWord", "growth".equals(v.asText()));
        }
        return null;
    }

    private static List<Owner> owners(JsonNode list) {
        List<Owner> out = new ArrayList<>();
        if (list != null && list.isArray()) {
            for (JsonNode o : list) {
                if (o.isObject()) {
                    out.add(new Owner(text(o, "pid"), text(o, "tid"), text(o, "command"), text(o, "processState"),
                            text(o, "ppid"), text(o, "sockets")));
                } else {
                    out.add(new Owner(oneLine(o), "", "", "", "", "")); // a bare pid
                }
            }
        }
        return out;
    }

    private static List<Sample> samples(JsonNode list) {
        List<Sample> out = new ArrayList<>();
        if (list != null && list.isArray()) {
            for (JsonNode s : list) {
                out.add(new Sample(text(s, "local"), text(s, "peer"), text(s, "recvQ"), text(s, "sendQ"),
                        text(s, "timer")));
            }
        }
        return out;
    }

    private static List<Count> counts(JsonNode map) {
        List<Count> out = new ArrayList<>();
        if (map != null && map.isObject()) {
            map.fields().forEachRemaining(e -> out.add(new Count(e.getKey(), oneLine(e.getValue()))));
        }
        return out;
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? "" : oneLine(v);
    }

    /** Lists and maps of scalars on one line ("3, 7, 12"; "9080: 4"); anything deeper as its JSON. */
    private static String oneLine(JsonNode v) {
        if (v.isValueNode()) {
            return v.asText();
        }
        StringBuilder b = new StringBuilder();
        if (v.isArray()) {
            for (JsonNode item : v) {
                b.append(b.length() == 0 ? "" : ", ").append(item.isValueNode() ? item.asText() : item.toString());
            }
        } else {
            v.fields().forEachRemaining(e -> b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(": ")
                    .append(e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        }
        return b.toString();
    }
}
