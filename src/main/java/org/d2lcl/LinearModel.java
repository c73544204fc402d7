package org.d2lcl;

import static org.d2lcl.D2l.linreg;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Tensor;
import org.d2lcl.data.AtomicFile;
import org.d2lcl.data.CsvTable;
import org.d2lcl.data.DataException;
import org.d2lcl.data.Standardization;
import org.d2lcl.data.TextFiles;


/**
 * A trained linear model, {@code y = x·w + b}, with what a prediction needs besides: the
 * {@link Standardization} its features were trained with (if any) and the names of the features and
 * the label. It lives on the host; {@link #predict} runs {@code linreg} on a {@link Device}.
 *
 * <p>{@link #save(Path)} writes it as JSON; every float and double is written in its shortest exact
 * decimal form and read back to the same bits, so a loaded model predicts exactly what the saved
 * one did:
 *
 * <pre>{@code
 * {
 *   "format": "d2l-cl linear model",
 *   "version": 1,
 *   "features": ["age", "sex", "bmi"],
 *   "label": "progression",
 *   "w": [1.25, -0.5, 24.1],
 *   "b": 152.1,
 *   "standardization": {"mean": [48.5, 1.47, 26.4], "std": [13.1, 0.499, 4.41]}
 * }
 * }</pre>
 * {@code features}, {@code label} and {@code standardization} are optional.
 */
public final class LinearModel {
    /** The {@code format} field of a model file. */
    public static final String FORMAT = "d2l-cl linear model";
    /** The {@code version} field this library writes and reads. */
    public static final int VERSION = 1;
    /** The largest model file {@link #load} reads: 64 MiB, millions of weights. */
    public static final int MAX_FILE_BYTES = 64 << 20;

    private final float[] w;
    private final float b;
    private final Standardization standardization;
    private final List<String> featureNames;
    private final String labelName;

    /**
     * @param w one weight per feature, finite
     * @param b the bias, finite
     * @param standardization applied to features before {@code linreg}, or null for none
     * @param featureNames one name per feature, or empty when the features have none
     * @param labelName the label's name, or null
     * @throws DataException when a value is not finite or a length does not match {@code w}
     */
    public LinearModel(float[] w, float b, Standardization standardization, List<String> featureNames,
            String labelName) {
        if (w.length == 0) {
            throw new DataException("a model with no weights: it needs one per feature, at least one");
        }
        for (int j = 0; j < w.length; j++) {
            if (!Float.isFinite(w[j])) {
                throw new DataException("w[" + j + "] = " + w[j] + ": model weights must be finite");
            }
        }
        if (!Float.isFinite(b)) {
            throw new DataException("b = " + b + ": the model's bias must be finite");
        }
        if (standardization != null && standardization.d() != w.length) {
            throw new DataException("a standardization of " + standardization.d() + " features for " + w.length
                    + " weights: there must be one mean and one deviation per weight");
        }
        if (!featureNames.isEmpty() && featureNames.size() != w.length) {
            throw new DataException(featureNames.size() + " feature names for " + w.length
                    + " weights: there must be one name per weight, or none");
        }
        for (int j = 0; j < featureNames.size(); j++) {
            if (featureNames.indexOf(featureNames.get(j)) != j) {
                throw new DataException("the feature name '" + featureNames.get(j) + "' appears twice (positions "
                        + featureNames.indexOf(featureNames.get(j)) + " and " + j + "): names must be unique");
            }
        }
        this.w = w.clone();
        this.b = b;
        this.standardization = standardization;
        this.featureNames = List.copyOf(featureNames);
        this.labelName = labelName;
    }

    /** A model of weights and bias alone: no standardization, no names. */
    public static LinearModel of(float[] w, float b) {
        return new LinearModel(w, b, null, List.of(), null);
    }

    /** This model with {@code standardization} applied to its features (null for none). */
    public LinearModel withStandardization(Standardization standardization) {
        return new LinearModel(w, b, standardization, featureNames, labelName);
    }

    /** This model with names for its features (one per weight, or empty) and its label (or null). */
    public LinearModel withNames(List<String> featureNames, String labelName) {
        return new LinearModel(w, b, standardization, featureNames, labelName);
    }

