package org.robustsam.studio.model.checkpoint;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal, data-only pickle interpreter for checkpoint pickles (protocols 2 to 5).
 *
 * <p>Why our own: Python's pickle runs arbitrary callables; here the only callables are those in
 * {@link SafeGlobals}, which build plain Java data. Every length read from the stream is checked
 * against the bytes left before anything is allocated, so hostile input fails with a
 * {@link CheckpointException} instead of exhausting memory.
 *
 * <p>Values: String, Long or BigInteger, Double, Boolean, null, byte[], ArrayList (list),
 * {@link PickleTuple}, LinkedHashMap (dict and OrderedDict), {@link StorageRef}, {@link TensorRef}.
 */
final class PickleMachine {
    /** Resolves a persistent id (torch: the storage tuple) to a value. */
    interface PersistentLoader {
        Object load(Object pid) throws CheckpointException;
    }

    private final Path file;
    private final ByteBuffer in;
    private final SafeGlobals globals;
    private final PersistentLoader persistent;
    private final List<Object> stack = new ArrayList<>();
    private final Deque<Integer> marks = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();

    PickleMachine(Path file, byte[] pickle, SafeGlobals globals, PersistentLoader persistent) {
        this.file = file;
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
        this.globals = globals;
        this.persistent = persistent;
    }

    /** Runs the pickle to its STOP and returns the object it built. */
    Object run() throws CheckpointException {
        while (true) {
            if (!in.hasRemaining()) {
                throw corrupt("the pickle ends without its STOP opcode (truncated data.pkl)");
            }
            int at = in.position();
            int op = in.get() & 0xff;
            if (op == '.') {
                if (stack.size() != 1) {
                    throw corrupt("the pickle stopped with " + stack.size() + " values on its stack");
                }
                return stack.get(0);
            }
            step(op, at);
        }
    }

