package dev.falclient.internal.json;

import java.io.File;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.springframework.core.io.Resource;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.TypeSerializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.ValueSerializerModifier;
import tools.jackson.databind.ser.impl.UnknownSerializer;
import tools.jackson.databind.ser.std.StdSerializer;
import tools.jackson.databind.ser.std.ToEmptyObjectSerializer;
import tools.jackson.databind.type.ArrayType;

/**
 * What may be sent as arguments. Jackson writes an object without visible properties as {@code {}}, a stream as
 * {@code {}} or its getters, a {@code byte[]} as base64 and a {@code File} or {@code Path} as its name: fal would
 * receive (and may bill) a request whose data is lost. Such values are refused before anything is sent, wherever
 * they sit in the arguments and whatever mapper the application configured.
 */
final class ArgumentRules {

    /** Files the client uploads automatically (when switched on) and replaces by their URLs. */
    private static final List<Class<?>> FILES = List.of(File.class, Path.class, Resource.class);
    /** Binary content without a name or type: fal takes files as URLs, which only an upload can produce. */
    private static final List<Class<?>> UPLOADS = List.of(InputStream.class, Reader.class, ByteBuffer.class,
            byte[].class);

    /** The key of the {@link FileSlots} of a call in the serialisation context's attributes. */
    static final Object SLOTS = FileSlots.class;

    private static final String UPLOAD = "fal takes files as URLs: pass a Path, File or Spring Resource (uploaded "
            + "automatically), upload the content with storage().upload(...) and pass its URL, or pass a data URI "
            + "(DataUrls.encode)";
    private static final String AUTO_UPLOAD_OFF = "automatic upload of files is switched off (StorageSettings "
            + "autoUpload, Spring: fal.storage.auto-upload): upload the file with storage().upload(...) and pass its "
            + "URL, or pass a data URI (DataUrls.encode)";
    private static final String EMPTY = "it has no properties Jackson can see (no public getters or fields) and "
            + "would be sent as {}: add getters or @JsonProperty, use a record, or pass a Map";

    private ArgumentRules() {
    }

    /** A copy of {@code mapper} that throws {@link Refused} for such values (the original stays untouched). */
    static JsonMapper writerFor(JsonMapper mapper) {
        SimpleModule module = new SimpleModule("fal-client-argument-rules");
        module.setSerializerModifier(new Modifier());
        return mapper.rebuild().addModule(module).build();
    }

    /** Where in the arguments a refused value sits, e.g. {@code 'images[2].data'}; empty at the top level. */
    static String location(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static boolean isUpload(Class<?> type) {
        return UPLOADS.stream().anyMatch(upload -> upload.isAssignableFrom(type));
    }

    private static boolean isFile(Class<?> type) {
        return FILES.stream().anyMatch(file -> file.isAssignableFrom(type));
    }

    /** A refused value; the message says why, {@link #location} says where. */
    static final class Refused extends DatabindException {
        private static final long serialVersionUID = 1L;
        private final String valueType;

        Refused(String valueType, String reason) {
            super(reason);
            this.valueType = valueType;
        }

        /** The refused value's class name. */
        String valueType() {
            return valueType;
        }
    }

    private static final class Modifier extends ValueSerializerModifier {
        private static final long serialVersionUID = 1L;

        @Override
        public ValueSerializer<?> modifySerializer(SerializationConfig config, BeanDescription.Supplier bean,
                                                   ValueSerializer<?> serializer) {
            Class<?> type = bean.getBeanClass();
            if (isFile(type)) {
                return new Uploading(type);
            }
            if (isUpload(type)) {
                return new Refusing(type, UPLOAD);
            }
            if (serializer instanceof UnknownSerializer || serializer instanceof ToEmptyObjectSerializer) {
                return new Refusing(type, EMPTY);
            }
            return serializer;
        }

        @Override
        public ValueSerializer<?> modifyArraySerializer(SerializationConfig config, ArrayType valueType,
                                                        BeanDescription.Supplier bean,
                                                        ValueSerializer<?> serializer) {
            return isUpload(valueType.getRawClass()) ? new Refusing(valueType.getRawClass(), UPLOAD) : serializer;
        }
    }

    /**
     * Writes a file as the placeholder of its upload, when the call collects files; refuses it otherwise. A file
     * that cannot be uploaded (missing, unreadable) is refused, naming its place in the arguments.
     */
    private static final class Uploading extends StdSerializer<Object> {

        Uploading(Class<?> type) {
            super(type);
        }

        @Override
        public void serialize(Object value, JsonGenerator gen, SerializationContext ctxt) {
            if (!(ctxt.getAttribute(SLOTS) instanceof FileSlots slots)) {
                throw new Refused(value.getClass().getTypeName(), AUTO_UPLOAD_OFF);
            }
            String placeholder;
            try {
                placeholder = slots.placeholder(value);
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                throw new Refused(value.getClass().getTypeName(), e.getMessage());
            }
            gen.writeString(placeholder);
        }

        @Override
        public void serializeWithType(Object value, JsonGenerator gen, SerializationContext ctxt,
                                      TypeSerializer typeSer) {
            serialize(value, gen, ctxt);
        }
    }

    /** Fails when reached, so that nothing of the arguments is sent. */
    private static final class Refusing extends StdSerializer<Object> {
        private final String reason;

        Refusing(Class<?> type, String reason) {
            super(type);
            this.reason = reason;
        }

        @Override
        public void serialize(Object value, JsonGenerator gen, SerializationContext ctxt) {
            throw new Refused(value.getClass().getTypeName(), reason);
        }

        // reached instead of serialize() when the application's mapper writes type ids
        @Override
        public void serializeWithType(Object value, JsonGenerator gen, SerializationContext ctxt,
                                      TypeSerializer typeSer) {
            serialize(value, gen, ctxt);
        }
    }
}
