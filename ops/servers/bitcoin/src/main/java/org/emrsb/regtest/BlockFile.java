package org.emrsb.regtest;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The node's chain on disk: every block after genesis, in height order, as one line of lowercase hex
 * of its wire serialisation ({@code blocks.hex}; the format other tools, e.g. python-bitcoinlib or
 * {@code bitcoind -regtest submitblock}, can replay). A block is appended and forced to disk only
 * after the chain accepted it, and before any client hears of it. A last line without its newline is
 * the torn write of a crash; it was never acknowledged, so it is dropped on reading.
 */
final class BlockFile {

    private static final HexFormat HEX = HexFormat.of();

    private final Path file;

    BlockFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /** The raw blocks on disk, in order; truncates a torn last line. */
    List<byte[]> readAll() throws IOException {
        List<byte[]> blocks = new ArrayList<>();
        if (!Files.exists(file)) {
            return blocks;
        }
        byte[] content = Files.readAllBytes(file);
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n') {
                String line = new String(content, start, i - start, StandardCharsets.US_ASCII).trim();
                if (!line.isEmpty()) {
                    blocks.add(HEX.parseHex(line));
                }
                start = i + 1;
            }
        }
        if (start < content.length) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(start);
                channel.force(true);
            }
        }
        return blocks;
    }

    void append(byte[] block) throws IOException {
        byte[] line = (HEX.formatHex(block) + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            channel.write(java.nio.ByteBuffer.wrap(line));
            channel.force(false);
        }
    }

    long size() throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }
}