    private void step(int op, int at) throws CheckpointException {
        switch (op) {
            case 0x80 -> { // PROTO
                int protocol = u8();
                if (protocol > 5) {
                    throw corrupt("unsupported pickle protocol " + protocol);
                }
            }
            case 0x95 -> skip(8); // FRAME: framing is irrelevant when the whole pickle is in memory
            case '(' -> marks.push(stack.size()); // MARK
            case '0' -> pop(); // POP
            case '1' -> popMark(); // POP_MARK
            case '2' -> push(peek()); // DUP
            case 'N' -> push(null);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'J' -> push((long) i32());
            case 'K' -> push((long) u8());
            case 'M' -> push((long) u16());
            case 0x8a -> push(longValue(u8())); // LONG1
            case 0x8b -> push(longValue(length(i32()))); // LONG4
            case 'G' -> push(f64BigEndian()); // BINFLOAT
            case 'X' -> push(text(length(i32()), StandardCharsets.UTF_8)); // BINUNICODE
            case 0x8c -> push(text(u8(), StandardCharsets.UTF_8)); // SHORT_BINUNICODE
            case 0x8d -> push(text(length(i64()), StandardCharsets.UTF_8)); // BINUNICODE8
            case 'U' -> push(text(u8(), StandardCharsets.ISO_8859_1)); // SHORT_BINSTRING
            case 'T' -> push(text(length(i32()), StandardCharsets.ISO_8859_1)); // BINSTRING
            case 'C' -> push(bytes(u8())); // SHORT_BINBYTES
            case 'B' -> push(bytes(length(i32()))); // BINBYTES
            case 0x8e -> push(bytes(length(i64()))); // BINBYTES8
            case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
            case ']', 0x8f -> push(new ArrayList<>()); // EMPTY_LIST, EMPTY_SET (a set is read as a list)
            case ')' -> push(new PickleTuple(List.of()));
            case 't' -> push(tuple(popMark()));
            case 0x85 -> push(tupleOf(1));
            case 0x86 -> push(tupleOf(2));
            case 0x87 -> push(tupleOf(3));
            case 'l', 0x91 -> push(new ArrayList<>(popMark())); // LIST, FROZENSET
            case 'd' -> push(dictOf(popMark())); // DICT
            case 'a' -> { // APPEND
                Object item = pop();
                list(peek()).add(item);
            }
            case 'e', 0x90 -> { // APPENDS, ADDITEMS
                List<Object> items = popMark();
                list(peek()).addAll(items);
            }
            case 's' -> { // SETITEM
                Object value = pop();
                Object key = key(pop());
                dict(peek()).put(key, value);
            }
            case 'u' -> { // SETITEMS
                List<Object> items = popMark();
                dict(peek()).putAll(dictOf(items));
            }
            case 'c' -> push(globals.resolve(line(), line())); // GLOBAL
            case 'i' -> { // INST: GLOBAL and a call in one opcode, arguments since the mark
                PickleCallable cls = globals.resolve(line(), line());
                push(call(cls, new PickleTuple(popMark())));
            }
            case 'o' -> { // OBJ: the class and its arguments since the mark
                List<Object> items = popMark();
                if (items.isEmpty()) {
                    throw corrupt("OBJ without a class");
                }
                push(call(items.get(0), new PickleTuple(items.subList(1, items.size()))));
            }
            case 0x93 -> { // STACK_GLOBAL
                Object name = pop();
                Object module = pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw corrupt("STACK_GLOBAL needs two strings");
                }
                push(globals.resolve(m, n));
            }
            case 'R' -> { // REDUCE
                Object args = pop();
                push(call(pop(), args));
            }
            case 0x81 -> { // NEWOBJ: cls.__new__(cls, *args); for our whitelist the same as calling it
                Object args = pop();
                push(call(pop(), args));
            }
            case 'b' -> pop(); // BUILD: object state (e.g. a state dict's _metadata) is not needed
            case 'Q' -> push(persistent.load(pop())); // BINPERSID
            case 'q' -> memo.put((long) u8(), peek()); // BINPUT
            case 'r' -> memo.put((long) i32(), peek()); // LONG_BINPUT
            case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
            case 'h' -> push(memoGet(u8())); // BINGET
            case 'j' -> push(memoGet(i32())); // LONG_BINGET
            default -> throw corrupt(String.format("unsupported pickle opcode 0x%02x at byte %d of data.pkl", op, at));
        }
    }

    private Object call(Object callable, Object args) throws CheckpointException {
        if (!(callable instanceof PickleCallable fn) || callable instanceof SafeGlobals.StorageClass) {
            throw corrupt("the pickle calls something that is not a function: " + describe(callable));
        }
        if (!(args instanceof PickleTuple tuple)) {
            throw corrupt("arguments to " + fn.qualifiedName() + " are not a tuple");
        }
        return fn.call(tuple.items());
    }

    private Object memoGet(long key) throws CheckpointException {
        if (!memo.containsKey(key)) {
            throw corrupt("the pickle refers to memo entry " + key + " that was never stored");
        }
        return memo.get(key);
    }

    private PickleTuple tupleOf(int n) throws CheckpointException {
        if (stack.size() < n) {
            throw corrupt("stack underflow building a tuple");
        }
        List<Object> top = stack.subList(stack.size() - n, stack.size());
        PickleTuple t = tuple(top);
        top.clear();
        return t;
    }

    /** Checkpoints nest tuples a few levels (sizes, strides, storage ids); far deeper is hostile. */
    static final int MAX_TUPLE_DEPTH = 64;

    private PickleTuple tuple(List<Object> items) throws CheckpointException {
        PickleTuple t = new PickleTuple(items);
        if (t.depth() > MAX_TUPLE_DEPTH) {
            throw corrupt("tuples nested more than " + MAX_TUPLE_DEPTH + " deep");
        }
        return t;
    }

    private Map<Object, Object> dictOf(List<Object> items) throws CheckpointException {
        if (items.size() % 2 != 0) {
            throw corrupt("odd number of items for a dict");
        }
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i += 2) {
            map.put(key(items.get(i)), items.get(i + 1));
        }
        return map;
    }

    /**
     * A dict key, which Python requires to be hashable: a list or dict as a key is a corrupt (or
     * hostile: a list containing itself cannot be hashed in finite time) pickle.
     */
    private Object key(Object k) throws CheckpointException {
        if (!PickleTuple.isHashable(k)) {
            throw corrupt("a dict key is " + describe(k) + ", which Python cannot use as a key");
        }
        return k;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) throws CheckpointException {
        if (o instanceof List<?> l && !(o instanceof PickleTuple)) {
            return (List<Object>) l;
        }
        throw corrupt("append to something that is not a list: " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) throws CheckpointException {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw corrupt("set item on something that is not a dict: " + describe(o));
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() throws CheckpointException {
        if (stack.isEmpty()) {
            throw corrupt("stack underflow");
        }
        if (!marks.isEmpty() && marks.peek() == stack.size()) {
            throw corrupt("pop across a mark");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws CheckpointException {
        if (stack.isEmpty()) {
            throw corrupt("stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() throws CheckpointException {
        if (marks.isEmpty()) {
            throw corrupt("missing MARK");
        }
        int mark = marks.pop();
        if (mark > stack.size()) {
            throw corrupt("MARK beyond the stack");
        }
        List<Object> top = stack.subList(mark, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    // ---- reading primitives; every length is checked against what is left ----

    private int need(int n) throws CheckpointException {
        if (n < 0 || in.remaining() < n) {
            throw corrupt("the pickle ends in the middle of a value (truncated data.pkl)");
        }
        int at = in.position();
        in.position(at + n);
        in.order(ByteOrder.LITTLE_ENDIAN);
        return at;
    }

    private void skip(int n) throws CheckpointException {
        need(n);
    }

    private int u8() throws CheckpointException {
        return in.get(need(1)) & 0xff;
    }

    private int u16() throws CheckpointException {
        return in.getShort(need(2)) & 0xffff;
    }

    private int i32() throws CheckpointException {
        return in.getInt(need(4));
    }

    private long i64() throws CheckpointException {
        return in.getLong(need(8));
    }

    /** BINFLOAT is the one big-endian value in the pickle format. */
    private double f64BigEndian() throws CheckpointException {
        int at = need(8);
        double value = in.order(ByteOrder.BIG_ENDIAN).getDouble(at);
        in.order(ByteOrder.LITTLE_ENDIAN);
        return value;
    }

    private int length(long n) throws CheckpointException {
        if (n < 0 || n > in.remaining()) {
            throw corrupt("a value claims " + n + " bytes but only " + in.remaining() + " are left (truncated data.pkl)");
        }
        return (int) n;
    }

    private byte[] bytes(int n) throws CheckpointException {
        byte[] out = new byte[length(n)];
        in.get(need(n), out);
        return out;
    }

    private String text(int n, java.nio.charset.Charset charset) throws CheckpointException {
        return new String(bytes(n), charset);
    }

    /** Reads a newline-terminated ASCII line (the GLOBAL opcode's module and name). */
    private String line() throws CheckpointException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (!in.hasRemaining() || sb.length() > 256) {
                throw corrupt("bad GLOBAL name in the pickle");
            }
            char c = (char) (in.get() & 0xff);
            if (c == '\n') {
                return sb.toString();
            }
            sb.append(c);
        }
    }

    /** LONG1/LONG4: little-endian two's complement; Long when it fits. */
    private Object longValue(int n) throws CheckpointException {
        byte[] little = bytes(n);
        if (n == 0) {
            return 0L;
        }
        byte[] big = new byte[n];
        for (int i = 0; i < n; i++) {
            big[i] = little[n - 1 - i];
        }
        BigInteger value = new BigInteger(big);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private CheckpointException corrupt(String why) {
        return new CheckpointException(file, "corrupt pickle: " + why);
    }

    /** Short type description of a pickle value for error messages. */
    static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof PickleCallable c) {
            return c.qualifiedName();
        }
        if (o instanceof PickleTuple) {
            return "a tuple";
        }
        if (o instanceof List<?>) {
            return "a list";
        }
        if (o instanceof Map<?, ?>) {
            return "a dict";
        }
        if (o instanceof TensorRef) {
            return "a tensor";
        }
        return "a " + o.getClass().getSimpleName();
    }
}
