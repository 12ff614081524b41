package org.robustsam.studio.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An ImageIO input stream over a file opened by its {@link Path}. ImageIO's own file streams go
 * through {@link java.io.File}, which keeps the name as a Java string: a name that is not valid in
 * the system's encoding (photos copied from old cameras or Windows zips) then names a file that does
 * not exist. A Path keeps the name's bytes, so every file a folder listing shows can be opened.
 * Reads are positional and buffered, so decoders may seek freely.
 */
public final class ChannelImageInputStream extends ImageInputStreamImpl {
    private static final int BUFFER = 1 << 16;

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    private long bufferStart;
    private boolean closed;

    public ChannelImageInputStream(Path file) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        buffer.limit(0);
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        bitOffset = 0;
        if (!fill()) {
            return -1;
        }
        int b = buffer.get((int) (streamPos - bufferStart)) & 0xff;
        streamPos++;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkClosed();
        Objects.checkFromIndexSize(off, len, b.length);
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int at = (int) (streamPos - bufferStart);
        int n = Math.min(len, buffer.limit() - at);
        buffer.get(at, b, off, n);
        streamPos += n;
        return n;
    }

    /** Makes the buffer hold the byte at {@code streamPos}; false at the end of the file. */
    private boolean fill() throws IOException {
        if (streamPos >= bufferStart && streamPos < bufferStart + buffer.limit()) {
            return true;
        }
        buffer.clear();
        bufferStart = streamPos;
        int n = channel.read(buffer, streamPos);
        if (n <= 0) {
            buffer.limit(0);
            return false;
        }
        buffer.flip();
        return true;
    }

    @Override
    public long length() {
        try {
            return channel.size();
        } catch (IOException e) {
            return -1L;
        }
    }

    /** Closing twice is allowed: ImageIO.read closes the stream it was given, and try-with-resources again. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        super.close();
        channel.close();
    }
}
