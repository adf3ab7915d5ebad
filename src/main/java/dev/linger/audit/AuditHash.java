package dev.linger.audit;

import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The canonical form of an audit event and its SHA-256. Pure functions: the same event
 * always gives the same bytes, whether it comes from Java objects or back from jsonb
 * (which reorders keys and rewrites numbers), so a verifier recomputes exactly what the
 * writer hashed.
 */
public final class AuditHash {

    /** prev_hash of the first event. */
    public static final String GENESIS = "0".repeat(64);

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private AuditHash() {
    }

    /** PostgreSQL keeps microseconds; hash what is stored. */
    public static Instant storedPrecision(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }

    /** Details as canonical JSON text: keys sorted at every level, numbers in plain form. */
    public static String canonicalDetails(String detailsJson) {
        try {
            JsonNode node = JSON.readTree(detailsJson == null || detailsJson.isBlank() ? "{}" : detailsJson);
            return JSON.writeValueAsString(canonical(node));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details are not valid JSON", e);
        }
    }

    /** Serialises Java details (maps, lists, strings, numbers, booleans) to canonical JSON text. */
    public static String canonicalDetails(Map<String, ?> details) {
        try {
            return canonicalDetails(JSON.writeValueAsString(details == null ? Map.of() : details));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details cannot be written as JSON", e);
        }
    }

    public static String hash(long seq, Instant at, String actor, String action, String subjectType,
            String subjectId, String canonicalDetails, String prevHash) {
        ArrayNode form = JsonNodeFactory.instance.arrayNode();
        form.add(seq);
        form.add(AT.format(storedPrecision(at)));
        form.add(actor);
        form.add(action);
        form.add(subjectType);
        form.add(subjectId);
        form.add(canonicalDetails);
        form.add(prevHash);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(JSON.writeValueAsBytes(form)));
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            ObjectNode sorted = JsonNodeFactory.instance.objectNode();
            for (String name : names) {
                sorted.set(name, canonical(node.get(name)));
            }
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(canonical(element)));
            return copy;
        }
        if (node.isNumber()) {
            // jsonb stores 1e2 as 100 and keeps 1.50 as 1.50: one spelling per value
            return DecimalNode.valueOf(new BigDecimal(node.asText()).stripTrailingZeros());
        }
        return node;
    }
}
