package dev.linger.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.interceptor.InterceptorBinding;

/**
 * On a page or API class: its GET methods (reads, safe to repeat) are run once more when they fail on a
 * dropped database connection ({@link DroppedConnections}). Other methods are never repeated.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RetryReadsOnDroppedConnection {
}
