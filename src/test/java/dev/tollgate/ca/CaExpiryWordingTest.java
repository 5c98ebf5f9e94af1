package dev.tollgate.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CA expiry warning reads as English at every distance: "1 day", "2 days", "5 hours". */
class CaExpiryWordingTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "PT720H,  30 days",
        "PT48H,   2 days",
        "PT47H,   1 day",
        "PT24H,   1 day",
        "PT23H59M, 23 hours",
        "PT2H,    2 hours",
        "PT1H30M, 1 hour",
        "PT59M,   less than an hour",
    })
    void timeLeftInWords(String left, String words) {
        assertThat(CaChecks.inWords(Duration.parse(left))).isEqualTo(words);
    }

    @Test
    void aOneDayCaSaysHoursNotZeroOrOneDays() throws Exception {
        CertificateAuthority ca = CaGenerator.generate("Brief CA", KeyKind.EC256, 1);
        Path file = TestCas.write(tmp.resolve("brief.pem"), KeyFiles.pkcs8(ca) + KeyFiles.certPem(ca));
        assertThat(CaLoader.load(file, null).warnings())
                .singleElement()
                .asString()
                .containsPattern("CA certificate expires in 23 hours \\(")
                .doesNotContain("days");
    }

    @Test
    void aTwoDayCaSaysOneDay() throws Exception {
        CertificateAuthority ca = CaGenerator.generate("Short CA", KeyKind.EC256, 2);
        Path file = TestCas.write(tmp.resolve("short.pem"), KeyFiles.pkcs8(ca) + KeyFiles.certPem(ca));
        assertThat(CaLoader.load(file, null).warnings())
                .singleElement()
                .asString()
                .contains("CA certificate expires in 1 day (");
    }
}
