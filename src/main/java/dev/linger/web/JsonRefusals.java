package dev.linger.web;

import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.linger.i18n.UiMessages;

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
    static String problem(MismatchedInputException e, UiMessages texts) {
        Class<?> target = e.getTargetType();
        if (target == null) {
            return texts.jsonExpectedOther();
        }
        if (CharSequence.class.isAssignableFrom(target)) {
            return texts.jsonExpectedText();
        }
        if (target == Integer.class || target == int.class || target == Long.class || target == long.class
                || target == Short.class || target == short.class) {
            return texts.jsonExpectedWholeNumber();
        }
        if (target == Boolean.class || target == boolean.class) {
            return texts.jsonExpectedBoolean();
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return texts.jsonExpectedList();
        }
        if (Map.class.isAssignableFrom(target) || target.isRecord()) {
            return texts.jsonExpectedObject();
        }
        return texts.jsonExpectedOther();
    }

    /** A body that is not JSON, or that no request could be built from. */
    static String unreadable(JsonProcessingException e, UiMessages texts) {
        JsonLocation at = e.getLocation();
        if (e instanceof JsonParseException && at != null && at.getLineNr() > 0) {
            return texts.jsonNotJsonAt(at.getLineNr(), at.getColumnNr());
        }
        return texts.jsonNotJson();
    }
}
