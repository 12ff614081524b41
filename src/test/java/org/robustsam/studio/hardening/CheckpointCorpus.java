package org.robustsam.studio.hardening;

import static org.robustsam.studio.hardening.Colors.check;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.robustsam.studio.hardening.HardeningCase.EntryPoint;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.inference.Engines;
import org.robustsam.studio.inference.MaskPrediction;
import org.robustsam.studio.inference.Prompt;
import org.robustsam.studio.inference.Segmenter;
import org.robustsam.studio.inference.Segmenters;
import org.robustsam.studio.model.checkpoint.CheckpointException;
import org.robustsam.studio.model.checkpoint.CheckpointTestFiles;
import org.robustsam.studio.model.checkpoint.CheckpointTestFiles.Pickle;
import org.robustsam.studio.model.checkpoint.SafetensorsWriter;
import org.robustsam.studio.model.checkpoint.StateDict;
import org.robustsam.studio.model.checkpoint.TorchCheckpointWriter;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;

/**
 * Checkpoint files as downloads, disks and attackers leave them, each through the loader the app
 * uses ({@link StateDict#load}, and {@link Segmenters#open} for whole models). Hostile pickles name
 * Python functions that would run commands; each case checks the refusal names the function and
 * that the file the command would have created does not exist.
 */
final class CheckpointCorpus {
    private final Path dir;
    private final CaseList cases = new CaseList(EntryPoint.CHECKPOINT, Duration.ofSeconds(30), Set.of(CheckpointException.class));

    private CheckpointCorpus(Path dir) {
        this.dir = dir;
    }

    static List<HardeningCase> build(Path dir) throws Exception {
        for (String sub : List.of("plain", "truncated", "zips", "pickles", "bombs", "headers", "types", "models")) {
            Files.createDirectories(dir.resolve(sub));
        }
        CheckpointCorpus c = new CheckpointCorpus(dir);
        c.notCheckpoints();
        c.truncated();
        c.zips();
        c.hostilePickles();
        c.pickleBombs();
        c.tensorHeaders();
        c.storageTypes();
        c.wholeModels();
        return c.cases.cases();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.write(f, bytes);
        return f;
    }

    /** Loads the state dict and closes it again. */
    private static void load(Path file) throws Exception {
        try (NDManager m = Engines.pytorch().newBaseManager(); StateDict sd = StateDict.load(file, m)) {
            sd.size();
        }
    }

    private void rejects(String what, Path file) {
        cases.rejects(what + " (" + file.getFileName() + ")", file, List.of(file), () -> load(file));
    }

    private void rejects(String what, Path file, String mustSay) {
        cases.rejects(what + " (" + file.getFileName() + ")", file, mustSay, List.of(file), () -> load(file));
    }

