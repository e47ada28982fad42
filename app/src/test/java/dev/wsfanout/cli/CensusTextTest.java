package dev.wsfanout.cli;

import dev.wsfanout.registry.RegistryCensus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The --aws census text, which no test can take from a deployed registry. */
class CensusTextTest {

    private static final Instant AT = Instant.parse("2026-12-01T13:20:05.123Z");
    private static final RegistryCensus.Report REPORT = new RegistryCensus.Report(612_345, 612_347, 2, 4, 1,
            List.of(new RegistryCensus.Drift(17, 250, 247), new RegistryCensus.Drift(2_301, 244, 245)));

    @Test
    void withoutProbeItSaysWhatOnlyGetConnectionCanTell() {
        assertEquals("""
                registry census (AWS eu-west-1, 2026-12-01T13:20:05Z)
                  rows                     612,345
                  rows without a socket   not checked: on AWS only GetConnection per row tells; the sweeper asks
                                          about every row and removes the gone ones (--probe counts them here)
                  sockets without a row   not knowable: API Gateway cannot list a stage's connections
                  recorded total           612,347 (sum of the partitions' counts)
                  partitions drifted             2 of 2,500 (total |drift| 4)
                  partitions busy                1 (drifted, but their count moved during the census: a connect or disconnect in flight)
                  drifted partitions:
                    partition 17       recorded       250   rows       247   (+3)
                    partition 2301     recorded       244   rows       245   (-1)
                """, CensusText.aws(REPORT, 2_500, "eu-west-1", AT, null));
    }

    @Test
    void withProbeItCountsTheRowsGetConnectionAnswered410For() {
        String text = CensusText.aws(REPORT, 2_500, "eu-west-1", AT, new CensusText.Probed(612_300, 45, 1_204, 3));
        assertEquals(List.of(
                "  rows                     612,345",
                "  rows probed              612,300 (45 younger than 10 s not asked)",
                "  rows without a socket      1,204 (GetConnection answered 410)",
                "  probes inconclusive            3 (throttled or failed; not counted above)",
                "  sockets without a row   not knowable: API Gateway cannot list a stage's connections"),
                text.lines().toList().subList(1, 6));
    }
}
