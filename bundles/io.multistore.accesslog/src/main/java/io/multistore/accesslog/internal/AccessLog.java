package io.multistore.accesslog.internal;

import io.multistore.api.observe.CompletedRequest;
import io.multistore.api.observe.RequestListener;
import java.util.Locale;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one line per completed request to a logger of its own, at INFO, so an operator routes or silences
 * it like any other logger ({@code MULTISTORE_LOG_LEVEL=multistore.access=off}). Runs without a configuration (on by
 * default); {@code enabled=false} in its PID turns it off. Nothing in a {@link CompletedRequest} is secret, and no
 * header, query string or signature is written.
 */
@Component(service = RequestListener.class, configurationPid = AccessLog.PID)
@Designate(ocd = AccessLog.Config.class)
public final class AccessLog implements RequestListener {

    public static final String PID = "io.multistore.accesslog";
    public static final String LOGGER = "multistore.access";

    @ObjectClassDefinition(name = "Multistore access log", description = "One line per request to the "
            + "'multistore.access' logger at INFO.")
    public @interface Config {
        @AttributeDefinition(name = "Enabled", description = "Write the access log.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Format", description = "json: one JSON object per line; s3: the S3 server "
                + "access log record layout.", options = {@Option(label = "JSON lines", value = "json"),
                        @Option(label = "S3 server access log", value = "s3")})
        String format() default "json";

        @AttributeDefinition(name = "Logger", description = "The SLF4J logger the lines go to.")
        String logger() default LOGGER;

        @AttributeDefinition(name = "Queue size", min = "0", description = "Lines are handed to the logger by a "
                + "thread of the access log's own, through a queue of this many lines, so requests never wait for "
                + "the logger's locks and writes; when it is full a request waits for room, and every queued line "
                + "is written before the access log stops (nothing is dropped). 0 writes each line on the "
                + "request's thread.")
        int queue__size() default 8192;
    }

    private final Logger log;
    private final boolean enabled;
    private final AccessLogFormat format;
    /** {@code null}: each line is logged on the request's thread. */
    private final LineWriter writer;

    @Activate
    public AccessLog(Config config) {
        this(LoggerFactory.getLogger(config.logger().isBlank() ? LOGGER : config.logger().trim()), config.enabled(),
                AccessLogFormat.of(config.format()), config.queue__size());
    }

    AccessLog(Logger log, boolean enabled, AccessLogFormat format, int queueSize) {
        if (queueSize < 0) {
            throw new IllegalArgumentException("queue_size must be 0 (no queue) or positive, not " + queueSize);
        }
        this.log = log;
        this.enabled = enabled;
        this.format = format;
        this.writer = enabled && queueSize > 0 ? new LineWriter(log::info, queueSize, "multistore-access-log")
                : null;
    }

    @Deactivate
    void deactivate() {
        if (writer != null) {
            writer.close();
        }
    }

    @Override
    public void completed(CompletedRequest request) {
        if (enabled && log.isInfoEnabled()) {
            String line = format.line(request);
            if (writer != null) {
                writer.write(line);
            } else {
                log.info(line);
            }
        }
    }

    @Override
    public String toString() {
        return "AccessLog[" + format.name().toLowerCase(Locale.ROOT) + "]";
    }
}
