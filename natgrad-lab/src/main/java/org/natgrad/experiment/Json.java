package org.natgrad.experiment;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.natgrad.io.AtomicFiles;

/**
 * The project's JSON conventions, on one shared Jackson {@link ObjectMapper}: pretty printed,
 * records and Maps serialized by their components/entries in declaration order, non-finite
 * doubles (NaN, ±Infinity) written as {@code null} (JSON has no such numbers), {@link Path}
 * written as its plain string, enum constants by lower-case name (as on the command line; read
 * back case-insensitively). Files are written atomically.
 */
public final class Json {
    private static final ObjectMapper MAPPER = newMapper();

    private Json() {
    }

    /** The shared, configured mapper (thread-safe once configured; do not reconfigure it). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A new mapper with the project's conventions (for callers that want to adjust their own copy). */
    public static ObjectMapper newMapper() {
        ObjectMapper mapper = JsonMapper.builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS).build();
        SimpleModule m = new SimpleModule("natgrad");
        JsonSerializer<Double> dbl = new JsonSerializer<>() {
            @Override
            public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
                writeDouble(g, v);
            }
        };
        m.addSerializer(Double.class, dbl);
        m.addSerializer(Double.TYPE, dbl);
        JsonSerializer<Float> flt = new JsonSerializer<>() {
            @Override
            public void serialize(Float v, JsonGenerator g, SerializerProvider p) throws IOException {
                writeDouble(g, v.doubleValue());
            }
        };
        m.addSerializer(Float.class, flt);
        m.addSerializer(Float.TYPE, flt);
        m.addSerializer(double[].class, new JsonSerializer<>() {
            @Override
            public void serialize(double[] v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeStartArray(v, v.length);
                for (double d : v) {
                    writeDouble(g, d);
                }
                g.writeEndArray();
            }
        });
        m.addSerializer(Path.class, new JsonSerializer<>() {
            @Override
            public void serialize(Path v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(v.toString());
            }
        });
        @SuppressWarnings({"rawtypes", "unchecked"})
        Class<Enum<?>> enumType = (Class) Enum.class;
        m.addSerializer(enumType, new JsonSerializer<>() {
            @Override
            public void serialize(Enum<?> v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(v.name().toLowerCase(java.util.Locale.ROOT));
            }
        });
        mapper.registerModule(m);
        mapper.enable(SerializationFeature.INDENT_OUTPUT);
        mapper.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        return mapper;
    }

    private static void writeDouble(JsonGenerator g, double d) throws IOException {
        if (Double.isFinite(d)) {
            g.writeNumber(d);
        } else {
            g.writeNull();
        }
    }

    /** {@code value} as pretty-printed JSON text ending in a newline. */
    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getName() + " as JSON: " + e.getMessage(), e);
        }
    }

    /** Writes {@code value} as JSON to {@code file}, atomically. */
    public static void write(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, toJson(value));
    }

    /** Reads a JSON file as a tree (for checks and tools). */
    public static JsonNode readTree(Path file) throws IOException {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Reads a JSON file into {@code type}. */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        try {
            return MAPPER.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read as " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
