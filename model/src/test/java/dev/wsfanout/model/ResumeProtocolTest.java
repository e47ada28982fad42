package dev.wsfanout.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resume request as clients send it, and the control messages exactly as docs/resume.md writes them. */
class ResumeProtocolTest {

    @Test
    void aRequestSaysWhatTheClientHasAndWhetherItIsAKeepAlive() {
        assertEquals(new ResumeProtocol.Request(OptionalLong.of(41), false),
                ResumeProtocol.Request.fromJson("{\"action\":\"resume\",\"since\":41}"));
        assertEquals(new ResumeProtocol.Request(OptionalLong.of(41), true),
                ResumeProtocol.Request.fromJson("{\"action\":\"resume\",\"since\":41,\"quiet\":true}"));
        assertEquals(new ResumeProtocol.Request(OptionalLong.empty(), false), ResumeProtocol.Request.fromJson("{\"action\":\"resume\"}"));
        assertEquals(new ResumeProtocol.Request(OptionalLong.empty(), false),
                ResumeProtocol.Request.fromJson("{\"action\":\"resume\",\"since\":null}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"since\":-1}", "{\"since\":1.5}", "{\"since\":\"41\"}", "{\"since\":[]}", "[41]", "not json", "",
            "{\"since\":1,\"quiet\":\"yes\"}"})
    void aMalformedRequestNamesWhatIsWrong(String body) {
        JsonCodec.MalformedJsonException e = assertThrows(JsonCodec.MalformedJsonException.class,
                () -> ResumeProtocol.Request.fromJson(body));
        assertTrue(e.getMessage().contains("resume"), e.getMessage());
    }

    @Test
    void controlMessagesHaveTheDocumentedFieldsInOrder() {
        assertEquals("{\"type\":\"gap\",\"reason\":\"expired\",\"since\":41,\"from\":42,\"to\":57,\"head\":160}",
                ResumeProtocol.expiredGap(41, 42, 57, 160));
        assertEquals("{\"type\":\"gap\",\"reason\":\"unknown\",\"since\":41,\"head\":3}", ResumeProtocol.unknownGap(41, 3));
        assertEquals("{\"type\":\"resumed\",\"since\":41,\"head\":160,\"replayed\":103}",
                ResumeProtocol.resumed(OptionalLong.of(41), 160, 103));
        assertEquals("{\"type\":\"resumed\",\"since\":null,\"head\":0,\"replayed\":0}", ResumeProtocol.resumed(OptionalLong.empty(), 0, 0));
        assertEquals("{\"type\":\"error\",\"action\":\"resume\",\"message\":\"why\"}", ResumeProtocol.error("why"));
    }
}
