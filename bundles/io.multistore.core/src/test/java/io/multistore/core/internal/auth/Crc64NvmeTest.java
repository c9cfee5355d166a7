package io.multistore.core.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64NvmeTest {

    static long crc(byte[] data, int step) {
        Crc64Nvme crc = new Crc64Nvme();
        for (int i = 0; i < data.length; i += step) {
            crc.update(data, i, Math.min(step, data.length - i));
        }
        return crc.value();
    }

    @Test
    void catalogueCheckValue() {
        // CRC-64/NVME in the CRC catalogue: check = crc("123456789")
        assertEquals(0xae8b14860a799888L, crc("123456789".getBytes(StandardCharsets.US_ASCII), 9));
        assertEquals(0L, crc(new byte[0], 1));
    }

    @Test
    void slicedAndBytewiseAgree() {
        byte[] data = new byte[10_007];
        new Random(42).nextBytes(data);
        long whole = crc(data, data.length);
        assertEquals(whole, crc(data, 1));
        assertEquals(whole, crc(data, 13));
    }
}
