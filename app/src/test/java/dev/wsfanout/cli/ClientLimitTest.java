package dev.wsfanout.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientLimitTest {

    @Test
    void twoFilesPerClientAfterTheStacksThousand() {
        assertEquals(9_500, ClientLimit.maxClients(20_000));
        assertEquals(0, ClientLimit.maxClients(500));
    }

    @Test
    void refusesOneClientTooManyAndSaysWhy() {
        ClientLimit.require(9_500, 20_000);
        CliException refused = assertThrows(CliException.class, () -> ClientLimit.require(9_501, 20_000));

        assertEquals(CliException.REFUSED, refused.exitCode());
        assertTrue(refused.getMessage().contains("--clients 9,501") && refused.getMessage().contains("at most 9,500"),
                refused.getMessage());
    }

    @Test
    void refusesZeroClients() {
        assertThrows(CliException.class, () -> ClientLimit.require(0, 20_000));
    }
}
