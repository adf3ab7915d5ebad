package dev.linger.i18n;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.qute.EngineBuilder;
import io.quarkus.qute.TemplateInstance;

/**
 * Every page speaks the request's language: each template instance made during a request gets the
 * locale {@link RequestLanguage} chose, which is what {@code msg:} reads. Set when the instance is
 * made, because quarkus-rest-qute renders a returned template before any response filter runs, and
 * would otherwise follow Accept-Language alone and ignore the switch.
 */
@ApplicationScoped
public class TemplateLanguage {

    void speakTheRequestsLanguage(@Observes EngineBuilder engine) {
        engine.addTemplateInstanceInitializer(instance -> {
            if (instance.getAttribute(TemplateInstance.LOCALE) == null) {
                instance.setLocale(RequestLanguage.currentLocale());
            }
        });
    }
}
