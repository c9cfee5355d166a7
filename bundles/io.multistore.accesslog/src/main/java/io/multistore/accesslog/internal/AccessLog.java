package io.multistore.accesslog.internal;

import io.multistore.api.observe.CompletedRequest;
import io.multistore.api.observe.RequestListener;
import java.util.List;
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
 * The access log: one line per completed request. By default the bare lines go to standard output (the server's own
 * log goes to standard error): each request formats its line once it has been answered, and a thread of the access
 * log's own writes the lines in batches. {@code output} sends them to standard error, to a file, or through the
 * {@code multistore.access} logger instead. That logger's level switches the access log whatever its output
 * ({@code MULTISTORE_LOG_LEVEL=multistore.access=off}), as does {@code enabled=false} in its PID. Runs without a
 * configuration (on by default). Nothing in a {@link CompletedRequest} is secret, and no header, query string or
 * signature is written.
 */
@Component(service = RequestListener.class, configurationPid = AccessLog.PID)
@Designate(ocd = AccessLog.Config.class)
public final class AccessLog implements RequestListener {

    public static final String PID = "io.multistore.accesslog";
    public static final String LOGGER = "multistore.access";

    @ObjectClassDefinition(name = "Multistore access log", description = "One line per request, by default to "
            + "standard output.")
    public @interface Config {
        @AttributeDefinition(name = "Enabled", description = "Write the access log.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Format", description = "json: one JSON object per line; s3: the S3 server "
                + "access log record layout.", options = {@Option(label = "JSON lines", value = "json"),
                        @Option(label = "S3 server access log", value = "s3")})
        String format() default "json";

        @AttributeDefinition(name = "Output", description = "Where the lines go: stdout (the process's standard "
                + "output, bare lines; the server's own log is on standard error), stderr, logger (each line a log "
                + "event of the logger below, with the logging provider's prefix; costs more per line), or the "
                + "path of a file (appended to; reopened when log rotation moves it away).")
        String output() default "stdout";

        @AttributeDefinition(name = "Logger", description = "The SLF4J logger whose level (INFO) switches the "
                + "access log on, and that the lines go to with output=logger.")
        String logger() default LOGGER;

        @AttributeDefinition(name = "Queue size", min = "0", description = "Requests hand their line to a thread "
                + "of the access log's own through a queue of this many lines, so they never wait for a write; "
                + "when it is full a request waits for room, and every queued line is written before the access "
                + "log stops (nothing is dropped). 0 writes each line on the request's thread.")
        int queue__size() default 8192;
    }

    private final Logger log;
    private final boolean enabled;
    private final AccessLogFormat format;
    private final LineOutput output;
    /** {@code null}: each line is written on the request's thread. */
    private final BatchWriter<byte[]> writer;

    @Activate
    public AccessLog(Config config) {
        this(LoggerFactory.getLogger(config.logger().isBlank() ? LOGGER : config.logger().trim()), config.enabled(),
                AccessLogFormat.of(config.format()), config.output(), config.queue__size());
    }

    AccessLog(Logger log, boolean enabled, AccessLogFormat format, String output, int queueSize) {
        if (queueSize < 0) {
            throw new IllegalArgumentException("queue_size must be 0 (no queue) or positive, not " + queueSize);
        }
        this.log = log;
        this.enabled = enabled;
        this.format = format;
        this.output = enabled ? LineOutput.of(output, log) : null;
        this.writer = enabled && queueSize > 0
                ? new BatchWriter<>(this.output::write, queueSize, "multistore-access-log") : null;
    }

    @Deactivate
    void deactivate() {
        if (writer != null) {
            writer.close();
        }
        if (output != null) {
            output.close();
        }
    }

    @Override
    public void completed(CompletedRequest request) {
        if (enabled && log.isInfoEnabled()) {
            byte[] line = format.bytes(request);
            if (writer != null) {
                writer.write(line);
            } else {
                output.write(List.of(line));
            }
        }
    }

    @Override
    public String toString() {
        return "AccessLog[" + format.name().toLowerCase(Locale.ROOT) + " to " + output + "]";
    }
}
