package dev.tollgate.admin;

import dev.tollgate.ca.CertificateAuthority;
import dev.tollgate.route.AutoPassthrough;

/** Every path the admin listener serves, in one table. */
final class AdminEndpoints {
    static final String VERSION = "0.1.0";

    private AdminEndpoints() {}

    static AdminRoutes routes(
            AdminAccess access,
            CertificateAuthority ca,
            Readiness readiness,
            AdminParts parts,
            AutoPassthrough autoPassthrough) {
        StaticFiles files = new StaticFiles("index.html", "app.js", "app.css", "login.css", "ca.html");
        CaPage caPage = new CaPage(ca, files);
        HealthEndpoints health = new HealthEndpoints(readiness);
        FlowApi flows = new FlowApi(parts.store(), parts.mapper(), VERSION);
        InventoryApi inventory = new InventoryApi(parts.inventory(), parts.mapper());
        return new AdminRoutes()
                .get("/", files.serve("index.html"))
                .get("/app.js", files.serve("app.js"))
                .get("/app.css", files.serve("app.css"))
                .get("/login.css", files.serve("login.css"))
                .get("/favicon.ico", x -> x.send(204, "image/x-icon", new byte[0]))
                .post("/login", new LoginPage(access))
                .get("/healthz", health::healthz)
                .get("/readyz", health::readyz)
                .get("/metrics", new MetricsEndpoint(parts.metrics().registry()))
                .get("/ca", caPage::page)
                .get("/ca.pem", caPage::pem)
                .get("/ca.der", caPage::der)
                .get("/api/flows", flows::list)
                .get("/api/flows.har", flows::har)
                .getUnder("/api/flows/", flows::one)
                .get("/api/events", parts.events())
                .get("/api/inventory", inventory::json)
                .get("/api/inventory.yaml", inventory::yaml)
                .get("/api/auto-passthrough", new AutoPassthroughApi(autoPassthrough, parts.mapper()));
    }
}
