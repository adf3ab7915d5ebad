package dev.linger.web;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.ws.rs.GET;

import org.jboss.logging.Logger;

/** Repeats a GET once when it failed on a dropped database connection; see {@link RetryReadsOnDroppedConnection}. */
@RetryReadsOnDroppedConnection
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 100)
public class RetryReadsInterceptor {

    private static final Logger LOG = Logger.getLogger(RetryReadsInterceptor.class);

    @AroundInvoke
    Object retryOnce(InvocationContext ctx) throws Exception {
        try {
            return ctx.proceed();
        } catch (Exception e) {
            if (!ctx.getMethod().isAnnotationPresent(GET.class) || !DroppedConnections.isDroppedConnection(e)) {
                throw e;
            }
            LOG.warnf("GET %s lost its database connection (%s); retrying once", ctx.getMethod().getName(),
                    e.getMessage());
            return ctx.proceed();
        }
    }
}
