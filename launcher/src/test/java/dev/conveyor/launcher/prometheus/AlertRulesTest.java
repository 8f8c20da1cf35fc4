package dev.conveyor.launcher.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The alerting rules Prometheus loads are valid, and each alert fires and stays quiet as its unit tests say. */
class AlertRulesTest {

    @BeforeEach
    void promtool() {
        Promtool.assumeInstalled();
    }

    @Test
    void theRulesFileIsValid() {
        Promtool.Run check = Promtool.run("", "check", "rules", Promtool.ALERTS.toString());

        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    @Test
    void everyAlertPassesItsUnitTests() {
        Promtool.Run test = Promtool.run("", "test", "rules", Promtool.ALERT_TESTS.toString());

        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void prometheusLoadsTheRulesFromItsConfiguration() {
        Promtool.Run check = Promtool.run("", "check", "config", Promtool.DEPLOY.resolve("prometheus/prometheus.yml").toString());

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("conveyor-alerts.yml").contains("SUCCESS: 6 rules found");
    }
}