    private void notCheckpoints() throws IOException {
        for (String name : List.of("empty.pth", "empty.safetensors", "empty.bin")) {
            rejects("zero bytes", write("plain/" + name, new byte[0]), "empty");
        }
        for (int n : new int[] {1, 7, 100, 5000, 1 << 20}) {
            byte[] noise = new byte[n];
            new Random(n).nextBytes(noise);
            noise[0] = 0x13; // never the start of a zip, pickle or safetensors header
            rejects(n + " random bytes", write("plain/random-" + n + ".pth", noise), "not a recognised checkpoint");
        }
        rejects("legacy torch.save pickle", write("plain/legacy.pth", new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc}),
                "legacy");
        byte[] tar = new byte[1024];
        System.arraycopy("ustar".getBytes(StandardCharsets.US_ASCII), 0, tar, 257, 5);
        rejects("torch < 0.4 tar archive", write("plain/ancient.pth", tar), "legacy");
        rejects("a JPEG renamed .pth", write("plain/photo.pth", ImageCorpus.encode(ImageCorpus.quad(8, 8), "png")));
        Path folder = Files.createDirectories(dir.resolve("plain/folder.pth"));
        rejects("a folder named .pth", folder);
        rejects("a file that does not exist", dir.resolve("plain/missing.pth"));
        Path loop = dir.resolve("plain/loop.pth");
        Files.createSymbolicLink(loop, loop.getFileName());
        rejects("a symbolic link loop", loop);
    }

    /** A small realistic torch.save file: float32 and int64 tensors, as the app's own writer makes them. */
    private static byte[] smallTorchZip(Path tmp) throws IOException {
        Map<String, TorchCheckpointWriter.Tensor> t = new LinkedHashMap<>();
        float[] w = new float[4096];
        for (int i = 0; i < w.length; i++) {
            w[i] = i * 0.25f;
        }
        t.put("encoder.weight", TorchCheckpointWriter.Tensor.ofFloats(new long[] {64, 64}, w));
        t.put("encoder.bias", TorchCheckpointWriter.Tensor.ofFloats(new long[] {64}, Arrays.copyOf(w, 64)));
        t.put("bn.num_batches_tracked", TorchCheckpointWriter.Tensor.ofLongs(new long[] {}, new long[] {12}));
        TorchCheckpointWriter.write(tmp, t);
        byte[] bytes = Files.readAllBytes(tmp);
        Files.delete(tmp);
        return bytes;
    }

    private static byte[] smallSafetensors(Path tmp) throws IOException {
        Map<String, SafetensorsWriter.Tensor> t = new LinkedHashMap<>();
        float[] w = new float[4096];
        Arrays.fill(w, 0.5f);
        t.put("encoder.weight", new SafetensorsWriter.Tensor(new long[] {64, 64}, w));
        t.put("encoder.bias", new SafetensorsWriter.Tensor(new long[] {64}, Arrays.copyOf(w, 64)));
        SafetensorsWriter.write(tmp, t);
        byte[] bytes = Files.readAllBytes(tmp);
        Files.delete(tmp);
        return bytes;
    }

    private void truncated() throws IOException {
        byte[] zip = smallTorchZip(dir.resolve("tmp.pth"));
        Path whole = write("truncated/whole.pth", zip);
        cases.handles("the untruncated torch file loads with its values (whole.pth)", List.of(whole), () -> {
            try (NDManager m = Engines.pytorch().newBaseManager(); StateDict sd = StateDict.load(whole, m)) {
                check(sd.size() == 3, "3 tensors, got " + sd.size());
                check(sd.get("encoder.weight").getFloat(1, 2) == 66 * 0.25f, "encoder.weight[1, 2]");
                check(sd.get("bn.num_batches_tracked").getLong() == 12, "num_batches_tracked");
            }
        });
        for (int cut : cuts(zip.length, 10, 30, 100, 1000)) {
            rejects("torch zip cut at byte " + cut + " of " + zip.length, write("truncated/zip-" + cut + ".pth", Arrays.copyOf(zip, cut)));
        }
        byte[] st = smallSafetensors(dir.resolve("tmp.safetensors"));
        int headerEnd = 8 + (int) ByteBuffer.wrap(st).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        for (int cut : cuts(st.length, 4, 8, 9, 20, headerEnd - 1, headerEnd, headerEnd + 1)) {
            rejects("safetensors cut at byte " + cut + " of " + st.length,
                    write("truncated/st-" + cut + ".safetensors", Arrays.copyOf(st, cut)));
        }
        byte[] appended = Arrays.copyOf(zip, zip.length + 100);
        Path extra = write("truncated/trailing-bytes.pth", appended);
        cases.handles("torch zip with 100 stray bytes appended (extra.pth)", List.of(extra), () -> load(extra));
    }

    /** Absolute offsets plus 1, 10, 25, 50, 75, 90, 99 percent and the last byte. */
    private static int[] cuts(int length, int... absolute) {
        int[] rel = {length / 100, length / 10, length / 4, length / 2, length * 3 / 4, length * 9 / 10, length * 99 / 100,
                length - 1};
        return java.util.stream.IntStream.concat(Arrays.stream(absolute), Arrays.stream(rel))
                .filter(n -> n > 0 && n < length).distinct().sorted().toArray();
    }

    private void zips() throws IOException {
        Path photos = dir.resolve("zips/photos.zip");
        Files.createDirectories(photos.getParent());
        CheckpointTestFiles.zip(photos, Map.of("photos/a.jpg", new byte[] {1, 2, 3}));
        rejects("a zip of photos, no data.pkl", photos, "data.pkl");
        Path empty = dir.resolve("zips/empty.pth");
        CheckpointTestFiles.zip(empty, Map.of());
        rejects("an empty zip", empty);
        byte[] okPickle = new Pickle().proto().orderedDict().mark().str("w")
                .tensor("FloatStorage", "0", 2, 0, new long[] {2}, new long[] {1}).op('u').stop();
        Path flat = dir.resolve("zips/flat.pth");
        CheckpointTestFiles.zip(flat, Map.of("data.pkl", okPickle, "data/0", CheckpointTestFiles.floatsLE(1, 2)));
        rejects("data.pkl at the top of the zip, not in a folder", flat, "data.pkl");
        Path script = dir.resolve("zips/scripted.pt");
        CheckpointTestFiles.zip(script, Map.of("m/constants.pkl", okPickle, "m/code/__torch__.py", "x".getBytes(StandardCharsets.UTF_8)));
        rejects("a TorchScript archive", script, "TorchScript");
        Path missingStorage = CheckpointTestFiles.torchZip(dir.resolve("zips/no-storage.pth"), "archive", okPickle, Map.of());
        rejects("a storage entry missing from the zip", missingStorage, "missing");
        Path shortStorage = CheckpointTestFiles.torchZip(dir.resolve("zips/short-storage.pth"), "archive", okPickle,
                Map.of("0", CheckpointTestFiles.floatsLE(1)));
        rejects("a storage shorter than its tensor", shortStorage, "short");
        Path nullPickle = CheckpointTestFiles.torchZip(dir.resolve("zips/empty-pickle.pth"), "archive", new byte[0], Map.of());
        rejects("an empty data.pkl", nullPickle, "truncated");
    }

    /** Each names a Python callable that would run a command; the command would create a marker file. */
    private void hostilePickles() throws IOException {
        String[][] globals = {
                {"os", "system"}, {"posix", "system"}, {"nt", "system"}, {"builtins", "eval"}, {"builtins", "exec"},
                {"__builtin__", "eval"}, {"builtins", "getattr"}, {"builtins", "__import__"}, {"subprocess", "Popen"},
                {"subprocess", "check_output"}, {"pty", "spawn"}, {"shutil", "rmtree"}, {"pickle", "loads"},
                {"torch", "load"}, {"torch.storage", "_load_from_bytes"}, {"numpy.core.multiarray", "_reconstruct"},
                {"copyreg", "_reconstructor"}, {"functools", "partial"}, {"webbrowser", "open"}, {"runpy", "run_path"},
                {"torch._utils", "_rebuild_tensor_v3"}, {"collections", "defaultdict"}};
        int n = 0;
        for (String[] g : globals) {
            Path marker = dir.resolve("pickles/pwned-" + n);
            byte[] pickle = new Pickle().proto().orderedDict().mark()
                    .str("w").global(g[0], g[1]).mark().str(command(marker)).tuple().op('R')
                    .op('u').stop();
            evil("GLOBAL " + g[0] + "." + g[1] + " + REDUCE", "evil-" + n++ + ".pth", pickle, g[0] + "." + g[1], marker);
        }
        Path marker = dir.resolve("pickles/pwned-stack");
        byte[] stackGlobal = new Pickle().op(0x80).op(4).op(0x8c).op(2).raw("os").op(0x8c).op(6).raw("system").op(0x93)
                .mark().str(command(marker)).tuple().op('R').stop();
        evil("STACK_GLOBAL os.system + REDUCE", "evil-stack.pth", stackGlobal, "os.system", marker);
        marker = dir.resolve("pickles/pwned-newobj");
        byte[] newObj = new Pickle().proto().global("subprocess", "Popen").mark().str(command(marker)).tuple().op(0x81).stop();
        evil("NEWOBJ subprocess.Popen", "evil-newobj.pth", newObj, "subprocess.Popen", marker);
        marker = dir.resolve("pickles/pwned-inst");
        byte[] inst = new Pickle().proto().mark().str(command(marker)).op('i').raw("os\nsystem\n").stop();
        evil("INST os.system", "evil-inst.pth", inst, "os.system", marker);
        marker = dir.resolve("pickles/pwned-obj");
        byte[] obj = new Pickle().proto().mark().global("os", "system").str(command(marker)).op('o').stop();
        evil("OBJ os.system", "evil-obj.pth", obj, "os.system", marker);
        marker = dir.resolve("pickles/pwned-late");
        byte[] late = new Pickle().proto().orderedDict().mark()
                .str("a").tensor("FloatStorage", "0", 2, 0, new long[] {2}, new long[] {1})
                .str("b").tensor("FloatStorage", "0", 2, 0, new long[] {2}, new long[] {1})
                .str("c").global("os", "system").mark().str(command(marker)).tuple().op('R')
                .op('u').stop();
        evil("os.system after two good tensors", "evil-late.pth", late, "os.system", marker);
        marker = dir.resolve("pickles/pwned-persid");
        byte[] persid = new Pickle().proto().orderedDict().mark().str("w")
                .global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().str("storage").global("os", "system").str(command(marker)).str("cpu").integer(2).tuple().op('Q')
                .integer(0).ints(2).ints(1).op(0x89).orderedDict().tuple().op('R').op('u').stop();
        evil("os.system as the storage type of a tensor", "evil-persid.pth", persid, "os.system", marker);
        byte[] ext = new Pickle().proto().op(0x82).op(1).stop();
        Path extFile = CheckpointTestFiles.torchZip(dir.resolve("pickles/ext.pth"), "archive", ext, Map.of());
        rejects("EXT1 opcode (copyreg extension registry)", extFile, "unsupported pickle opcode");
    }

    private static String command(Path marker) {
        return "touch " + marker + " ; open('" + marker + "', 'w')";
    }

    private void evil(String what, String name, byte[] pickle, String global, Path marker) throws IOException {
        Path file = CheckpointTestFiles.torchZip(dir.resolve("pickles/" + name), "archive", pickle, Map.of());
        cases.rejects(what + " (" + name + ")", file, "'" + global + "'", List.of(file), () -> {
            try {
                load(file);
            } finally {
                check(!Files.exists(marker), "the pickle ran code: " + marker + " exists");
            }
        });
    }

    private void pickleBombs() throws IOException {
        Pickle deep = new Pickle().proto();
        for (int i = 0; i < 200_000; i++) {
            deep.op(']');
        }
        for (int i = 0; i < 199_999; i++) {
            deep.op('a');
        }
        bomb("200,000 nested lists", "nested-lists.pth", deep.stop());
        Pickle tuples = new Pickle().proto().op('}');
        for (int i = 0; i < 100_000; i++) {
            tuples.op('(');
        }
        tuples.integer(1);
        for (int i = 0; i < 100_000; i++) {
            tuples.op('t');
        }
        bomb("a dict key nested 100,000 tuples deep", "deep-key.pth", tuples.integer(1).op('s').stop());
        // A list that contains itself, then used as a dict key: hashing it would never end.
        bomb("a self-containing list as a dict key", "cyclic-key.pth",
                new Pickle().proto().op('}').op(']').op('2').op('2').op('a').integer(1).op('s').stop());
        bomb("a self-containing list as a storage location", "cyclic-location.pth",
                new Pickle().proto().orderedDict().mark().str("w").global("torch._utils", "_rebuild_tensor_v2").mark()
                        .mark().str("storage").global("torch", "FloatStorage").str("0").op(']').op('2').op('2').op('a')
                        .integer(2).tuple().op('Q').integer(0).ints(2).ints(1).op(0x89).orderedDict().tuple().op('R')
                        .op('u').stop());
        bomb("LONG4 claiming 2 GB of digits", "long4.pth", new Pickle().proto().op(0x8b).op(0xff).op(0xff).op(0xff).op(0x7f).stop());
        bomb("BINUNICODE8 claiming 2^62 bytes", "unicode8.pth",
                new Pickle().proto().op(0x8d).op(0).op(0).op(0).op(0).op(0).op(0).op(0).op(0x40).stop());
        bomb("memo lookup of an entry never stored", "memo.pth", new Pickle().proto().op('h').op(9).stop());
        Pickle dups = new Pickle().proto().op(']');
        for (int i = 0; i < 2_000_000; i++) {
            dups.op('2');
        }
        bomb("two million DUPs", "dups.pth", dups.stop());
        bomb("pickle protocol 9", "proto9.pth", new Pickle().op(0x80).op(9).op('}').stop());
        bomb("STOP with an empty stack", "stop.pth", new Pickle().proto().stop());
        bomb("APPEND to a dict", "append.pth", new Pickle().proto().op('}').integer(1).op('a').stop());
    }

    private void bomb(String what, String name, byte[] pickle) throws IOException {
        Path file = CheckpointTestFiles.torchZip(dir.resolve("bombs/" + name), "archive", pickle, Map.of());
        rejects(what, file);
    }

    private void tensorHeaders() throws IOException {
        tensor("a size of 2^40 x 2^40", "huge.pth", 4, 0, new long[] {1L << 40, 1L << 40}, new long[] {1L << 40, 1});
        tensor("a negative size", "negative-size.pth", 4, 0, new long[] {-4}, new long[] {1});
        tensor("a negative stride", "negative-stride.pth", 4, 0, new long[] {4}, new long[] {-1});
        tensor("a negative storage offset", "negative-offset.pth", 4, -2, new long[] {2}, new long[] {1});
        tensor("a stride that reaches past the storage", "stride.pth", 4, 0, new long[] {4}, new long[] {1000});
        tensor("size and stride of different ranks", "ranks.pth", 4, 0, new long[] {2, 2}, new long[] {1});
        tensor("a storage claiming 2^62 elements", "numel.pth", 1L << 62, 0, new long[] {4}, new long[] {1});
        byte[] traversal = new Pickle().proto().orderedDict().mark().str("w")
                .tensor("FloatStorage", "../../../../etc/passwd", 4, 0, new long[] {4}, new long[] {1}).op('u').stop();
        Path t = CheckpointTestFiles.torchZip(dir.resolve("headers/traversal.pth"), "archive", traversal, Map.of());
        rejects("a storage key with ../ (path traversal)", t, "missing");
        safetensors("a negative dimension", "neg.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4);
        safetensors("a shape whose size overflows", "overflow.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4],\"data_offsets\":[0,4]}}", 4);
        safetensors("reversed data_offsets", "reversed.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4);
        safetensors("offsets past the end of the file", "past.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1000],\"data_offsets\":[0,4000]}}", 4);
        safetensors("a header that is a JSON list", "list.safetensors", "[1,2,3]", 0);
        safetensors("a header that is not JSON", "garbage.safetensors", "{\"w\": [oops", 0);
        safetensors("an unknown dtype", "dtype.safetensors", "{\"w\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8);
        safetensors("a dtype that is a number", "dtype-number.safetensors", "{\"w\":{\"dtype\":7,\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        safetensors("a shape of floats", "shape-float.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4);
        safetensors("duplicate tensor names", "dup.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        for (long len : new long[] {0, 1, 0xFFFFFFFFL, 200}) {
            ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(len).put("{\"w\":{}}".getBytes(StandardCharsets.US_ASCII));
            rejects("safetensors header length " + len + " in a 64-byte file", write("headers/len-" + len + ".safetensors", b.array()));
        }
    }

    private void tensor(String what, String name, long numel, long offset, long[] shape, long[] stride) throws IOException {
        byte[] pickle = new Pickle().proto().orderedDict().mark().str("w")
                .tensor("FloatStorage", "0", numel, offset, shape, stride).op('u').stop();
        Path f = CheckpointTestFiles.torchZip(dir.resolve("headers/" + name), "archive", pickle,
                Map.of("0", CheckpointTestFiles.floatsLE(1, 2, 3, 4)));
        rejects(what, f);
    }

    private void safetensors(String what, String name, String header, int dataBytes) throws IOException {
        Files.createDirectories(dir.resolve("headers"));
        rejects(what, CheckpointTestFiles.safetensors(dir.resolve("headers/" + name), header, new byte[dataBytes]));
    }

    /** float64, bfloat16, float16 and int64 storages must load with their exact values. */
    private void storageTypes() throws IOException {
        ByteBuffer f64 = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.5).putDouble(-2.25).putDouble(1e-3)
                .putDouble(65504);
        typed("float64 (DoubleStorage)", "f64.pth", "DoubleStorage", f64.array(), ByteOrder.LITTLE_ENDIAN,
                new float[] {1.5f, -2.25f, 1e-3f, 65504f});
        ByteBuffer bf16 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : new float[] {1.5f, -2.25f, 0.0078125f, 3.0e38f}) {
            bf16.putShort((short) (Float.floatToIntBits(v) >>> 16));
        }
        typed("bfloat16 (BFloat16Storage)", "bf16.pth", "BFloat16Storage", bf16.array(), ByteOrder.LITTLE_ENDIAN,
                new float[] {1.5f, -2.25f, 0.0078125f, Float.intBitsToFloat(Float.floatToIntBits(3.0e38f) & 0xffff0000)});
        ByteBuffer f16 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3e00).putShort((short) 0xc080)
                .putShort((short) 0x0001).putShort((short) 0x7bff);
        typed("float16 (HalfStorage), with a subnormal", "f16.pth", "HalfStorage", f16.array(), ByteOrder.LITTLE_ENDIAN,
                new float[] {1.5f, -2.25f, 0x1p-24f, 65504f});
        ByteBuffer be = ByteBuffer.allocate(32).order(ByteOrder.BIG_ENDIAN).putDouble(1.5).putDouble(-2.25).putDouble(1e-3)
                .putDouble(65504);
        typed("big-endian float64 (byteorder 'big')", "f64-big.pth", "DoubleStorage", be.array(), ByteOrder.BIG_ENDIAN,
                new float[] {1.5f, -2.25f, 1e-3f, 65504f});
        byte[] longs = new Pickle().proto().orderedDict().mark().str("idx")
                .tensor("LongStorage", "0", 2, 0, new long[] {2}, new long[] {1}).op('u').stop();
        ByteBuffer l = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).putLong(-7);
        Path lf = CheckpointTestFiles.torchZip(dir.resolve("types/i64.pth"), "archive", longs, Map.of("0", l.array()));
        cases.handles("int64 (LongStorage), extreme values kept exact (i64.pth)", List.of(lf), () -> {
            try (NDManager m = Engines.pytorch().newBaseManager(); StateDict sd = StateDict.load(lf, m)) {
                long[] v = sd.get("idx").toLongArray();
                check(v[0] == Long.MAX_VALUE && v[1] == -7, "values " + Arrays.toString(v));
            }
        });
    }

    private void typed(String what, String name, String storage, byte[] data, ByteOrder order, float[] expected) throws IOException {
        byte[] pickle = new Pickle().proto().orderedDict().mark().str("w")
                .tensor(storage, "0", 4, 0, new long[] {2, 2}, new long[] {2, 1}).op('u').stop();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("archive/data.pkl", pickle);
        entries.put("archive/data/0", data);
        if (order == ByteOrder.BIG_ENDIAN) {
            entries.put("archive/byteorder", "big".getBytes(StandardCharsets.US_ASCII));
        }
        Path f = dir.resolve("types/" + name);
        Files.createDirectories(f.getParent());
        CheckpointTestFiles.zip(f, entries);
        cases.handles(what + " (" + name + ")", List.of(f), () -> {
            try (NDManager m = Engines.pytorch().newBaseManager(); StateDict sd = StateDict.load(f, m)) {
                float[] got = sd.get("w").toFloatArray();
                check(Arrays.equals(got, expected), "values " + Arrays.toString(got) + ", expected " + Arrays.toString(expected));
            }
        });
    }

    /** A tiny random SAM, then copies with a key missing, a key too many, a wrong shape, NaN or Inf. */
    private void wholeModels() throws IOException {
        Path good = dir.resolve("models/sam_tiny.safetensors");
        Files.createDirectories(good.getParent());
        RandomSam.write(SamConfig.TINY, 5, good);
        cases.timeout(Duration.ofSeconds(60));
        cases.handles("a tiny random SAM opens and predicts (sam_tiny.safetensors)", List.of(good), () -> predicts(good));
        SafetensorsFile st = SafetensorsFile.read(good);
        String victim = "mask_decoder.iou_token.weight";
        Path missing = st.without(victim).write(dir.resolve("models/missing-key.safetensors"));
        cases.rejects("a tensor missing (missing-key.safetensors)", missing, victim, List.of(missing), () -> Segmenters.open(missing).close());
        Path extra = st.with("mask_decoder.surprise.weight", new float[] {1, 2, 3}).write(dir.resolve("models/extra-key.safetensors"));
        cases.rejects("an unexpected tensor (extra-key.safetensors)", extra, "mask_decoder.surprise.weight", List.of(extra),
                () -> Segmenters.open(extra).close());
        Path shape = st.reshaped(victim).write(dir.resolve("models/wrong-shape.safetensors"));
        cases.rejects("a tensor of the wrong shape (wrong-shape.safetensors)", shape, victim, List.of(shape),
                () -> Segmenters.open(shape).close());
        Path noPos = st.without("image_encoder.pos_embed").write(dir.resolve("models/no-pos-embed.safetensors"));
        cases.rejects("no image_encoder.pos_embed (no-pos-embed.safetensors)", noPos, "pos_embed", List.of(noPos),
                () -> Segmenters.open(noPos).close());
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            String tag = Float.isNaN(bad) ? "nan" : bad > 0 ? "inf" : "minus-inf";
            Path f = st.poisoned(victim, bad).write(dir.resolve("models/" + tag + ".safetensors"));
            cases.rejects(bad + " in one weight (" + f.getFileName() + ")", f, victim, List.of(f), () -> Segmenters.open(f).close());
        }
        Path bf16 = st.asBfloat16().write(dir.resolve("models/sam_tiny_bf16.safetensors"));
        cases.handles("the tiny SAM stored as bfloat16 opens and predicts (sam_tiny_bf16.safetensors)", List.of(bf16),
                () -> predicts(bf16));
        cases.timeout(Duration.ofSeconds(30));
    }

    private static void predicts(Path model) throws Exception {
        RgbImage img = new RgbImage(64, 48, new int[64 * 48]);
        try (Segmenter s = Segmenters.open(model)) {
            MaskPrediction p = s.predict(s.encode(img), new Prompt(List.of(new Prompt.Point(20, 20, true)), null, null), true);
            check(p.count() == 3 && p.width() == 64 && p.height() == 48, "prediction " + p.count() + " masks " + p.width() + "x" + p.height());
        }
    }

    /** A safetensors file held in memory as its JSON header and data, to make altered copies of. */
    record SafetensorsFile(ObjectNode header, byte[] data) {
        private static final ObjectMapper JSON = new ObjectMapper();

        static SafetensorsFile read(Path file) throws IOException {
            byte[] all = Files.readAllBytes(file);
            int n = (int) ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            ObjectNode header = (ObjectNode) JSON.readTree(Arrays.copyOfRange(all, 8, 8 + n));
            return new SafetensorsFile(header, Arrays.copyOfRange(all, 8 + n, all.length));
        }

        Path write(Path file) throws IOException {
            byte[] h = JSON.writeValueAsBytes(header);
            ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(h.length).put(h).put(data);
            Files.write(file, b.array());
            return file;
        }

        SafetensorsFile without(String name) {
            ObjectNode h = header.deepCopy();
            h.remove(name);
            return new SafetensorsFile(h, data);
        }

        SafetensorsFile with(String name, float[] values) {
            ObjectNode h = header.deepCopy();
            ObjectNode e = h.putObject(name);
            e.put("dtype", "F32");
            e.putArray("shape").add(values.length);
            e.putArray("data_offsets").add(data.length).add(data.length + 4L * values.length);
            ByteBuffer b = ByteBuffer.allocate(data.length + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN).put(data);
            for (float v : values) {
                b.putFloat(v);
            }
            return new SafetensorsFile(h, b.array());
        }

        /** The same bytes read as a flat vector: the size is right, the shape is not. */
        SafetensorsFile reshaped(String name) {
            ObjectNode h = header.deepCopy();
            ObjectNode e = (ObjectNode) h.get(name);
            long n = 1;
            for (var d : e.get("shape")) {
                n *= d.asLong();
            }
            e.putArray("shape").add(n);
            return new SafetensorsFile(h, data);
        }

        SafetensorsFile poisoned(String name, float value) {
            byte[] d = data.clone();
            int at = header.get(name).get("data_offsets").get(0).asInt();
            ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN).putFloat(at + 4, value);
            return new SafetensorsFile(header, d);
        }

        /** Every F32 tensor as BF16 (the top 16 bits), the way mixed-precision training saves weights. */
        SafetensorsFile asBfloat16() {
            ObjectNode h = JSON.createObjectNode();
            ByteBuffer out = ByteBuffer.allocate(data.length / 2).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = header.fields(); it.hasNext();) {
                Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> f = it.next();
                if (f.getKey().equals("__metadata__")) {
                    continue;
                }
                long begin = f.getValue().get("data_offsets").get(0).asLong();
                long end = f.getValue().get("data_offsets").get(1).asLong();
                ObjectNode e = h.putObject(f.getKey());
                e.put("dtype", "BF16");
                e.set("shape", f.getValue().get("shape"));
                e.putArray("data_offsets").add(out.position()).add(out.position() + (end - begin) / 2);
                for (long i = begin; i < end; i += 4) {
                    out.putShort((short) (Float.floatToIntBits(in.getFloat((int) i)) >>> 16));
                }
            }
            return new SafetensorsFile(h, Arrays.copyOf(out.array(), out.position()));
        }
    }
}
