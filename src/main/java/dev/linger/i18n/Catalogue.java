package dev.linger.i18n;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import org.jboss.logging.Logger;

import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundle;
import io.quarkus.qute.i18n.MessageBundles;

/**
 * The message catalogue: every {@link MessageBundle} interface, each message addressed as {@code bundle.method}
 * ({@code fact.closeWaitCount}). The English of a message is its {@code @Message}; every other language is the file
 * {@code messages/<bundle>_<tag>.properties}, so a language is files only. {@link #render} says a {@link Text} in a
 * locale through the bundle Quarkus generated for it; a locale without its own file falls back to its language,
 * then to English.
 */
public final class Catalogue {

    private static final Logger LOG = Logger.getLogger(Catalogue.class);

    /** Every bundle. A new bundle is added here and gets its {@code _zh} file (MessageBundlesTest). */
    public static final List<Class<?>> BUNDLES = List.of(UiMessages.class, HostMessages.class, JobMessages.class,
            RunbookMessages.class, PageMessages.class, ActionMessages.class, SecurityMessages.class,
            LabelMessages.class, IncidentFacts.class, JobFacts.class, StepFacts.class, RefusalMessages.class,
            TokenMessages.class, SsoMessages.class, SilenceMessages.class,
            ChannelMessages.class, PolicyMessages.class, NoteMessages.class, SearchMessages.class);

    private static final Map<String, Method> METHODS = methods();
    private static final Map<String, Object> BUNDLE_BY_LOCALE = new ConcurrentHashMap<>();

    private Catalogue() {
    }

    private static Map<String, Method> methods() {
        Map<String, Method> out = new HashMap<>();
        for (Class<?> bundle : BUNDLES) {
            String name = bundle.getAnnotation(MessageBundle.class).value();
            for (Method m : bundle.getDeclaredMethods()) {
                if (out.put(name + "." + m.getName(), m) != null) {
                    throw new IllegalStateException("two messages " + name + "." + m.getName()
                            + ": give each a name of its own");
                }
            }
        }
        return Map.copyOf(out);
    }

    /** Whether the catalogue has this key ({@code bundle.method}). */
    public static boolean has(String key) {
        return METHODS.containsKey(key);
    }

    /** Fails unless the key exists and each argument fits the message's parameter. */
    static void check(Text text) {
        Method m = METHODS.get(text.key());
        if (m == null) {
            throw new IllegalArgumentException("no message " + text.key() + " in the catalogue");
        }
        Class<?>[] types = m.getParameterTypes();
        if (types.length != text.args().size()) {
            throw new IllegalArgumentException(text.key() + " takes " + types.length + " arguments, not "
                    + text.args().size());
        }
        for (int i = 0; i < types.length; i++) {
            if (!fits(types[i], text.args().get(i))) {
                throw new IllegalArgumentException(text.key() + ": argument " + i + " is a "
                        + text.args().get(i).getClass().getSimpleName() + ", the message takes a " + types[i].getSimpleName());
            }
        }
    }

    private static boolean fits(Class<?> type, Object arg) {
        if (type == String.class || type == Object.class) {
            return true;
        }
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
            return arg instanceof Long;
        }
        if (type == double.class || type == Double.class) {
            return arg instanceof Long || arg instanceof Double;
        }
        if (type == boolean.class || type == Boolean.class) {
            return arg instanceof Boolean;
        }
        return false;
    }

    /** The text in words of this locale. A key that no longer exists shows as itself, and is logged. */
    public static String render(Text text, Locale locale) {
        Method m = METHODS.get(text.key());
        if (m == null || m.getParameterCount() != text.args().size()) {
            LOG.warnf("a stored text has no message (any more): %s", text.toJson());
            return text.key() + text.args();
        }
        Object bundle = bundle(m.getDeclaringClass(), locale);
        Class<?>[] types = m.getParameterTypes();
        // each stored argument as the message method's parameter at its place takes it
        List<Object> args = IntStream.range(0, types.length)
                .mapToObj(i -> argument(types[i], text.args().get(i), locale)).toList();
        try {
            return (String) m.invoke(bundle, args.toArray());
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("rendering " + text.toJson(), e);
        }
    }

    private static Object argument(Class<?> type, Object arg, Locale locale) {
        if (type == int.class || type == Integer.class) {
            return ((Number) arg).intValue();
        }
        if (type == long.class || type == Long.class) {
            return ((Number) arg).longValue();
        }
        if (type == double.class || type == Double.class) {
            return ((Number) arg).doubleValue();
        }
        if (type == boolean.class || type == Boolean.class) {
            return arg;
        }
        return say(arg, locale);
    }

    private static String say(Object arg, Locale locale) {
        if (arg instanceof Text t) {
            return render(t, locale);
        }
        if (arg instanceof List<?> list) {
            String separator = ((UiMessages) bundle(UiMessages.class, locale)).listSeparator();
            StringBuilder b = new StringBuilder();
            for (Object item : list) {
                if (!b.isEmpty()) {
                    b.append(separator);
                }
                b.append(say(item, locale));
            }
            return b.toString();
        }
        return String.valueOf(arg);
    }

    /** The bundle of this locale: its exact tag, else its language, else the default (English). */
    public static Object bundle(Class<?> bundle, Locale locale) {
        return BUNDLE_BY_LOCALE.computeIfAbsent(bundle.getName() + "|" + locale.toLanguageTag(), k -> {
            for (String tag : new String[] {locale.toLanguageTag(), locale.getLanguage()}) {
                try {
                    return MessageBundles.get(bundle, Localized.Literal.of(tag));
                } catch (RuntimeException noSuchLocale) {
                    // next candidate
                }
            }
            return MessageBundles.get(bundle);
        });
    }
}
