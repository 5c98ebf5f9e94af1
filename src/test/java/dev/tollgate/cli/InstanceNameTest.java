package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InstanceNameTest {
    @Test
    void theFlagWinsAndTheHostNameIsTheDefault() {
        assertThat(InstanceName.resolve("egress-vm-2")).isEqualTo("egress-vm-2");
        assertThat(InstanceName.resolve(null)).isNotBlank();
    }

    @Test
    void aNameThatWouldNotSurviveALogPipelineIsRefusedNamingTheFlag() {
        assertThatThrownBy(() -> InstanceName.resolve("vm 1\""))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("--instance-name: \"vm 1\"\" must be 1 to 63 letters");
    }
}