    /**
     * The same model on raw features ({@link Standardization#toOriginalUnits}); without a
     * standardization, this model. Its predictions equal this model's up to rounding, and its weights
     * compare with the true ones of synthetic data.
     */
    public LinearModel inOriginalUnits() {
        if (standardization == null) {
            return this;
        }
        float[] p = standardization.toOriginalUnits(w, b);
        return new LinearModel(Arrays.copyOf(p, w.length), p[w.length], null, featureNames, labelName);
    }

    /** The number of features. */
    public int d() {
        return w.length;
    }

    /** The weights (a copy). */
    public float[] w() {
        return w.clone();
    }

    /** The bias. */
    public float b() {
        return b;
    }

    /** The standardization the features were trained with, if any. */
    public Optional<Standardization> standardization() {
        return Optional.ofNullable(standardization);
    }

    /** The feature names, one per weight; empty when unknown. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** The label's name, if known. */
    public Optional<String> labelName() {
        return Optional.ofNullable(labelName);
    }

    /**
     * {@code linreg(X, w, b)} on {@code device} for {@code n} rows of raw features (standardised here
     * first when the model was trained on standardised ones).
     *
     * @param features {@code n x d} values, row-major
     * @return one prediction per row
     */
    public float[] predict(Device device, float[] features, int n) {
        int d = w.length;
        if (n < 1 || (long) n * d != features.length) {
            throw new DataException(features.length + " feature values for " + n + " rows: a model of " + d
                    + " features needs n >= 1 rows of " + d);
        }
        for (int i = 0; i < features.length; i++) {
            if (!Float.isFinite(features[i])) {
                throw new DataException("feature value " + features[i] + " in row " + (i / d) + ", column " + (i % d)
                        + ": every value must be finite");
            }
        }
        float[] x = standardization == null ? features : standardization.apply(features, n);
        Backend backend = device.backend();
        try (Tensor xt = backend.tensor(x, n, d);
             Tensor wt = backend.tensor(w, d, 1);
             Tensor bt = backend.tensor(new float[] {b}, 1, 1);
             Tensor yHat = backend.zeros(n, 1)) {
            linreg(yHat, xt, wt, bt);
            return backend.read(yHat);
        }
    }

    /** Predicts for every row of {@code table}, its feature columns chosen by {@link #featureColumns}. */
    public float[] predict(Device device, CsvTable table) {
        return predict(device, table.select(featureColumns(table)), table.rows());
    }

    /**
     * Which columns of {@code table} hold the model's features, in the model's order: by name when
     * both the model and the table have names (other columns, such as the label, are ignored), else
     * all of them, in order, when the table has exactly {@link #d()} columns.
     *
     * @throws DataException when the table lacks a feature or has the wrong number of columns
     */
    public int[] featureColumns(CsvTable table) {
        int d = w.length;
        if (!featureNames.isEmpty() && table.hasHeader()) {
            int[] cols = new int[d];
            List<String> missing = new ArrayList<>();
            for (int j = 0; j < d; j++) {
                cols[j] = table.names().indexOf(featureNames.get(j));
                if (cols[j] < 0) {
                    missing.add(featureNames.get(j));
                }
            }
            if (!missing.isEmpty()) {
                throw new DataException(table.source() + " has no column " + String.join(", ", missing)
                        + "; the model's features are " + String.join(", ", featureNames) + " and its columns are "
                        + String.join(", ", table.names()));
            }
            return cols;
        }
        if (table.columns() != d) {
            throw new DataException(table.source() + " has " + table.columns() + " columns; the model takes " + d
                    + " features" + (featureNames.isEmpty() ? "" : " (" + String.join(", ", featureNames) + ")")
                    + ": give exactly those columns in that order, or a header line naming them");
        }
        int[] cols = new int[d];
        for (int j = 0; j < d; j++) {
            cols[j] = j;
        }
        return cols;
    }

    /**
     * Writes the model as JSON with {@link AtomicFile#write}: a reader never sees half a model, a
     * symbolic link is followed, and a path that is not a regular file is refused.
     *
     * @throws UncheckedIOException when the file cannot be written
     */
    public void save(Path file) {
        byte[] bytes = toJson().getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(AtomicFile.target(file).getParent());
            AtomicFile.write(file, out -> out.write(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": the model cannot be written (" + AtomicFile.reason(e) + ")", e);
        }
    }

