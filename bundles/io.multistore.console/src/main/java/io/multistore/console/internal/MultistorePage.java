package io.multistore.console.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.StoredCredential;
import io.multistore.api.backend.Backend;
import io.multistore.api.config.ConfigProvider;
import io.multistore.api.config.ConfigStatus;
import io.multistore.api.http.Gateway;
import io.multistore.api.http.RouteHandler;
import io.multistore.api.observe.CompletedRequest;
import io.multistore.api.observe.RequestListener;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Multistore page of the Felix Web Console (read-only): the buckets of the active config provider with their
 * backend type and whether a backend of that type is bound, the credentials (ids, principals, state and expiry —
 * never secrets), the roles, the config providers and which one the gateway uses, the installed backend types and
 * route handlers, and live request counters (this component is a request listener). Editing belongs to the writable
 * providers.
 */
@Component(service = {Servlet.class, RequestListener.class}, property = {
        "felix.webconsole.label=" + MultistorePage.LABEL,
        "felix.webconsole.title=Multistore",
        "felix.webconsole.category=Multistore"})
public final class MultistorePage extends AbstractServlet implements RequestListener {

    private static final long serialVersionUID = 1L;
    static final String LABEL = "multistore";
    private static final Logger LOG = LoggerFactory.getLogger(MultistorePage.class);

    private final transient BundleContext context;
    private final transient RequestCounters counters = new RequestCounters();
    private final Instant since = Instant.now();

    @Activate
    public MultistorePage(BundleContext context) {
        this.context = context;
    }

    @Override
    public void completed(CompletedRequest request) {
        counters.record(request);
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrintWriter out = response.getWriter();
        out.println("<div id='multistore'>");
        counters(out);

        ServiceReference<Gateway> gateway = context.getServiceReference(Gateway.class);
        String target = gateway == null ? null : string(gateway.getProperty("configProvider.target"));
        out.println("<h2>Config providers</h2>");
        out.println("<p id='gateway-target'>The gateway uses the provider matching <code>" + html(target == null
                ? "(gateway not active)" : target) + "</code></p>");
        ConfigProvider active = null;
        table(out, "providers", List.of("Source", "Service", "Bundle", "Active"), rows -> {
            for (ServiceReference<ConfigProvider> ref : refs(ConfigProvider.class)) {
                boolean matches = target != null && matches(ref, target);
                rows.add(List.of(string(ref.getProperty(ConfigProvider.SOURCE)),
                        String.valueOf(ref.getProperty("component.name")), ref.getBundle().getSymbolicName(),
                        matches ? "yes" : "no"));
            }
        });
        if (target != null) {
            active = service(ConfigProvider.class, target);
        }
        providerStatus(out, active);

        Set<String> types = backendTypes();
        out.println("<h2>Buckets</h2>");
        List<BucketConfig> buckets = List.of();
        List<StoredCredential> credentials = List.of();
        List<RoleConfig> roles = List.of();
        if (active == null) {
            out.println("<p class='error'>No config provider is active.</p>");
        } else {
            try {
                buckets = active.buckets();
                credentials = active.credentials();
                roles = active.roles();
            } catch (RuntimeException e) {
                LOG.warn("The config provider failed while the console read it", e);
                out.println("<p class='error'>The config provider failed: " + html(e.getMessage()) + "</p>");
            }
        }
        List<BucketConfig> bucketRows = buckets;
        table(out, "buckets", List.of("Name", "Backend type", "Backend bound", "Anonymous", "Prefix",
                "Allowed roles"), rows -> {
                    for (BucketConfig b : bucketRows) {
                        rows.add(List.of(b.name(), b.backendType(), types.contains(b.backendType()) ? "yes" : "NO",
                                b.anonymousAccess() ? "yes" : "no", b.backendPrefix(),
                                String.join(", ", b.allowedRoles())));
                    }
                });

        out.println("<h2>Credentials</h2>");
        List<StoredCredential> credentialRows = credentials;
        Instant now = Instant.now();
        table(out, "credentials", List.of("Access key id", "Principal", "Enabled", "Expires", "Usable now",
                "Scopes"), rows -> {
                    for (StoredCredential c : credentialRows) {
                        rows.add(List.of(c.accessKeyId(), string(c.principalName()), c.enabled() ? "yes" : "no",
                                c.expiresAt() == null ? "never" : c.expiresAt().toString(),
                                c.usableAt(now) ? "yes" : "no", Integer.toString(c.allowedScopes().size())));
                    }
                });

        out.println("<h2>Roles</h2>");
        List<RoleConfig> roleRows = roles;
        table(out, "roles", List.of("Role id", "Name", "Trusted issuers", "Max session (s)", "Scopes"), rows -> {
            for (RoleConfig r : roleRows) {
                rows.add(List.of(r.roleId(), string(r.name()), String.join(", ", r.trustedOidcIssuers()),
                        Long.toString(r.maxSessionDurationSecs()), Integer.toString(r.allowedScopes().size())));
            }
        });

        out.println("<h2>Backends</h2>");
        table(out, "backends", List.of("Backend type", "Bundle", "Version"), rows -> {
            for (ServiceReference<Backend> ref : refs(Backend.class)) {
                rows.add(List.of(string(ref.getProperty(Backend.TYPE)), ref.getBundle().getSymbolicName(),
                        ref.getBundle().getVersion().toString()));
            }
        });

        out.println("<h2>Route handlers</h2>");
        table(out, "routes", List.of("Name", "Bundle", "Ranking"), rows -> {
            for (ServiceReference<RouteHandler> ref : refs(RouteHandler.class)) {
                Object ranking = ref.getProperty("service.ranking");
                rows.add(List.of(string(ref.getProperty(RouteHandler.NAME)), ref.getBundle().getSymbolicName(),
                        ranking == null ? "0" : ranking.toString()));
            }
        });
        out.println("</div>");
    }

