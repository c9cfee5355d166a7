package io.multistore.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.HttpURLConnection;
import java.net.URI;
import org.junit.jupiter.api.Test;

class MotoServerTest {

    @Test
    void startsServesBucketsAndStops() throws Exception {
        MotoServer moto = MotoServer.start();
        try {
            assertTrue(moto.endpoint().startsWith("http://127.0.0.1:"));
            String bucket = moto.createBucket();
            HttpURLConnection head = (HttpURLConnection) URI.create(moto.endpoint() + "/" + bucket).toURL()
                    .openConnection();
            head.setRequestMethod("HEAD");
            assertEquals(200, head.getResponseCode());
            head.disconnect();
            assertTrue(moto.isAlive());
        } finally {
            moto.close();
        }
        assertFalse(moto.isAlive());
    }
}