    /**
     * Reads a model {@link #save(Path)} wrote.
     *
     * @throws DataException naming the file and the field when the file is missing, not JSON, of
     *     another format or version, or holds a value out of its rules
     */
    public static LinearModel load(Path file) {
        String text;
        try {
            text = new String(TextFiles.readAtMost(file, MAX_FILE_BYTES, "a model file"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such model file");
        } catch (IOException e) {
            throw new DataException(file + ": the model cannot be read (" + e.getMessage() + ")", e);
        }
        try {
            return fromJson(text);
        } catch (DataException e) {
            throw new DataException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The model as the JSON text {@link #save(Path)} writes: one field per line, arrays on one line,
     * every value written by Gson (so names are escaped as JSON requires).
     */
    public String toJson() {
        StringBuilder json = new StringBuilder("{\n");
        field(json, "format", new JsonPrimitive(FORMAT), true);
        field(json, "version", new JsonPrimitive(VERSION), true);
        if (!featureNames.isEmpty()) {
            JsonArray names = new JsonArray();
            featureNames.forEach(names::add);
            field(json, "features", names, true);
        }
        if (labelName != null) {
            field(json, "label", new JsonPrimitive(labelName), true);
        }
        JsonArray weights = new JsonArray();
        for (float v : w) {
            weights.add(v);
        }
        field(json, "w", weights, true);
        field(json, "b", new JsonPrimitive(b), standardization != null);
        if (standardization != null) {
            json.append("  \"standardization\": {\n  ");
            field(json, "mean", doubles(standardization.mean()), true);
            json.append("  ");
            field(json, "std", doubles(standardization.std()), false);
            json.append("  }\n");
        }
        return json.append("}\n").toString();
    }

    private static void field(StringBuilder json, String name, JsonElement value, boolean more) {
        json.append("  ").append(new JsonPrimitive(name)).append(": ");
        if (value.isJsonArray()) {
            json.append('[');
            JsonArray array = value.getAsJsonArray();
            for (int i = 0; i < array.size(); i++) {
                json.append(i == 0 ? "" : ", ").append(array.get(i));
            }
            json.append(']');
        } else {
            json.append(value);
        }
        json.append(more ? ",\n" : "\n");
    }

    private static JsonArray doubles(double[] values) {
        JsonArray array = new JsonArray();
        for (double v : values) {
            array.add(v);
        }
        return array;
    }

    /** Parses the JSON text {@link #toJson()} writes. */
    public static LinearModel fromJson(String text) {
        JsonObject root;
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(Strictness.STRICT);
            if (reader.peek() != JsonToken.BEGIN_OBJECT) {
                throw new DataException("not a model: the file must hold one JSON object");
            }
            root = strict(reader).getAsJsonObject();
            String after = where(reader);
            boolean end;
            try {
                end = reader.peek() == JsonToken.END_DOCUMENT;
            } catch (IOException e) {
                end = false;
            }
            if (!end) {
                throw new DataException("not a model: more after the JSON object (" + after + ")");
            }
        } catch (IOException | JsonParseException e) {
            String message = String.valueOf(e.getMessage())
                    .replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON");
            int end = message.indexOf('\n');
            throw new DataException("not a model: invalid JSON (" + (end < 0 ? message : message.substring(0, end))
                    + ")", e);
        }
        String format = string(root, "format", true);
        if (!FORMAT.equals(format)) {
            throw new DataException("\"format\" is \"" + format + "\": a model file says \"" + FORMAT + "\"");
        }
        JsonPrimitive version = primitive(root, "version", true);
        if (!version.isNumber() || !version.getAsString().equals(Integer.toString(VERSION))) {
            throw new DataException("\"version\" is " + version + ": this library reads version " + VERSION);
        }
        JsonArray wArray = array(root, "w", true);
        float[] w = new float[wArray.size()];
        for (int j = 0; j < w.length; j++) {
            w[j] = Float.parseFloat(number(wArray.get(j), "w[" + j + "]"));
        }
        float b = Float.parseFloat(number(primitive(root, "b", true), "b"));
        List<String> features = new ArrayList<>();
        JsonArray names = array(root, "features", false);
        if (names != null) {
            for (int j = 0; j < names.size(); j++) {
                JsonElement e = names.get(j);
                if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                    throw new DataException("\"features\"[" + j + "] is " + e + ": feature names are strings");
                }
                features.add(e.getAsString());
            }
        }
        String label = string(root, "label", false);
        Standardization standardization = null;
        JsonElement s = root.get("standardization");
        if (s != null && !s.isJsonNull()) {
            if (!s.isJsonObject()) {
                throw new DataException("\"standardization\" is " + s + ": it must be an object of \"mean\" and \"std\"");
            }
            standardization = Standardization.of(doubles(s.getAsJsonObject(), "mean"),
                    doubles(s.getAsJsonObject(), "std"));
        }
        return new LinearModel(w, b, standardization, features, label);
    }

    /** One JSON value, read strictly: a name twice in one object is refused (Gson keeps the last). */
    private static JsonElement strict(JsonReader reader) throws IOException {
        switch (reader.peek()) {
            case BEGIN_OBJECT: {
                JsonObject object = new JsonObject();
                reader.beginObject();
                while (reader.hasNext()) {
                    String name = reader.nextName();
                    if (object.has(name)) {
                        throw new DataException("\"" + name + "\" appears twice in one object (" + where(reader)
                                + "); each field is given once");
                    }
                    object.add(name, strict(reader));
                }
                reader.endObject();
                return object;
            }
            case BEGIN_ARRAY: {
                JsonArray array = new JsonArray();
                reader.beginArray();
                while (reader.hasNext()) {
                    array.add(strict(reader));
                }
                reader.endArray();
                return array;
            }
            case STRING:
                return new JsonPrimitive(reader.nextString());
            case NUMBER:
                // The text as written, so that parsing it gives the bits that were saved.
                return new JsonPrimitive(new NumberText(reader.nextString()));
            case BOOLEAN:
                return new JsonPrimitive(reader.nextBoolean());
            case NULL:
                reader.nextNull();
                return JsonNull.INSTANCE;
            default:
                throw new DataException("not a model: unexpected " + reader.peek() + " at " + where(reader));
        }
    }

    /** A JSON number as written, so that parsing it gives the bits that were saved (-0.0 too). */
    private static final class NumberText extends Number {
        private static final long serialVersionUID = 1L;
        private final String text;

        NumberText(String text) {
            this.text = text;
        }

        @Override
        public int intValue() {
            return (int) doubleValue();
        }

        @Override
        public long longValue() {
            return (long) doubleValue();
        }

        @Override
        public float floatValue() {
            return Float.parseFloat(text);
        }

        @Override
        public double doubleValue() {
            return Double.parseDouble(text);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** "line 3 column 7", from Gson's "... at line 3 column 7 path $.w". */
    private static String where(JsonReader reader) {
        String s = reader.toString();
        int at = s.indexOf(" at ");
        return at < 0 ? s : s.substring(at + 4);
    }

    private static JsonPrimitive primitive(JsonObject o, String name, boolean required) {
        return field(o, name, required, JsonElement::isJsonPrimitive, JsonElement::getAsJsonPrimitive, "a single value");
    }

    /**
     * Field {@code name} of {@code o} as {@code as} reads it, where {@code is} says it is one
     * ({@code what} in the message where not); null where absent or JSON null, unless {@code required}.
     */
    private static <T> T field(JsonObject o, String name, boolean required, Predicate<JsonElement> is,
            Function<JsonElement, T> as, String what) {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            if (required) {
                throw new DataException("no \"" + name + "\" field: a model file must have one");
            }
            return null;
        }
        if (!is.test(e)) {
            throw new DataException("\"" + name + "\" is " + e + ": it must be " + what);
        }
        return as.apply(e);
    }

    private static String string(JsonObject o, String name, boolean required) {
        JsonPrimitive p = primitive(o, name, required);
        if (p == null) {
            return null;
        }
        if (!p.isString()) {
            throw new DataException("\"" + name + "\" is " + p + ": it must be a string");
        }
        return p.getAsString();
    }

    private static JsonArray array(JsonObject o, String name, boolean required) {
        return field(o, name, required, JsonElement::isJsonArray, JsonElement::getAsJsonArray, "an array");
    }

    /** The number's text exactly as written, so that parsing it gives the bits that were saved. */
    private static String number(JsonElement e, String what) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new DataException("\"" + what + "\" is " + e + ": it must be a number");
        }
        return e.getAsString();
    }

    private static double[] doubles(JsonObject o, String name) {
        JsonArray a = array(o, name, true);
        double[] v = new double[a.size()];
        for (int j = 0; j < v.length; j++) {
            v[j] = Double.parseDouble(number(a.get(j), "standardization." + name + "[" + j + "]"));
        }
        return v;
    }
}
