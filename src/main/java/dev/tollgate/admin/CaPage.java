package dev.tollgate.admin;

import dev.tollgate.ca.CertificateAuthority;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** {@code /ca.pem}, {@code /ca.der} and {@code /ca}: the CA and how to trust it on each platform. */
final class CaPage {
    private final CertificateAuthority ca;
    private final String template;

    /** @param ca null when the proxy runs without one (interception off) */
    CaPage(CertificateAuthority ca, StaticFiles files) {
        this.ca = ca;
        this.template = files.text("ca.html");
    }

    void pem(AdminExchange x) {
        if (missing(x)) {
            return;
        }
        x.send(
                200,
                "application/x-pem-file",
                ca.certificatePem().getBytes(StandardCharsets.US_ASCII),
                "attachment; filename=\"tollgate-ca.pem\"");
    }

    void der(AdminExchange x) {
        if (missing(x)) {
            return;
        }
        x.send(200, "application/x-x509-ca-cert", ca.der(), "attachment; filename=\"tollgate-ca.der\"");
    }

    void page(AdminExchange x) {
        if (missing(x)) {
            return;
        }
        String origin = "http://" + x.request().headers().get(HttpHeaderNames.HOST, "127.0.0.1:8081");
        x.html(
                200,
                template.replace("{{subject}}", Html.escape(ca.subject()))
                        .replace("{{fingerprint}}", ca.sha256Fingerprint())
                        .replace(
                                "{{notAfter}}",
                                DateTimeFormatter.ISO_LOCAL_DATE.format(ca.certificate()
                                        .getNotAfter()
                                        .toInstant()
                                        .atZone(ZoneOffset.UTC)))
                        .replace("{{origin}}", Html.escape(origin))
                        .replace("{{base64}}", ca.certificateBase64Line()));
    }

    private boolean missing(AdminExchange x) {
        if (ca == null) {
            x.text(404, "this proxy runs without a CA (interception is off), so there is nothing to trust\n");
            return true;
        }
        return false;
    }
}
