package org.emrsb.core.masking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PinyinTest {

    @Test
    void theTableIsTheStandardOne() {
        // 410 standard syllables plus lv, lve, lue, nv, nve, nue for ü after l and n.
        assertEquals(416, Pinyin.syllables().size());
        for (String s : List.of("a", "er", "zhuang", "chuang", "shuang", "xian", "xiao", "ming", "yang", "lv", "nue",
                "jiong", "qiong", "xiong", "zhei", "shei", "rua", "fiao", "dia", "den", "nou", "lo", "yo")) {
            assertTrue(Pinyin.isSyllable(s), s);
        }
        for (String s : List.of("m", "n", "ng", "hm", "hng", "je", "zhia", "bia", "gi", "smith", "")) {
            assertFalse(Pinyin.isSyllable(s), s);
        }
        assertTrue(Pinyin.isSyllable("XIAN"));
        for (String s : Pinyin.syllables()) {
            assertTrue(s.matches("[a-z]{1,6}"), s);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "Xiaoming | 2", "Xian | 1", "xian | 1", "XIAN | 1", "YangYang | 2", "Sihua | 2", "Qiang | 1",
        "Zhuangzhuang | 2", "Xi'an | 2", "Xi’an | 2", "Xiao-ming | 2", "Ching-kuo | 0", "Huangu | 2", "Changan | 2",
        "Xiǎomíng | 2", "Nüe | 1", "Lvyi | 2", "Tiananmen | 3",
        "Smith | 0", "Ann | 0", "Li3 | 0", "'' | 0", "'-' | 0", "王 | 0", "Jean | 0",
    })
    void syllableCounts(String token, int count) {
        assertEquals(count, Pinyin.countSyllables(token));
    }

    @Test
    void segmentsPointIntoTheWrittenToken() {
        assertArrayEquals(new int[] {0, 4, 4, 8}, Pinyin.segment("YangYang"));
        assertArrayEquals(new int[] {0, 2, 3, 5}, Pinyin.segment("Xi'an"));
        // an accent written as a separate combining character stays with its letter
        assertArrayEquals(new int[] {0, 5, 5, 10}, Pinyin.segment("Xia\u030Cox\u0131\u0304an".replace('\u0131', 'i')));
        assertNull(Pinyin.segment("Huangu1"));
    }
}
