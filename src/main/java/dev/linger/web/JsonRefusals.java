package dev.linger.web;

import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.linger.i18n.Text;

/** Words for a JSON body Linger could not read: which field, and what it expected there. */
final class JsonRefusals {

    private JsonRefusals() {
    }

    /**
     * The field as the API's other refusals name it: {@code params.port}, {@code roles[1]} (lists count from 1,
     * like {@code steps[2].key}); {@code body} when the body as a whole has the wrong shape.
     */
    static String field(JsonMappingException e) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex() + 1).append(']');
            }
        }
        return field.isEmpty() ? "body" : field.toString();
    }

    /** What the field needed, from the Java type it is read into; never Jackson's own message. */
    static Text problem(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        if (target == null) {
            return Text.of("msg.jsonExpectedOther");
        }
        if (CharSequence.class.isAssignableFrom(target)) {
            return Text.of("msg.jsonExpectedText");
        }
        if (target == Integer.class || target == int.class || target == Long.class || target == long.class
                || target == Short.class || target == short.class) {
            return Text.of("msg.jsonExpectedWholeNumber");
        }
        if (target == Boolean.class || target == boolean.class) {
            return Text.of("msg.jsonExpectedBoolean");
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return Text.of("msg.jsonExpectedList");
        }
        if (Map.class.isAssignableFrom(target) || target.isRecord()) {
            return Text.of("msg.jsonExpectedObject");
        }
        return Text.of("msg.jsonExpectedOther");
    }

    /** A body that is not JSON, or that no request could be built from. */
    static Text unreadable(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        if (e instanceof JsonParseException && at != null && at.getLineNr() > 0) {
            return Text.of("msg.jsonNotJsonAt", at.getLineNr(), at.getColumnNr());
        }
        return Text.of("msg.jsonNotJson");
    }
}
