package dev.falclient;

import java.util.List;

/**
 * One entry of a fal validation error ({@code detail[]} of a 422 response).
 *
 * <pre>{@code e.errors().forEach(err -> System.out.println(String.join(".", err.loc()) + ": " + err.msg())); }</pre>
 *
 * @param loc  location of the offending value, e.g. {@code ["body", "prompt"]}
 * @param msg  human readable message (do not parse it)
 * @param type machine readable code such as {@code value_error.missing}
 */
public record FieldError(List<String> loc, String msg, String type) {

    public FieldError {
        loc = loc == null ? List.of() : List.copyOf(loc);
        msg = msg == null ? "" : msg;
        type = type == null ? "" : type;
    }

    /** The field name: the last element of {@link #loc()}, or an empty string. */
    public String field() {
        return loc.isEmpty() ? "" : loc.get(loc.size() - 1);
    }
}