    /** The active provider's last load and last failure (messages of files, lines and stores; no secret). */
    private static void providerStatus(PrintWriter out, ConfigProvider active) {
        Optional<ConfigStatus> status = Optional.empty();
        if (active != null) {
            try {
                status = active.status();
            } catch (RuntimeException e) {
                LOG.debug("The config provider's status failed", e);
            }
        }
        Optional<ConfigStatus> shown = status;
        table(out, "provider-status", List.of("Last load", "Loaded", "Last error", "Error"), rows -> shown
                .ifPresent(st -> rows.add(List.of(st.loaded() == null ? "never" : st.loaded().toString(),
                        string(st.summary()), st.failed() == null ? "none" : st.failed().toString(),
                        string(st.failure())))));
    }

    private void counters(PrintWriter out) {
        out.println("<h2>Requests since " + html(since.toString()) + "</h2>");
        table(out, "counters", List.of("Requests", "2xx/3xx", "4xx", "5xx", "Bytes in", "Bytes out",
                "Mean time (ms)"), rows -> rows.add(List.of(Long.toString(counters.requests.sum()),
                        Long.toString(counters.ok.sum()), Long.toString(counters.clientErrors.sum()),
                        Long.toString(counters.serverErrors.sum()), Long.toString(counters.bytesIn.sum()),
                        Long.toString(counters.bytesOut.sum()), String.format("%.2f", counters.meanMillis()))));
    }

    private interface Rows {
        void fill(List<List<String>> rows);
    }

    private static void table(PrintWriter out, String id, List<String> headers, Rows rows) {
        List<List<String>> data = new ArrayList<>();
        rows.fill(data);
        out.println("<table id='" + id + "' class='tablesorter nicetable'><thead><tr>");
        headers.forEach(h -> out.print("<th>" + html(h) + "</th>"));
        out.println("</tr></thead><tbody>");
        if (data.isEmpty()) {
            out.println("<tr><td colspan='" + headers.size() + "'>none</td></tr>");
        }
        for (List<String> row : data) {
            out.print("<tr>");
            row.forEach(cell -> out.print("<td>" + html(cell) + "</td>"));
            out.println("</tr>");
        }
        out.println("</tbody></table>");
    }

    private Set<String> backendTypes() {
        Set<String> types = new TreeSet<>();
        for (ServiceReference<Backend> ref : refs(Backend.class)) {
            Object type = ref.getProperty(Backend.TYPE);
            if (type instanceof String[] a) {
                types.addAll(List.of(a));
            } else if (type instanceof Collection<?> c) {
                c.forEach(t -> types.add(String.valueOf(t)));
            } else if (type != null) {
                types.add(type.toString());
            }
        }
        return types;
    }

    private <T> List<ServiceReference<T>> refs(Class<T> type) {
        try {
            List<ServiceReference<T>> refs = new ArrayList<>(context.getServiceReferences(type, null));
            refs.sort(null);
            java.util.Collections.reverse(refs);
            return refs;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean matches(ServiceReference<?> ref, String filter) {
        try {
            return context.createFilter(filter).match(ref);
        } catch (InvalidSyntaxException e) {
            return false;
        }
    }

    private <T> T service(Class<T> type, String filter) {
        try {
            for (ServiceReference<T> ref : context.getServiceReferences(type, filter)) {
                T service = context.getService(ref);
                if (service != null) {
                    context.ungetService(ref);
                    return service;
                }
            }
        } catch (InvalidSyntaxException e) {
            LOG.debug("The gateway's provider target {} is not a filter", filter, e);
        }
        return null;
    }

    private static String string(Object value) {
        if (value instanceof String[] a) {
            return String.join(", ", a);
        }
        return value == null ? "" : value.toString();
    }

    static String html(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
